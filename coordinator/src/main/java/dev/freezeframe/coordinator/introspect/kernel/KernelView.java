package dev.freezeframe.coordinator.introspect.kernel;

import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import java.util.Objects;

/**
 * One frozen (or momentarily read) guest kernel as the walkers see it: its memory, its types (vmlinux BTF) and its
 * symbols. Make one per capture (the memory reader caches translations).
 */
public record KernelView(KernelMemory memory, KernelTypes types, KernelSymbols symbols) {
    public KernelView {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(types, "types");
        Objects.requireNonNull(symbols, "symbols");
    }
}
