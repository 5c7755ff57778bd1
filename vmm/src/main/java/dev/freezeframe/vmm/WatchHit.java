package dev.freezeframe.vmm;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One stop of the guest on a watchpoint. The guest stays stopped (all vCPUs) until {@link #close()}; in between, the
 * receiver can read registers and memory through {@link #frozen()} — typically to capture a snapshot — and then resume.
 *
 * @param watchpoint      the armed watchpoint that fired
 * @param hitNumber       1 for the first hit of this watchpoint since it was armed, then 2, 3, ...
 * @param vcpu            the vCPU that made the access (0-based)
 * @param reportedAddress the address the VMM reported for the hit; QEMU reports the watchpoint's own start address
 * @param registers       the registers of {@code vcpu}; the stop is after the access, so RIP points past the instruction.
 *                        Null when they could not be read ({@link #registersProblem}): the hit is still delivered, so a
 *                        stop that matters (the scheduler-error trigger) is never lost for want of its registers
 * @param previousValue   the watched bytes (little-endian, {@code watchpoint.length()} bytes) as read at the previous hit
 *                        of this watchpoint, or when it was armed; empty if that read failed
 * @param value           the watched bytes as read now, after the access; empty if the read failed
 * @param frozen          the stop this hit holds: every vCPU's registers and guest memory
 * @param registersProblem why {@code registers} could not be read, or null when they were
 */
public record WatchHit(Watchpoint watchpoint, long hitNumber, int vcpu, long reportedAddress, VcpuRegisters registers,
                       OptionalLong previousValue, OptionalLong value, FrozenVm frozen, String registersProblem)
        implements AutoCloseable {

    public WatchHit {
        Objects.requireNonNull(watchpoint, "watchpoint");
        if ((registers == null) == (registersProblem == null)) {
            throw new IllegalArgumentException("either the registers or why they could not be read");
        }
        Objects.requireNonNull(previousValue, "previousValue");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(frozen, "frozen");
    }

    public WatchHit(Watchpoint watchpoint, long hitNumber, int vcpu, long reportedAddress, VcpuRegisters registers,
                    OptionalLong previousValue, OptionalLong value, FrozenVm frozen) {
        this(watchpoint, hitNumber, vcpu, reportedAddress, registers, previousValue, value, frozen, null);
    }

    /**
     * The writing vCPU's registers.
     *
     * @throws VmmException when they could not be read at the stop ({@link #registersProblem})
     */
    @Override
    public VcpuRegisters registers() {
        if (registers == null) {
            throw new VmmException(VmmException.Kind.CONTROL_FAILED, "the registers of vCPU " + vcpu
                    + " could not be read at this hit: " + registersProblem);
        }
        return registers;
    }

    /** Resumes the guest (unless another handle still holds the stop). Idempotent. */
    @Override
    public void close() {
        frozen.close();
    }
}
