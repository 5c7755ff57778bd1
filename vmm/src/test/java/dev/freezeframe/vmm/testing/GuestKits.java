package dev.freezeframe.vmm.testing;

import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;

/** Finds the guest kit for integration tests: skipped when absent on a developer machine, a failure under CI. */
public final class GuestKits {

    /** Kernel parameters the tests boot the kit with (docs/architecture.md §4). */
    public static final String CMDLINE = dev.freezeframe.vmm.kit.GuestContract.KERNEL_CMDLINE;

    public static Kit requireKit() {
        var kit = KitCache.defaultCache().current();
        if (kit.isEmpty()) {
            Prerequisites.require(false, "no guest kit in " + KitCache.defaultCache().root(),
                    "build it with `freezeframe kit build`");
        }
        return kit.get();
    }

    private GuestKits() {
    }
}
