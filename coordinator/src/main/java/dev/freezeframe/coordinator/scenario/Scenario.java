package dev.freezeframe.coordinator.scenario;

import java.util.List;

/**
 * A workload scenario: named steps the guest agent runs in order while the scheduler is loaded. The JSON form is
 * documented in {@code scenario-schema.md} beside the built-in scenarios.
 *
 * @param schema      format version ({@link ScenarioLoader#SCHEMA_VERSION})
 * @param name        short name (a built-in's name, or the file's)
 * @param description one sentence for people
 * @param steps       at least one
 * @param expect      assertions on the measured workload metrics (may be empty)
 */
public record Scenario(int schema, String name, String description, List<Step> steps, List<Expectation> expect) {
    public Scenario {
        description = description == null ? "" : description;
        steps = steps == null ? List.of() : List.copyOf(steps);
        expect = expect == null ? List.of() : List.copyOf(expect);
    }

    public Scenario(int schema, String name, String description, List<Step> steps) {
        this(schema, name, description, steps, List.of());
    }

    public long totalDurationMs() {
        return steps.stream().mapToLong(Step::durationMs).sum();
    }
}
