package dev.freezeframe.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.metrics.MetricComparison.Row;
import dev.freezeframe.coordinator.metrics.MetricComparison.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How an A/B comparison of workload metrics prints: a table with a verdict per metric, or one JSON object. */
final class ComparisonText {
    private ComparisonText() {
    }

    /** The two sides as people read them: their label (scheduler and arguments) and run ids. */
    record Side(String label, List<Long> runs) {
    }

    static void print(PrintWriter out, Side a, Side b, MetricComparison.Thresholds t, List<Row> rows) {
        out.printf("A (baseline): %s, runs %s%n", a.label(), ids(a.runs()));
        out.printf("B:            %s, runs %s%n", b.label(), ids(b.runs()));
        out.printf("Welch's t-test at alpha %s (disjoint ranges below %d runs a side); a change counts from %s %%%n",
                number(t.alpha()), MetricComparison.MIN_WELCH_SAMPLES, number(100 * t.relative()));
        out.println();
        out.printf("%-44s %12s %12s %9s %7s  %s%n", "METRIC (step/group/metric)", "A mean", "B mean", "change", "p",
                "VERDICT");
        for (Row r : rows) {
            out.printf("%-44s %12s %12s %9s %7s  %s%n", r.key(), MetricsText.number(r.meanA()),
                    MetricsText.number(r.meanB()), r.describeChange(),
                    Double.isNaN(r.pValue()) ? "-" : String.format(Locale.ROOT, "%.3f", r.pValue()),
                    r.verdict().label());
        }
        out.println();
        out.println("verdict: " + summary(rows) + (MetricComparison.anyWorse(rows) ? " — B is worse" : ""));
    }

    static String summary(List<Row> rows) {
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (Row r : rows) counts.merge(r.verdict(), 1L, Long::sum);
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label())
                .collect(Collectors.joining(", "));
    }

    static String json(Side a, Side b, MetricComparison.Thresholds t, List<Row> rows) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("a", Map.of("label", a.label(), "runs", a.runs()));
        root.put("b", Map.of("label", b.label(), "runs", b.runs()));
        root.put("alpha", t.alpha());
        root.put("relative_threshold", t.relative());
        root.put("worse", MetricComparison.anyWorse(rows));
        List<Map<String, Object>> metrics = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", r.key());
            m.put("metric", r.metric().key());
            m.put("unit", r.metric().unit());
            m.put("better", r.metric().better().name().toLowerCase(Locale.ROOT));
            m.put("a", r.a());
            m.put("b", r.b());
            m.put("mean_a", finiteOrNull(r.meanA()));
            m.put("mean_b", finiteOrNull(r.meanB()));
            m.put("change", finiteOrNull(r.change()));
            m.put("p_value", finiteOrNull(r.pValue()));
            m.put("verdict", r.verdict().label());
            metrics.add(m);
        }
        root.put("metrics", metrics);
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String ids(List<Long> runs) {
        return runs.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
