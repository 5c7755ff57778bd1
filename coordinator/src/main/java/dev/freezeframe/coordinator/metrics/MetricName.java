package dev.freezeframe.coordinator.metrics;

import java.util.Arrays;
import java.util.Optional;

/**
 * The workload metrics measured per step and group, with their unit and which direction is better (what an A/B
 * comparison calls a regression). Names are stable: they are archived, printed and used in scenario expectations.
 */
public enum MetricName {
    /** Work done: loop passes of the group's workers, summed. */
    ITERATIONS("iterations", "count", Better.NEITHER, "work done (loop passes, token passes, forks or wake-ups)"),
    /** Work done per second of the step, summed over the group's workers. */
    RATE("rate", "1/s", Better.HIGHER, "work done per second"),
    /** Mean share of the step each worker spent on a CPU. */
    ON_CPU("on_cpu_pct", "%", Better.NEITHER, "mean share of the step each worker ran on a CPU"),
    /** Mean share of the step each worker spent runnable but waiting for a CPU (schedstat run delay). */
    RUN_DELAY("run_delay_pct", "%", Better.LOWER, "mean share of the step each worker waited runnable"),
    /** Run delay per time slice: how long a worker waited each time it got the CPU. */
    WAIT_PER_SLICE("wait_per_slice_us", "us", Better.LOWER, "mean wait before each time slice"),
    /** CPU migrations per second, summed over the group. */
    MIGRATIONS("migrations_per_s", "1/s", Better.NEITHER, "CPU migrations per second"),
    /** Context switches (voluntary and involuntary) per second, summed. */
    SWITCHES("switches_per_s", "1/s", Better.NEITHER, "context switches per second"),
    /** Involuntary context switches (preemptions) per second, summed. */
    PREEMPTIONS("preemptions_per_s", "1/s", Better.NEITHER, "involuntary context switches per second"),
    /** (max - min) / mean of the workers' on-CPU time: 0 when equal workers got equal CPU. */
    SPREAD("spread_pct", "%", Better.LOWER, "fairness spread of on-CPU time between the group's workers"),
    /** Times a worker was seen running outside its cpuset. */
    CPUSET_ESCAPES("cpuset_escapes", "count", Better.LOWER, "times a worker ran outside its cpuset"),
    /** A cgroup's share of the CPU time its sibling cgroups' workers got in the step. */
    CPU_SHARE("cpu_share_pct", "%", Better.NEITHER, "share of the sibling cgroups' CPU time this cgroup's workers got"),
    /** The share its cpu.weight entitles a cgroup to among its busy siblings. */
    WEIGHT_SHARE("weight_share_pct", "%", Better.NEITHER, "share of CPU time the cgroup's weight entitles it to"),
    /** |cpu_share - weight_share| / weight_share: 0 when CPU time was split exactly by weight. */
    WEIGHT_ERROR("weight_error_pct", "%", Better.LOWER, "how far the cgroup's CPU share is from its weight's share"),
    /** Latency probe wake-ups measured. */
    WAKE_SAMPLES("wake_samples", "count", Better.NEITHER, "latency probe wake-ups measured"),
    WAKE_P50("wake_p50_us", "us", Better.LOWER, "median wake-up delay"),
    WAKE_P90("wake_p90_us", "us", Better.LOWER, "90th percentile wake-up delay"),
    WAKE_P99("wake_p99_us", "us", Better.LOWER, "99th percentile wake-up delay"),
    WAKE_MAX("wake_max_us", "us", Better.LOWER, "longest wake-up delay");

    /** Which change of a metric is an improvement. */
    public enum Better { HIGHER, LOWER, NEITHER }

    private final String key;
    private final String unit;
    private final Better better;
    private final String meaning;

    MetricName(String key, String unit, Better better, String meaning) {
        this.key = key;
        this.unit = unit;
        this.better = better;
        this.meaning = meaning;
    }

    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    public Better better() {
        return better;
    }

    public String meaning() {
        return meaning;
    }

    public static Optional<MetricName> fromKey(String key) {
        return Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
    }
}
