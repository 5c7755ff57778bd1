package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPackagesTest {
    @Test
    void theJarCarriesTheScriptsListVerbatim() throws IOException {
        Path scripts = Path.of(System.getProperty("user.dir")).resolve("../scripts/host-packages-kit.txt");
        assertEquals(HostPackages.parse(Files.readString(scripts)), HostPackages.required());
    }

    @Test
    void listHasTheToolchainTheRecipeNeeds() {
        List<String> required = HostPackages.required();
        assertTrue(required.containsAll(List.of("busybox-static", "clang-19", "lld-19", "llvm-19", "gcc", "libelf-dev",
                "libzstd-dev", "zlib1g-dev", "make", "zstd", "xz-utils", "qemu-system-x86")), required.toString());
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        assertEquals(List.of("a", "b"), HostPackages.parse("# header\na\n\n  b  # why\n"));
        assertEquals("apt-get install -y --no-install-recommends a b", HostPackages.installCommand(List.of("a", "b")));
    }
}
