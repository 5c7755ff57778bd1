package dev.freezeframe.coordinator.introspect.btf;


import dev.freezeframe.vmm.kit.ElfInfo;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code .BTF} section of the cached guest kit's vmlinux, read once per test JVM. Without a kit the calling test
 * is skipped — except when {@code CI} is set, where a missing kit is a failure.
 */
final class KitVmlinux {
    private static byte[] section;
    private static Path path;

    private KitVmlinux() {
    }

    static synchronized Path path() {
        if (path == null) {
            KitCache cache = KitCache.defaultCache();
            Optional<Path> vmlinux = cache.current().map(Kit::vmlinux).filter(Files::isRegularFile);
            if (vmlinux.isEmpty()) {
                String why = "no guest kit vmlinux in " + cache.root();
                dev.freezeframe.coordinator.Prerequisites.require(false, why, "run `freezeframe kit build`");
            }
            path = vmlinux.get();
        }
        return path;
    }

    /** A fresh copy of the raw {@code .BTF} bytes. */
    static synchronized byte[] btfSection() {
        if (section == null) {
            section = ElfInfo.read(path()).sectionBytes(".BTF");
        }
        return section.clone();
    }
}
