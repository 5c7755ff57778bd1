package dev.freezeframe.app.ui.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the run tab layout ({@code layouts/live.json} under the config folder). A layout is a convenience:
 * an unreadable file gives the shipped layout (and stays for inspection), a failed save is logged.
 */
public final class LayoutStore {
    private static final Logger LOG = LoggerFactory.getLogger(LayoutStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public LayoutStore(Path configDir) {
        this.file = configDir.resolve("layouts").resolve("live.json");
    }

    public Path file() {
        return file;
    }

    public RunLayout load(Set<String> knownPanels) {
        if (!Files.isRegularFile(file)) return RunLayout.DEFAULT.sanitized(knownPanels);
        try {
            RunLayout stored = JSON.readValue(file.toFile(), RunLayout.class);
            return (stored == null ? RunLayout.DEFAULT : stored).sanitized(knownPanels);
        } catch (IOException e) {
            LOG.warn("layout file {} is unreadable; using the shipped layout", file, e);
            return RunLayout.DEFAULT.sanitized(knownPanels);
        }
    }

    /** Writes atomically (a crash mid-write never leaves half a file). */
    public void save(RunLayout layout) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), layout);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot save the layout to {}", file, e);
        }
    }
}
