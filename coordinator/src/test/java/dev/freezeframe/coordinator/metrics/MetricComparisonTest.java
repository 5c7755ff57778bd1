package dev.freezeframe.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.metrics.MetricComparison.Thresholds;
import dev.freezeframe.coordinator.metrics.MetricComparison.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricComparisonTest {
    private static double[] normal(SplittableRandom random, int n, double mean, double sd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller from the seeded generator: the same numbers on every machine
            double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
            v[i] = mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        return v;
    }

    private static Verdict verdict(MetricName metric, double[] a, double[] b) {
        return MetricComparison.row("k", metric, a, b, Thresholds.DEFAULT).verdict();
    }

    @Test
    void welchsPValueMatchesAReferenceComputation() {
        // R: t.test(1:5, c(2,4,6,8,10)) -> t = -1.8974, df = 5.8824, p-value = 0.1075
        assertEquals(0.1075, MetricComparison.welchP(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 6, 8, 10}),
                5e-4);
    }

    @Test
    void welchsTestRejectsEqualDistributionsAtItsStatedRate() {
        SplittableRandom random = new SplittableRandom(16);
        int trials = 4000, rejected = 0;
        for (int i = 0; i < trials; i++) {
            if (MetricComparison.welchP(normal(random, 5, 100, 5), normal(random, 5, 100, 5)) < 0.05) rejected++;
        }
        double rate = (double) rejected / trials;
        assertTrue(rate > 0.035 && rate < 0.065, "false-positive rate " + rate + " should be about 0.05");
    }

    @Test
    void equalDistributionsSayNoChangeAtMostAtTheStatedFalsePositiveRate() {
        SplittableRandom random = new SplittableRandom(42);
        int trials = 2000, flagged = 0;
        for (int i = 0; i < trials; i++) {
            Verdict v = verdict(MetricName.RATE, normal(random, 5, 1000, 50), normal(random, 5, 1000, 50));
            if (v == Verdict.WORSE || v == Verdict.BETTER) flagged++;
        }
        assertTrue(flagged <= trials * Thresholds.DEFAULT.alpha(), flagged + " of " + trials + " flagged");
    }

    @Test
    void aTenPercentDropInARateWithFiveRunsPerSideIsWorse() {
        SplittableRandom random = new SplittableRandom(7);
        assertEquals(Verdict.WORSE, verdict(MetricName.RATE, normal(random, 5, 1000, 30), normal(random, 5, 900, 30)));
        int trials = 500, caught = 0;
        for (int i = 0; i < trials; i++) {
            if (verdict(MetricName.RATE, normal(random, 5, 1000, 30), normal(random, 5, 900, 30)) == Verdict.WORSE) {
                caught++;
            }
        }
        assertTrue(caught >= trials * 0.95, "caught " + caught + " of " + trials);
    }

    @Test
    void directionDecidesBetterOrWorseAndNeutralMetricsOnlyChange() {
        double[] low = {10, 11, 10.5, 10.2, 10.8};
        double[] high = {20, 21, 20.5, 20.2, 20.8};
        assertEquals(Verdict.WORSE, verdict(MetricName.WAKE_P99, low, high));
        assertEquals(Verdict.BETTER, verdict(MetricName.WAKE_P99, high, low));
        assertEquals(Verdict.BETTER, verdict(MetricName.RATE, low, high));
        assertEquals(Verdict.CHANGED, verdict(MetricName.MIGRATIONS, low, high));
    }

    @Test
    void smallChangesAreNoChangeEvenWhenSignificant() {
        // 1 % faster with almost no noise: significant, but below the 5 % threshold
        assertEquals(Verdict.NO_CHANGE, verdict(MetricName.RATE, new double[] {100, 100.01, 99.99},
                new double[] {101, 101.01, 100.99}));
        // 50 % more latency, but only 3 us: below the absolute threshold for microseconds
        assertEquals(Verdict.NO_CHANGE, verdict(MetricName.WAKE_P50, new double[] {6, 6, 6}, new double[] {9, 9, 9}));
    }

    @Test
    void aLargeChangeHiddenInNoiseIsNoisy() {
        assertEquals(Verdict.NOISY, verdict(MetricName.RATE, new double[] {100, 200, 50, 150},
                new double[] {80, 190, 30, 120}));
    }

    @Test
    void tinySamplesUseDisjointRanges() {
        assertEquals(Verdict.WORSE, verdict(MetricName.RATE, new double[] {100, 104}, new double[] {80, 83}));
        assertEquals(Verdict.NOISY, verdict(MetricName.RATE, new double[] {100, 90}, new double[] {80, 93}));
        assertEquals(Verdict.WORSE, verdict(MetricName.RATE, new double[] {100}, new double[] {80}));
    }

    @Test
    void runsAreMatchedByKeyAndAMetricOnOneSideOnlyIsMissing() {
        List<List<WorkloadMetric>> a = new ArrayList<>(), b = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            a.add(List.of(new WorkloadMetric(1, "s", "cpu", MetricName.RATE, 1000 + i),
                    new WorkloadMetric(1, "s", "latency", MetricName.WAKE_P99, 50 + i)));
            b.add(List.of(new WorkloadMetric(1, "s", "cpu", MetricName.RATE, 500 + i)));
        }
        List<MetricComparison.Row> rows = MetricComparison.compare(a, b, Thresholds.DEFAULT);
        assertEquals(Verdict.WORSE, MetricComparison.find(rows, "s/cpu/rate").orElseThrow().verdict());
        assertEquals(Verdict.MISSING, MetricComparison.find(rows, "s/latency/wake_p99_us").orElseThrow().verdict());
        assertTrue(MetricComparison.anyWorse(rows));
        assertEquals("-50.0 %", MetricComparison.find(rows, "s/cpu/rate").orElseThrow().describeChange());
    }
}
