package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.wire.WorkerRole;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds a scenario by built-in name or file path, parses it and checks every limit, so that what reaches the guest is
 * always well-formed. Every problem is one sentence naming the file and the step.
 */
public final class ScenarioLoader {
    public static final int SCHEMA_VERSION = 1;
    public static final List<String> BUILT_INS = List.of("cpu", "cpu-pingpong", "fork-churn", "mixed", "capture-mid",
            "panic", "latency", "fairness");
    static final int MAX_STEPS = 64;
    static final long MAX_STEP_MS = 3_600_000;
    static final int MAX_COUNT = 64;
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,48}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

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
        validate(scenario, origin);
        return scenario;
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")";
    }

    private static void validate(Scenario scenario, String origin) {
        if (scenario.schema() > SCHEMA_VERSION) {
            fail(origin + " uses scenario schema " + scenario.schema() + ", written for a newer Freezeframe (this one "
                    + "reads schema " + SCHEMA_VERSION + ").");
        }
        if (scenario.schema() < 1) fail(origin + ": \"schema\" must be " + SCHEMA_VERSION + ".");
        if (scenario.name() == null || !NAME.matcher(scenario.name()).matches()) {
            fail(origin + ": \"name\" must be 1-48 letters, digits, '_', '.' or '-'.");
        }
        if (scenario.steps().isEmpty() || scenario.steps().size() > MAX_STEPS) {
            fail(origin + ": a scenario needs 1 to " + MAX_STEPS + " steps; it has " + scenario.steps().size() + ".");
        }
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < scenario.steps().size(); i++) {
            Step step = scenario.steps().get(i);
            String at = origin + ", step " + (i + 1);
            if (step.name() == null || !NAME.matcher(step.name()).matches()) {
                fail(at + ": \"name\" must be 1-48 letters, digits, '_', '.' or '-'.");
            }
            if (seen.contains(step.name())) fail(at + ": the step name '" + step.name() + "' is used twice.");
            seen.add(step.name());
            if (step.durationMs() < 0 || step.durationMs() > MAX_STEP_MS) {
                fail(at + ": \"duration_ms\" is " + step.durationMs() + "; it must be between 0 and " + MAX_STEP_MS
                        + ".");
            }
            validateWorkload(step.workload(), at);
            for (StepAction action : step.actions()) validateAction(action, at);
        }
        for (int i = 0; i < scenario.expect().size(); i++) validateExpectation(scenario.expect().get(i), seen,
                origin + ", expect[" + i + "]");
    }

    private static void validateExpectation(Expectation e, List<String> steps, String at) {
        if (e == null || e.metric() == null) fail(at + ": an expectation needs a \"metric\".");
        if (MetricName.fromKey(e.metric()).isEmpty()) {
            fail(at + ": unknown metric '" + e.metric() + "'; the metrics are " + String.join(", ",
                    java.util.Arrays.stream(MetricName.values()).map(MetricName::key).toList()) + ".");
        }
        if (e.step() != null && !steps.contains(e.step())) {
            fail(at + ": \"step\" '" + e.step() + "' is not a step of this scenario (" + String.join(", ", steps) + ").");
        }
        if (e.group() != null && java.util.Arrays.stream(WorkerRole.values()).noneMatch(r -> r.label().equals(e.group()))) {
            fail(at + ": \"group\" '" + e.group() + "' is not a worker group (cpu, pingpong, forkexit or latency).");
        }
        if (e.below() == null && e.above() == null) fail(at + ": give \"below\" or \"above\" (or both).");
        for (Double bound : new Double[] {e.below(), e.above()}) {
            if (bound != null && !Double.isFinite(bound)) fail(at + ": bounds must be finite numbers.");
        }
    }

    private static void validateWorkload(Workload w, String at) {
        if (w.kind() == null) {
            fail(at + ": the workload needs a \"kind\" (idle, cpu, pingpong, forkexit, mixed or latency).");
        }
        for (int count : new int[] {w.workers(), w.pairs(), w.forkers(), w.probes()}) {
            if (count < 0 || count > MAX_COUNT) fail(at + ": workload counts must be between 0 and " + MAX_COUNT + ".");
        }
        boolean ok = switch (w.kind()) {
            case IDLE -> true;
            case CPU -> w.workers() > 0;
            case PINGPONG -> w.pairs() > 0;
            case FORKEXIT -> w.forkers() > 0;
            case MIXED -> w.workers() + w.pairs() + w.forkers() > 0;
            case LATENCY -> w.probes() > 0;
        };
        if (!ok) {
            String needs = switch (w.kind()) {
                case CPU -> "\"workers\"";
                case PINGPONG -> "\"pairs\"";
                case FORKEXIT -> "\"forkers\"";
                case LATENCY -> "\"probes\"";
                default -> "at least one of \"workers\", \"pairs\", \"forkers\"";
            };
            fail(at + ": a " + w.kind().planName() + " workload needs " + needs + " above 0.");
        }
    }

    private static void validateAction(StepAction action, String at) {
        if (action == null || (action.capture() == null) == (action.fault() == null)) {
            fail(at + ": each action is either {\"capture\": \"TAG\"} or {\"fault\": \"NAME\"}.");
        }
        if (action.capture() != null) {
            if (!TAG.matcher(action.capture()).matches()) {
                fail(at + ": capture tag '" + action.capture() + "' must be 1-64 letters, digits, '_', '.', ':' or '-'.");
            }
            if (action.capture().startsWith("periodic_")) {
                fail(at + ": capture tags starting with 'periodic_' are reserved for periodic snapshots.");
            }
        }
        if (action.fault() != null && !StepAction.FAULTS.contains(action.fault())) {
            fail(at + ": unknown fault '" + action.fault() + "'; the faults are " + String.join(", ", StepAction.FAULTS)
                    + ".");
        }
    }

    private static void fail(String message) {
        throw new CoordinatorException(message);
    }
}
