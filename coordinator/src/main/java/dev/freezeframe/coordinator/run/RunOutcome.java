package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import java.util.List;

/**
 * How a run ended.
 *
 * @param decision   verdict and reason
 * @param events     events on the run's stream
 * @param durationNs run time from start to the verdict's settling
 * @param metrics    the workload metrics the guest measured, step by step
 */
public record RunOutcome(VerdictDecision decision, long events, long durationNs, List<WorkloadMetric> metrics) {
    public RunOutcome {
        metrics = List.copyOf(metrics);
    }

    public RunOutcome(VerdictDecision decision, long events, long durationNs) {
        this(decision, events, durationNs, List.of());
    }
}
