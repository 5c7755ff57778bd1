package dev.freezeframe.app;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Freezeframe keeps its files, following the XDG base directory specification.
 *
 * @param dataDir   archives ({@code $XDG_DATA_HOME/freezeframe})
 * @param configDir settings ({@code $XDG_CONFIG_HOME/freezeframe})
 * @param stateDir  logs ({@code $XDG_STATE_HOME/freezeframe})
 * @param cacheDir  the guest kit and other rebuildable files ({@code $XDG_CACHE_HOME/freezeframe})
 */
public record AppDirs(Path dataDir, Path configDir, Path stateDir, Path cacheDir) {

    public static AppDirs fromEnvironment() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static AppDirs from(Map<String, String> env, Path home) {
        return new AppDirs(
                xdg(env, "XDG_DATA_HOME", home.resolve(".local/share")),
                xdg(env, "XDG_CONFIG_HOME", home.resolve(".config")),
                xdg(env, "XDG_STATE_HOME", home.resolve(".local/state")),
                xdg(env, "XDG_CACHE_HOME", home.resolve(".cache")));
    }

    /** The spec says a relative or empty value is invalid and must be ignored. */
    private static Path xdg(Map<String, String> env, String variable, Path fallback) {
        String value = env.get(variable);
        Path base = value != null && !value.isBlank() && Path.of(value).isAbsolute() ? Path.of(value) : fallback;
        return base.resolve("freezeframe");
    }

    public Path defaultArchive() {
        return dataDir.resolve("archive.db");
    }

    public Path settingsFile() {
        return configDir.resolve("settings.json");
    }

    public Path logDir() {
        return stateDir.resolve("logs");
    }

    public Path logFile() {
        return logDir().resolve("freezeframe.log");
    }
}
