package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings are written owner-only, through a temporary file nobody else can have planted. */
class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void savedSettingsAreOwnerOnlyAndAPlantedLinkIsNotFollowed() throws Exception {
        Path file = dir.resolve("config/settings.json");
        Files.createDirectories(file.getParent());
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious");
        Files.createSymbolicLink(file.resolveSibling("settings.json.tmp"), victim);
        SettingsStore store = new SettingsStore(file);
        store.save(Settings.DEFAULTS);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("precious", Files.readString(victim));
        assertEquals(Settings.DEFAULTS, store.load());
        try (var files = Files.list(file.getParent())) {
            assertEquals(2, files.count(), "the settings file and the planted link, no temporary leftovers");
        }
        assertTrue(Files.isSymbolicLink(file.resolveSibling("settings.json.tmp")));
    }
}
