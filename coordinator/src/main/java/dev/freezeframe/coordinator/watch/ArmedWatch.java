package dev.freezeframe.coordinator.watch;

import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.vmm.Watchpoint;
import java.util.Objects;

/**
 * One user watch slot in use, as {@link WatchSlots} reports it.
 *
 * @param slot       1, 2 or 3
 * @param spec       what the user asked for
 * @param symbol     the kallsyms symbol it resolved to
 * @param watchpoint what is armed in the VM
 * @param hits       hits since it was armed
 * @param snapshots  hits that got a snapshot
 * @param stayFrozen a hit leaves the guest frozen on the hit's snapshot until the user resumes it
 */
public record ArmedWatch(int slot, WatchSpec spec, KernelSymbolTable.Symbol symbol, Watchpoint watchpoint, long hits,
                         int snapshots, boolean stayFrozen) {
    public ArmedWatch {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(watchpoint, "watchpoint");
    }

    /** {@code total_forks}, {@code jiffies_64+0x0}. */
    public String label() {
        return spec.label();
    }

    /** The tag of this watch's snapshots: {@code watch:total_forks}. */
    public String tag() {
        return WatchSlots.TAG_PREFIX + label();
    }

    /** "total_forks (write, 8 bytes at 0xffffffff83e4b000)". */
    public String describe() {
        return label() + " (" + watchpoint.kind().word() + ", " + watchpoint.length() + " byte"
                + (watchpoint.length() == 1 ? "" : "s") + " at " + WatchSlots.hex(watchpoint.address()) + ")";
    }
}
