package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One phase of a scenario.
 *
 * @param name       shown on the timeline and in snapshots
 * @param durationMs how long the workload runs
 * @param workload   what runs (idle when absent)
 * @param workloads  schema 2: several workloads at once, each with its own placement (instead of {@code workload})
 * @param actions    done at the start of the step, in order, or during it ({@code at_ms})
 */
public record Step(String name, @JsonProperty("duration_ms") long durationMs, Workload workload,
                   List<Workload> workloads, List<StepAction> actions) {
    public Step {
        actions = actions == null ? List.of() : List.copyOf(actions);
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
    }

    public Step(String name, long durationMs, Workload workload, List<StepAction> actions) {
        this(name, durationMs, workload, null, actions);
    }

    /** What runs, whichever way the scenario said it: {@code workloads}, else {@code workload}, else idle. */
    public List<Workload> allWorkloads() {
        if (!workloads.isEmpty()) return workloads;
        return List.of(workload == null ? Workload.IDLE : workload);
    }
}
