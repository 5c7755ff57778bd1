package dev.freezeframe.coordinator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-run values: what a run measured folded over its steps and groups, under the key {@code run/all/METRIC}.
 *
 * <p>Runs imported from ktstr carry only whole-run figures (ktstr reports the worst cgroup over the run, not per step),
 * so they cannot be matched to our runs step by step. When a comparison holds such a run, every run on both sides is
 * folded to the same whole-run keys: iterations are summed, wake-up delays take the worst (largest) value of any step
 * and group — the same "worst over the run" ktstr reports. Metrics that do not fold meaningfully (rates, shares) are
 * left out of the folded comparison rather than guessed.
 */
public final class WholeRunMetrics {
    /** The step name of whole-run values. */
    public static final String STEP = "run";
    /** The group name of whole-run values. */
    public static final String GROUP = "all";
    /** The step index of whole-run values: before any real step (steps count from 1). */
    public static final int STEP_INDEX = 0;

    private WholeRunMetrics() {
    }

    /** A whole-run value. */
    public static WorkloadMetric of(MetricName metric, double value) {
        return new WorkloadMetric(STEP_INDEX, STEP, GROUP, metric, value);
    }

    /** True when every value of the run is a whole-run value (a run imported from ktstr). */
    public static boolean onlyWholeRun(List<WorkloadMetric> run) {
        return !run.isEmpty() && run.stream().allMatch(WholeRunMetrics::isWholeRun);
    }

    private static boolean isWholeRun(WorkloadMetric m) {
        return m.stepIndex() == STEP_INDEX && m.stepName().equals(STEP) && m.group().equals(GROUP);
    }

    /**
     * The run folded to whole-run values: its own whole-run values as they are, and for the others the sum of
     * {@code iterations} and the largest {@code wake_p50_us}, {@code wake_p90_us}, {@code wake_p99_us} and
     * {@code wake_max_us} over its steps and groups.
     */
    public static List<WorkloadMetric> fold(List<WorkloadMetric> run) {
        Map<MetricName, Double> folded = new LinkedHashMap<>();
        Map<MetricName, Double> own = new LinkedHashMap<>();
        for (WorkloadMetric m : run) {
            if (isWholeRun(m)) {
                own.put(m.metric(), m.value());
                continue;
            }
            switch (m.metric()) {
                case ITERATIONS -> folded.merge(m.metric(), m.value(), Double::sum);
                case WAKE_P50, WAKE_P90, WAKE_P99, WAKE_MAX -> folded.merge(m.metric(), m.value(), Math::max);
                default -> {
                    // rates and shares of different steps do not add up to a whole-run figure
                }
            }
        }
        folded.putAll(own);
        List<WorkloadMetric> out = new ArrayList<>();
        folded.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(of(e.getKey(), e.getValue())));
        return out;
    }

    /** Both sides of a comparison, folded to whole-run values when any run on either side has only those. */
    public record Sides(List<List<WorkloadMetric>> a, List<List<WorkloadMetric>> b, boolean folded) {
    }

    /** The runs as they are, or every run folded when one of them was imported from ktstr. */
    public static Sides forComparison(List<List<WorkloadMetric>> a, List<List<WorkloadMetric>> b) {
        boolean fold = a.stream().anyMatch(WholeRunMetrics::onlyWholeRun)
                || b.stream().anyMatch(WholeRunMetrics::onlyWholeRun);
        if (!fold) return new Sides(a, b, false);
        return new Sides(a.stream().map(WholeRunMetrics::fold).toList(), b.stream().map(WholeRunMetrics::fold).toList(),
                true);
    }
}
