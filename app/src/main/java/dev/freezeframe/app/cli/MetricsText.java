package dev.freezeframe.app.cli;

import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How workload metrics print on the command line: a table per step, and the JSON objects of {@code --json}. */
final class MetricsText {
    private MetricsText() {
    }

    /** One line per metric, grouped under the step and worker group, e.g. {@code   2 loaded  cpu  rate  1.2e+07 1/s}. */
    static void print(PrintWriter out, List<WorkloadMetric> metrics) {
        if (metrics.isEmpty()) return;
        out.printf("  %-4s %-16s %-9s %-20s %14s  %s%n", "STEP", "NAME", "GROUP", "METRIC", "VALUE", "UNIT");
        for (WorkloadMetric m : metrics) {
            out.printf("  %-4d %-16s %-9s %-20s %14s  %s%n", m.stepIndex(), m.stepName(), m.group(), m.metric().key(),
                    number(m.value()), m.metric().unit());
        }
    }

    static List<Map<String, Object>> json(List<WorkloadMetric> metrics) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (WorkloadMetric m : metrics) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("step", m.stepIndex());
            o.put("step_name", m.stepName());
            o.put("group", m.group());
            o.put("metric", m.metric().key());
            o.put("value", m.value());
            o.put("unit", m.metric().unit());
            out.add(o);
        }
        return out;
    }

    /** Short and exact enough for people: 3 significant digits, no exponent below a billion. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (a >= 1e9) return String.format(Locale.ROOT, "%.3g", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f", v);
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
