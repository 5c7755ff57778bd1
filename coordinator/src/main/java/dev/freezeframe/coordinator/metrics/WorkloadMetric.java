package dev.freezeframe.coordinator.metrics;

import java.util.Objects;

/**
 * One measured value of a run: a metric of one group of workers in one step.
 *
 * @param stepIndex the step (1..N)
 * @param stepName  its name
 * @param group     which workers: their role ({@code cpu}, {@code pingpong}, {@code forkexit}, {@code latency})
 * @param metric    what was measured
 * @param value     the value in the metric's unit
 */
public record WorkloadMetric(int stepIndex, String stepName, String group, MetricName metric, double value) {
    public WorkloadMetric {
        Objects.requireNonNull(stepName, "stepName");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(metric, "metric");
        if (!Double.isFinite(value)) throw new IllegalArgumentException("metric value must be finite: " + value);
    }

    /** {@code step/group/metric}: the name a comparison matches runs on. */
    public String key() {
        return stepName + "/" + group + "/" + metric.key();
    }
}
