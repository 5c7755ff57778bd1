package dev.freezeframe.coordinator.introspect.testing;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import java.nio.file.Files;
import java.util.Optional;

/**
 * The cached guest kit's vmlinux BTF, for fixtures that need the kernel's real layouts; read once per test JVM. Without
 * a kit the calling test is skipped (failed under CI).
 */
public final class KitBtf {
    private static Btf vmlinux;

    private KitBtf() {
    }

    public static synchronized Btf vmlinux() throws Exception {
        if (vmlinux == null) {
            KitCache cache = KitCache.defaultCache();
            Optional<Kit> kit = cache.current().filter(k -> Files.isRegularFile(k.vmlinux()));
            if (kit.isEmpty()) {
                dev.freezeframe.coordinator.Prerequisites.require(false, "no guest kit vmlinux in " + cache.root(),
                        "run `freezeframe kit build`");
            }
            vmlinux = Btf.fromElf(kit.get().vmlinux());
        }
        return vmlinux;
    }
}
