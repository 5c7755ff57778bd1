package dev.freezeframe.vmm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The architectural state of one x86-64 vCPU at a freeze, as the VMM reports it. Values are raw: a vCPU that was in 32-bit
 * or real mode reports the low bits of each register zero-extended.
 *
 * @param vcpu     the vCPU index, 0-based (the order of {@code -smp}, and of the MADT's LAPIC entries)
 * @param rip      instruction pointer
 * @param rflags   flags
 * @param general  the sixteen general-purpose registers
 * @param segments segment selectors and the FS/GS bases
 * @param control  control registers and EFER
 * @param all      every register the VMM reported that fits 64 bits, by the VMM's own name (e.g. {@code "k_gs_base"}), for
 *                 display; wider registers (x87, SSE) are left out
 */
public record VcpuRegisters(int vcpu, long rip, long rflags, General general, Segments segments, Control control,
                            Map<String, Long> all) {

    public VcpuRegisters {
        if (vcpu < 0) {
            throw new IllegalArgumentException("vcpu " + vcpu);
        }
        Objects.requireNonNull(general, "general");
        Objects.requireNonNull(segments, "segments");
        Objects.requireNonNull(control, "control");
        all = Collections.unmodifiableMap(new LinkedHashMap<>(all)); // keeps the VMM's order for display
    }

    public long rsp() {
        return general.rsp();
    }

    public long cr3() {
        return control.cr3();
    }

    /** Whether RIP lies in the upper (kernel) half of the canonical 64-bit address space. */
    public boolean ripInKernelHalf() {
        return rip < 0;
    }

    public record General(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rbp, long rsp, long r8,
                          long r9, long r10, long r11, long r12, long r13, long r14, long r15) {
    }

    /**
     * @param kernelGsBase the MSR swapped in by {@code swapgs}; empty when the VMM does not report it
     */
    public record Segments(int cs, int ss, int ds, int es, int fs, int gs, long fsBase, long gsBase,
                           OptionalLong kernelGsBase) {

        public Segments {
            Objects.requireNonNull(kernelGsBase, "kernelGsBase");
        }
    }

    /**
     * @param cr8  the task-priority register; empty when the VMM does not report it
     * @param efer the extended feature enable MSR; empty when the VMM does not report it
     */
    public record Control(long cr0, long cr2, long cr3, long cr4, OptionalLong cr8, OptionalLong efer) {

        public Control {
            Objects.requireNonNull(cr8, "cr8");
            Objects.requireNonNull(efer, "efer");
        }

        /** CR0.PE: protected mode. */
        public boolean protectedMode() {
            return (cr0 & 1) != 0;
        }

        /** CR0.PG: paging on. */
        public boolean paging() {
            return (cr0 & (1L << 31)) != 0;
        }
    }
}
