package dev.freezeframe.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WholeRunMetricsTest {
    private static final List<WorkloadMetric> OURS = List.of(
            new WorkloadMetric(1, "a", "cpu", MetricName.ITERATIONS, 10),
            new WorkloadMetric(2, "b", "cpu", MetricName.ITERATIONS, 5),
            new WorkloadMetric(2, "b", "cpu", MetricName.RATE, 7),
            new WorkloadMetric(1, "a", "latency", MetricName.WAKE_P99, 300),
            new WorkloadMetric(2, "b", "latency", MetricName.WAKE_P99, 900),
            new WorkloadMetric(2, "b", "latency", MetricName.WAKE_MAX, 1500));

    @Test
    void foldingSumsIterationsTakesTheWorstWakeDelayAndDropsWhatDoesNotFold() {
        assertEquals(List.of(WholeRunMetrics.of(MetricName.ITERATIONS, 15),
                WholeRunMetrics.of(MetricName.WAKE_P99, 900), WholeRunMetrics.of(MetricName.WAKE_MAX, 1500)),
                WholeRunMetrics.fold(OURS));
    }

    @Test
    void runsAreFoldedOnlyWhenOneOfThemHasWholeRunValuesAlone() {
        List<List<WorkloadMetric>> a = List.of(OURS);
        WholeRunMetrics.Sides plain = WholeRunMetrics.forComparison(a, List.of(OURS));
        assertFalse(plain.folded());
        assertSame(a, plain.a());

        List<WorkloadMetric> imported = List.of(WholeRunMetrics.of(MetricName.WAKE_P99, 800));
        assertTrue(WholeRunMetrics.onlyWholeRun(imported));
        assertFalse(WholeRunMetrics.onlyWholeRun(OURS));
        WholeRunMetrics.Sides folded = WholeRunMetrics.forComparison(List.of(imported), List.of(OURS));
        assertTrue(folded.folded());
        assertEquals(imported, folded.a().getFirst());
        assertEquals(WholeRunMetrics.fold(OURS), folded.b().getFirst());
    }
}
