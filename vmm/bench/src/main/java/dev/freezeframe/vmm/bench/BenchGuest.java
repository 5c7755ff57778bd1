package dev.freezeframe.vmm.bench;

import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import java.nio.file.Path;

/** The kernel and initramfs a benchmark boots: {@code -Dbench.kernel=} / {@code -Dbench.initrd=}, else the guest kit. */
record BenchGuest(Path kernel, Path initrd) {
    static BenchGuest fromPropertiesOrKit() {
        String kernelOverride = System.getProperty("bench.kernel");
        if (kernelOverride != null) {
            return new BenchGuest(Path.of(kernelOverride), Path.of(System.getProperty("bench.initrd")));
        }
        Kit kit = KitCache.defaultCache().current().orElseThrow(() -> new IllegalStateException(
                "no guest kit; build it with `freezeframe kit build` or pass -Dbench.kernel= -Dbench.initrd="));
        return new BenchGuest(kit.bzImage(), kit.baseInitramfs());
    }
}
