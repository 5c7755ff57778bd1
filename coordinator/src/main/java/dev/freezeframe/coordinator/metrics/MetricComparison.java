package dev.freezeframe.coordinator.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Compares the workload metrics of two groups of runs (A, the baseline, and B) metric by metric and says whether B is
 * better, worse, unchanged or too noisy to tell.
 *
 * <p>A change counts only when it is both large enough (relative and absolute thresholds, so a 0.1 % shift in a rate
 * or a 2 us shift in a latency is never news) and unlikely to be chance: with at least {@link #MIN_WELCH_SAMPLES} runs
 * per side, Welch's t-test (two-sided, unequal variances) below {@link Thresholds#alpha}; with fewer, the two sides'
 * ranges must not overlap. A large change that fails the significance check is "noisy": rerun with more repeats.
 */
public final class MetricComparison {
    /** Runs per side from which Welch's test is used; below, the disjoint-range check. */
    public static final int MIN_WELCH_SAMPLES = 3;

    /** Per-metric verdicts. */
    public enum Verdict {
        BETTER("better"), WORSE("worse"), NO_CHANGE("no change"), NOISY("noisy"),
        /** A real change of a metric with no better direction (migrations, switches): reported, never a failure. */
        CHANGED("changed"),
        /** Only one side measured it. */
        MISSING("missing");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param alpha    significance level of the two-sided test (the false-positive rate per metric when nothing
     *                 changed, before the size thresholds make it smaller still)
     * @param relative smallest relative change of the mean that counts (0.05 = 5 %)
     */
    public record Thresholds(double alpha, double relative) {
        public static final Thresholds DEFAULT = new Thresholds(0.05, 0.05);

        public Thresholds {
            if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("alpha must be in (0, 1): " + alpha);
            if (!(relative >= 0)) throw new IllegalArgumentException("relative threshold must be >= 0: " + relative);
        }

        /** Smallest absolute change that counts, in the metric's unit. */
        public double absolute(MetricName metric) {
            return switch (metric.unit()) {
                case "us" -> 5.0;   // below timer and TCG jitter
                case "%" -> 1.0;    // one percentage point
                default -> 0.0;
            };
        }
    }

    /**
     * One metric compared.
     *
     * @param key    {@code step/group/metric}
     * @param a      A's values, one per run
     * @param b      B's values
     * @param change (mean B - mean A) / |mean A|; NaN when A's mean is 0 or a side is missing
     * @param pValue Welch's two-sided p-value; NaN when the range check decided (or a side is missing)
     */
    public record Row(String key, MetricName metric, double[] a, double[] b, double meanA, double meanB,
                      double change, double pValue, Verdict verdict) {
        public String describeChange() {
            if (Double.isNaN(change)) return meanA == meanB ? "0 %" : "-";
            return String.format(Locale.ROOT, "%+.1f %%", 100 * change);
        }
    }

    private MetricComparison() {
    }

    /**
     * @param a per run of side A, its metrics (a run counts once per metric key)
     * @param b per run of side B
     * @return one row per metric key measured by either side, in the order A lists them (then B's extra ones)
     */
    public static List<Row> compare(List<List<WorkloadMetric>> a, List<List<WorkloadMetric>> b, Thresholds t) {
        Map<String, MetricName> names = new LinkedHashMap<>();
        Map<String, List<Double>> va = values(a, names);
        Map<String, List<Double>> vb = values(b, names);
        List<Row> rows = new ArrayList<>();
        names.forEach((key, metric) -> rows.add(row(key, metric, unbox(va.get(key)), unbox(vb.get(key)), t)));
        return rows;
    }

    /** True when any metric got worse: what a CI gate fails on. */
    public static boolean anyWorse(List<Row> rows) {
        return rows.stream().anyMatch(r -> r.verdict() == Verdict.WORSE);
    }

    static Row row(String key, MetricName metric, double[] a, double[] b, Thresholds t) {
        double meanA = mean(a), meanB = mean(b);
        if (a.length == 0 || b.length == 0) {
            return new Row(key, metric, a, b, meanA, meanB, Double.NaN, Double.NaN, Verdict.MISSING);
        }
        double diff = meanB - meanA;
        double change = meanA == 0 ? Double.NaN : diff / Math.abs(meanA);
        boolean bigEnough = Math.abs(diff) >= t.absolute(metric) && diff != 0
                && (meanA == 0 || Math.abs(change) >= t.relative());
        double p = Double.NaN;
        boolean significant;
        if (a.length >= MIN_WELCH_SAMPLES && b.length >= MIN_WELCH_SAMPLES) {
            p = welchP(a, b);
            significant = p < t.alpha();
        } else {
            significant = max(a) < min(b) || max(b) < min(a);
        }
        Verdict verdict;
        if (!bigEnough) verdict = Verdict.NO_CHANGE;
        else if (!significant) verdict = Verdict.NOISY;
        else verdict = switch (metric.better()) {
            case HIGHER -> diff > 0 ? Verdict.BETTER : Verdict.WORSE;
            case LOWER -> diff < 0 ? Verdict.BETTER : Verdict.WORSE;
            case NEITHER -> Verdict.CHANGED;
        };
        return new Row(key, metric, a, b, meanA, meanB, change, p, verdict);
    }

    /** Welch's two-sided p-value; 0 when both sides are constant but differ, 1 when they are identical. */
    static double welchP(double[] a, double[] b) {
        double va = variance(a) / a.length, vb = variance(b) / b.length;
        double diff = mean(b) - mean(a);
        double se2 = va + vb;
        if (se2 == 0) return diff == 0 ? 1.0 : 0.0;
        double tStat = diff / Math.sqrt(se2);
        double df = se2 * se2 / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        return 2 * new TDistribution(null, df).cumulativeProbability(-Math.abs(tStat));
    }

    private static Map<String, List<Double>> values(List<List<WorkloadMetric>> runs, Map<String, MetricName> names) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (List<WorkloadMetric> run : runs) {
            Map<String, WorkloadMetric> once = new LinkedHashMap<>();
            for (WorkloadMetric m : run) once.putIfAbsent(m.key(), m);
            once.forEach((key, m) -> {
                names.putIfAbsent(key, m.metric());
                out.computeIfAbsent(key, k -> new ArrayList<>()).add(m.value());
            });
        }
        return out;
    }

    private static double[] unbox(List<Double> values) {
        return values == null ? new double[0] : values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
    }

    private static double variance(double[] v) {
        double m = mean(v), s = 0;
        for (double x : v) s += (x - m) * (x - m);
        return v.length < 2 ? 0 : s / (v.length - 1);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** The row of a key, for tests and callers that look one up. */
    public static Optional<Row> find(List<Row> rows, String key) {
        return rows.stream().filter(r -> r.key().equals(key)).findFirst();
    }
}
