package dev.freezeframe.coordinator.scenario;

/**
 * A scenario's assertion on a workload metric, checked when the run would otherwise pass; a miss turns the verdict
 * into {@code failed_expectation}.
 *
 * @param metric a metric key ({@code wake_p99_us}, {@code spread_pct}, see {@code MetricName})
 * @param step   the step it applies to; null = every step that measured it
 * @param group  the worker group ({@code cpu}, {@code latency}...); null = every group that measured it
 * @param below  the value must be below this (null = no upper bound)
 * @param above  the value must be above this (null = no lower bound)
 */
public record Expectation(String metric, String step, String group, Double below, Double above) {
    /** How the expectation reads to people: "wake_p99_us below 5000 (step probe, group latency)". */
    public String describe() {
        StringBuilder text = new StringBuilder(metric);
        if (below != null) text.append(" below ").append(number(below));
        if (above != null) text.append(below != null ? " and" : "").append(" above ").append(number(above));
        if (step != null || group != null) {
            text.append(" (");
            if (step != null) text.append("step ").append(step);
            if (group != null) text.append(step != null ? ", " : "").append("group ").append(group);
            text.append(')');
        }
        return text.toString();
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
