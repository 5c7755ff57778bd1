package dev.freezeframe.coordinator.introspect.btf;

import java.util.Optional;

/**
 * Names a kernel-virtual address for {@link ValueRenderer} (e.g. from the guest's kallsyms): {@code "scx_root"},
 * {@code "qmap_enqueue+0x10"}. Called only for non-null pointers; an exception thrown here is caught and treated as
 * "unknown".
 */
@FunctionalInterface
public interface SymbolResolver {
    /** Knows no symbol at all. */
    SymbolResolver NONE = address -> Optional.empty();

    Optional<String> symbolFor(long address);
}
