package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One phase of a scenario.
 *
 * @param name       shown on the timeline and in snapshots
 * @param durationMs how long the workload runs
 * @param workload   what runs (idle when absent)
 * @param actions    done at the start of the step, in order
 */
public record Step(String name, @JsonProperty("duration_ms") long durationMs, Workload workload,
                   List<StepAction> actions) {
    public Step {
        workload = workload == null ? Workload.IDLE : workload;
        actions = actions == null ? List.of() : List.copyOf(actions);
    }
}
