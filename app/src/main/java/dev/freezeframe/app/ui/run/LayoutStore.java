package dev.freezeframe.app.ui.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the run tab layout ({@code layouts/live.json} under the config folder). A layout is a convenience:
 * an unreadable file gives the shipped layout (and stays for inspection), a failed save is logged. Files of schema 1
 * (one tab group per dock, before docking by drag) are converted.
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
            JsonNode tree = JSON.readTree(file.toFile());
            RunLayout stored = tree == null || !tree.isObject() ? RunLayout.DEFAULT
                    : tree.path("schema").asInt(0) == 1 ? schema1(tree) : JSON.treeToValue(tree, RunLayout.class);
            return (stored == null ? RunLayout.DEFAULT : stored).sanitized(knownPanels);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("layout file {} is unreadable; using the shipped layout", file, e);
            return RunLayout.DEFAULT.sanitized(knownPanels);
        }
    }

    /** Schema 1 held one tab group per dock: {@code "drawer": ["console", …], "drawerSelected": "console"}. */
    private static RunLayout schema1(JsonNode tree) {
        return RunLayout.fromSchema1(strings(tree.path("drawer")), strings(tree.path("inspector")),
                tree.path("drawerSelected").asText(""), tree.path("inspectorSelected").asText(""),
                tree.path("drawerDivider").asDouble(Double.NaN), tree.path("inspectorDivider").asDouble(Double.NaN),
                tree.path("drawerShown").asBoolean(true), tree.path("inspectorShown").asBoolean(true));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) if (n.isTextual()) out.add(n.asText());
        return out;
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
