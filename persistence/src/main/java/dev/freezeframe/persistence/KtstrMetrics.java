package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WholeRunMetrics;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workload metrics of a ktstr sidecar: the whole-run figures of its {@code stats} object (ktstr's
 * {@code ScenarioStats}) whose meaning matches one of ours, as whole-run values ({@link WholeRunMetrics}). The mapping
 * is the table in {@code docs/metrics-and-ab.md}; figures measured differently from ours (ktstr's spread is of
 * off-CPU percentages, its run delays are absolute) are not mapped, so they can never be compared as if they were ours.
 */
final class KtstrMetrics {
    /** ktstr field → our metric. */
    static final Map<String, MetricName> MAPPING = Map.of(
            "total_iterations", MetricName.ITERATIONS,
            "worst_median_wake_latency_us", MetricName.WAKE_P50,
            "worst_p99_wake_latency_us", MetricName.WAKE_P99);

    private KtstrMetrics() {
    }

    /**
     * The mapped figures of the sidecar's {@code stats}; a field that is not a finite, non-negative number is left out
     * with a note, and a wake-up delay of exactly 0 is left out as "not measured" (ktstr writes 0 when no worker
     * recorded a wake-up).
     */
    static List<WorkloadMetric> of(JsonNode sidecar, List<String> notes) {
        List<WorkloadMetric> out = new ArrayList<>();
        JsonNode stats = sidecar.path("stats");
        if (!stats.isObject()) return out;
        for (MetricName ours : MetricName.values()) {
            String field = MAPPING.entrySet().stream().filter(e -> e.getValue() == ours).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            if (field == null || !stats.has(field) || stats.get(field).isNull()) continue;
            JsonNode v = stats.get(field);
            double value = v.isNumber() ? v.asDouble() : Double.NaN;
            if (!Double.isFinite(value) || value < 0) {
                notes.add("left out the sidecar's stats." + field + " = " + v + " (not a non-negative number)");
                continue;
            }
            if (value == 0 && ours.unit().equals("us")) continue;
            out.add(WholeRunMetrics.of(ours, value));
        }
        return out;
    }
}
