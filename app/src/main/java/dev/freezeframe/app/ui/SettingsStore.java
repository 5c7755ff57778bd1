package dev.freezeframe.app.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@link Settings} as JSON. Settings are a convenience: an unreadable file falls back to defaults
 * (and is left in place for inspection), and a failed save is logged, never shown as a blocking error.
 */
public final class SettingsStore {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public SettingsStore(Path file) {
        this.file = file;
    }

    public Settings load() {
        if (!Files.isRegularFile(file)) return Settings.DEFAULTS;
        try {
            Settings settings = JSON.readValue(file.toFile(), Settings.class);
            return settings == null ? Settings.DEFAULTS : settings;
        } catch (IOException e) {
            LOG.warn("settings file {} is unreadable; using defaults", file, e);
            return Settings.DEFAULTS;
        }
    }

    /**
     * Writes atomically so a crash mid-write never leaves a truncated file: into a temporary file created exclusively
     * and readable by the owner only (0600, like the file it becomes), then moved over the settings file.
     */
    public void save(Settings settings) {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                JSON.writeValue(out, settings);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot save settings to {}", file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover *.tmp is harmless
                }
            }
        }
    }
}
