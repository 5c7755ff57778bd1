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
 * @param registers       the registers of {@code vcpu}; the stop is after the access, so RIP points past the instruction
 * @param previousValue   the watched bytes (little-endian, {@code watchpoint.length()} bytes) as read at the previous hit
 *                        of this watchpoint, or when it was armed; empty if that read failed
 * @param value           the watched bytes as read now, after the access; empty if the read failed
 * @param frozen          the stop this hit holds: every vCPU's registers and guest memory
 */
public record WatchHit(Watchpoint watchpoint, long hitNumber, int vcpu, long reportedAddress, VcpuRegisters registers,
                       OptionalLong previousValue, OptionalLong value, FrozenVm frozen) implements AutoCloseable {

    public WatchHit {
        Objects.requireNonNull(watchpoint, "watchpoint");
        Objects.requireNonNull(registers, "registers");
        Objects.requireNonNull(previousValue, "previousValue");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(frozen, "frozen");
    }

    /** Resumes the guest (unless another handle still holds the stop). Idempotent. */
    @Override
    public void close() {
        frozen.close();
    }
}
