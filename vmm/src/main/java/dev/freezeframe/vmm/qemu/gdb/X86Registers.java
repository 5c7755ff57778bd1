package dev.freezeframe.vmm.qemu.gdb;

import dev.freezeframe.vmm.VcpuRegisters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Builds {@link VcpuRegisters} from register values found by name (GDB's x86-64 names, as in QEMU's target
 * description). Pure.
 */
public final class X86Registers {

    static final List<String> GENERAL = List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
            "r10", "r11", "r12", "r13", "r14", "r15");
    static final List<String> SELECTORS = List.of("cs", "ss", "ds", "es", "fs", "gs");
    /** Without these a freeze's registers are not worth having; a stub that lacks them is refused. */
    public static final List<String> REQUIRED = List.copyOf(concat(GENERAL, List.of("rip", "eflags"), SELECTORS,
            List.of("fs_base", "gs_base", "cr0", "cr2", "cr3", "cr4")));
    /** Reported when the stub has them. */
    public static final List<String> OPTIONAL = List.of("k_gs_base", "cr8", "efer");

    private X86Registers() {
    }

    /**
     * @param values raw little-endian register bytes by name
     * @throws GdbProtocolException when a required register is missing
     */
    public static VcpuRegisters decode(int vcpu, Map<String, byte[]> values) {
        for (String name : REQUIRED) {
            if (!values.containsKey(name)) {
                throw new GdbProtocolException("QEMU's gdbstub did not report register " + name + " of vCPU " + vcpu
                        + ", which a freeze needs.", String.join(",", values.keySet()));
            }
        }
        VcpuRegisters.General general = new VcpuRegisters.General(v(values, "rax"), v(values, "rbx"), v(values, "rcx"),
                v(values, "rdx"), v(values, "rsi"), v(values, "rdi"), v(values, "rbp"), v(values, "rsp"), v(values, "r8"),
                v(values, "r9"), v(values, "r10"), v(values, "r11"), v(values, "r12"), v(values, "r13"),
                v(values, "r14"), v(values, "r15"));
        VcpuRegisters.Segments segments = new VcpuRegisters.Segments((int) v(values, "cs"), (int) v(values, "ss"),
                (int) v(values, "ds"), (int) v(values, "es"), (int) v(values, "fs"), (int) v(values, "gs"),
                v(values, "fs_base"), v(values, "gs_base"), optional(values, "k_gs_base"));
        VcpuRegisters.Control control = new VcpuRegisters.Control(v(values, "cr0"), v(values, "cr2"), v(values, "cr3"),
                v(values, "cr4"), optional(values, "cr8"), optional(values, "efer"));
        Map<String, Long> all = new LinkedHashMap<>();
        values.forEach((name, bytes) -> {
            if (bytes.length <= 8) {
                all.put(name, TargetDescription.littleEndian(bytes));
            }
        });
        return new VcpuRegisters(vcpu, v(values, "rip"), v(values, "eflags"), general, segments, control, all);
    }

    private static long v(Map<String, byte[]> values, String name) {
        byte[] bytes = values.get(name);
        if (bytes.length > 8) {
            throw new GdbProtocolException("QEMU's gdbstub describes register " + name + " as wider than 64 bits.",
                    name);
        }
        return TargetDescription.littleEndian(bytes);
    }

    private static OptionalLong optional(Map<String, byte[]> values, String name) {
        return values.containsKey(name) ? OptionalLong.of(v(values, name)) : OptionalLong.empty();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
