package dev.freezeframe.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KallsymsCacheTest {
    @TempDir
    Path dir;

    @Test
    void aTableIsWrittenOncePrivatelyAndReadBackWhole() throws Exception {
        KallsymsCache cache = new KallsymsCache(dir.resolve("symbols"));
        KernelSymbolTable table = new KernelSymbolTable.Builder().addKallsymsText(FakeKernel.kallsyms()
                + "ffffffffc0001000 t qmap_enqueue\t[scx_qmap]\n").build();
        String key = KallsymsCache.key("7.3.4+deb13-cloud-amd64", "1a2b3c4d5e6f");
        assertEquals("7.3.4+deb13-cloud-amd64-1a2b3c4d5e6f", key);
        assertEquals(Optional.empty(), cache.load(key));

        assertTrue(cache.saveIfAbsent(key, table));
        assertFalse(cache.saveIfAbsent(key, table), "one build's symbols are written once");
        Path file = cache.file(key);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertEquals(PosixFilePermissions.fromString("rwx------"),
                Files.getPosixFilePermissions(dir.resolve("symbols")));
        try (var files = Files.list(dir.resolve("symbols"))) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }

        KernelSymbolTable loaded = cache.load(key).orElseThrow();
        assertEquals(table.all(), loaded.all());
        assertEquals("scx_qmap", loaded.resolve("qmap_enqueue").orElseThrow().module());
    }

    @Test
    void keysAreSafeFileNamesAndAnEmptyOrDamagedFileIsNoCache() throws Exception {
        assertEquals("kernel.._.._etc", KallsymsCache.key("../../etc", ""));
        assertEquals("6.1_x", KallsymsCache.key("6.1/X", ""));
        KallsymsCache cache = new KallsymsCache(dir.resolve("symbols"));
        Files.createDirectories(dir.resolve("symbols"));
        Files.writeString(cache.file("broken"), "not kallsyms at all\n\u0000\n");
        assertEquals(Optional.empty(), cache.load("broken"));
        assertFalse(cache.saveIfAbsent("empty", KernelSymbolTable.EMPTY));
    }
}
