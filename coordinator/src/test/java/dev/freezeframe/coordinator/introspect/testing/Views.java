package dev.freezeframe.coordinator.introspect.testing;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbols;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.AddressSpace;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.Read;
import java.util.Optional;

/** Builds the walkers' view of a synthetic image the way a capture does. */
public final class Views {
    private Views() {
    }

    public static Read<KernelView> of(SyntheticImage img, Btf vmlinux) {
        KernelTypes types = new KernelTypes(vmlinux);
        return AddressSpace.discover(img.memory(), img.symbols(), types.offsetOf("struct mm_struct", "pgd"),
                Optional.empty()).map(space -> new KernelView(new KernelMemory(space), types,
                        new KernelSymbols(img.symbols())));
    }

    public static KernelView require(SyntheticImage img, Btf vmlinux) {
        Read<KernelView> v = of(img, vmlinux);
        if (!v.isOk()) {
            throw new AssertionError(v.reasonOrNull());
        }
        return v.orElse(null);
    }
}
