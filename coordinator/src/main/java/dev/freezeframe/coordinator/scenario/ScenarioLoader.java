package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freezeframe.coordinator.CoordinatorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds a scenario by built-in name or file path, parses it and checks every limit, so that what reaches the guest is
 * always well-formed. Every problem is one sentence naming the file and the step.
 */
public final class ScenarioLoader {
    public static final int SCHEMA_VERSION = 2;
    public static final List<String> BUILT_INS = List.of("cpu", "cpu-pingpong", "fork-churn", "mixed", "capture-mid",
            "panic", "latency", "fairness", "weights", "isolation", "rt-hog", "kinds");
    private static final long MAX_FILE_BYTES = 1 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ScenarioLoader() {
    }

    /** A built-in scenario's name, or the path of a scenario JSON file. */
    public static Scenario load(String nameOrPath) {
        if (BUILT_INS.contains(nameOrPath)) return builtIn(nameOrPath);
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new CoordinatorException("Unknown scenario '" + nameOrPath + "': it is neither a built-in ("
                    + String.join(", ", BUILT_INS) + ") nor a readable file.");
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CoordinatorException("Scenario file " + file + " is larger than 1 MiB; is it the right file?");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new CoordinatorException("Cannot read scenario file " + file + " (" + e.getMessage() + ").", e);
        }
    }

    public static Scenario builtIn(String name) {
        try (InputStream in = ScenarioLoader.class.getResourceAsStream("/dev/freezeframe/coordinator/scenarios/"
                + name + ".json")) {
            if (in == null) throw new IllegalStateException("built-in scenario resource missing: " + name);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in scenario " + name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in scenario " + name, e);
        }
    }

    /** Parses and validates JSON text; {@code origin} names it in messages. */
    public static Scenario parse(String json, String origin) {
        Scenario scenario;
        try {
            scenario = JSON.readValue(json, Scenario.class);
        } catch (UnrecognizedPropertyException e) {
            throw new CoordinatorException(origin + ": unknown field '" + e.getPropertyName() + "'"
                    + where(e) + ". Known fields are listed in the scenario schema.", e);
        } catch (JsonProcessingException e) {
            throw new CoordinatorException(origin + " is not a valid scenario" + where(e) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse("parse error") + ".", e);
        }
        if (scenario == null) throw new CoordinatorException(origin + " is empty; a scenario needs at least one step.");
        ScenarioValidator.validate(scenario, origin);
        return scenario;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }
}
