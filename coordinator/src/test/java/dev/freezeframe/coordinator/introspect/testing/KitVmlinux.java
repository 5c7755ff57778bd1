package dev.freezeframe.coordinator.introspect.testing;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import java.nio.file.Files;
import java.util.Optional;

/** The kit kernel's vmlinux BTF, for tests over images with its real layouts (skipped without a kit, failed in CI). */
public final class KitVmlinux {
    private KitVmlinux() {
    }

    public static Btf require() throws Exception {
        KitCache cache = KitCache.defaultCache();
        Optional<Kit> kit = cache.current().filter(k -> Files.isRegularFile(k.vmlinux()));
        if (kit.isEmpty()) {
            dev.freezeframe.coordinator.Prerequisites.require(false, "no guest kit vmlinux in " + cache.root(),
                    "run `freezeframe kit build`");
        }
        return Btf.fromElf(kit.get().vmlinux());
    }
}
