package dev.freezeframe.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppDirsTest {
    private static final Path HOME = Path.of("/home/ada");

    @Test
    void followsTheXdgVariablesWhenSet() {
        AppDirs dirs = AppDirs.from(Map.of("XDG_DATA_HOME", "/d", "XDG_CONFIG_HOME", "/c", "XDG_STATE_HOME", "/s",
                "XDG_CACHE_HOME", "/k"), HOME);
        assertEquals(Path.of("/d/freezeframe/archive.db"), dirs.defaultArchive());
        assertEquals(Path.of("/c/freezeframe/settings.json"), dirs.settingsFile());
        assertEquals(Path.of("/s/freezeframe/logs/freezeframe.log"), dirs.logFile());
        assertEquals(Path.of("/k/freezeframe"), dirs.cacheDir());
    }

    @Test
    void fallsBackToTheSpecDefaultsWhenUnsetEmptyOrRelative() {
        AppDirs dirs = AppDirs.from(Map.of("XDG_DATA_HOME", "", "XDG_STATE_HOME", "relative/dir"), HOME);
        assertEquals(Path.of("/home/ada/.local/share/freezeframe/archive.db"), dirs.defaultArchive());
        assertEquals(Path.of("/home/ada/.config/freezeframe"), dirs.configDir());
        assertEquals(Path.of("/home/ada/.local/state/freezeframe"), dirs.stateDir());
        assertEquals(Path.of("/home/ada/.cache/freezeframe"), dirs.cacheDir());
    }
}
