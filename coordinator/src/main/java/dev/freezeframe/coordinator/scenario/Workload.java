package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * What runs during a step. Counts are per kind: CPU-bound workers, sleep/wake ping-pong pairs (two processes passing a
 * token through pipes, so the scheduler sees constant wakeups), and fork/exit churn workers (each forks children that
 * exit at once). A {@code mixed} workload uses all three counts. Latency probes (timer-driven sleepers that measure
 * how late they wake) go with any kind; a {@code latency} workload is probes alone. Schema 2 adds kinds ({@code futex}
 * pairs; {@code yield}, {@code bursty}, {@code memory}, {@code threads} workers) and placement: a cgroup, an affinity
 * mask, a nice level and a policy.
 *
 * @param cgroup     the scenario cgroup its processes join (null: the agent's own)
 * @param cpus       affinity mask as a CPU list (null: any CPU)
 * @param nice       -20..19 (null: 0)
 * @param policy     scheduling policy (null: normal)
 * @param rtPriority 1..99, only with {@code fifo}/{@code rr}
 * @param burstMs    {@code bursty}: busy for this long (default 5 ms)...
 * @param idleMs     ...then asleep for this long (default 5 ms)
 * @param memKib     {@code memory}: the buffer each worker strides through (default 4096 KiB)
 * @param path       {@code exec}: the name of a file shipped into the guest with {@code --include}
 * @param args       {@code exec}: its arguments
 */
public record Workload(Kind kind, int workers, int pairs, @JsonProperty("forkers") int forkers, int probes,
                       String cgroup, String cpus, Integer nice, Policy policy,
                       @JsonProperty("rt_priority") Integer rtPriority, @JsonProperty("burst_ms") Integer burstMs,
                       @JsonProperty("idle_ms") Integer idleMs, @JsonProperty("mem_kib") Integer memKib,
                       String path, java.util.List<String> args) {
    public enum Kind {
        IDLE, CPU, PINGPONG, FORKEXIT, MIXED, LATENCY,
        /** Pairs handing a token back and forth through a shared futex word. */
        FUTEX,
        /** Workers calling sched_yield in a loop. */
        YIELD,
        /** Workers alternating a busy burst and a sleep (duty cycle). */
        BURSTY,
        /** Workers striding through a buffer larger than the caches: memory and cache pressure. */
        MEMORY,
        /** Workers creating short-lived threads that exit at once. */
        THREADS,
        /** Workers running a user's binary shipped with {@code --include}. */
        EXEC;

        public String planName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Kinds that exist only from schema 2. */
        public boolean schema2() {
            return ordinal() >= FUTEX.ordinal();
        }
    }

    public static final int DEFAULT_BURST_MS = 5;
    public static final int DEFAULT_IDLE_MS = 5;
    public static final int DEFAULT_MEM_KIB = 4096;
    public static final Workload IDLE = new Workload(Kind.IDLE, 0, 0, 0, 0);

    public Workload {
        args = args == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }

    public Workload(Kind kind, int workers, int pairs, int forkers, int probes, String cgroup, String cpus,
                    Integer nice, Policy policy, Integer rtPriority, Integer burstMs, Integer idleMs, Integer memKib) {
        this(kind, workers, pairs, forkers, probes, cgroup, cpus, nice, policy, rtPriority, burstMs, idleMs, memKib,
                null, null);
    }

    public Workload(Kind kind, int workers, int pairs, int forkers, int probes) {
        this(kind, workers, pairs, forkers, probes, null, null, null, null, null, null, null, null);
    }

    /** {@code exec}'s arguments (empty when none were given). */
    public java.util.List<String> argsOrEmpty() {
        return args == null ? java.util.List.of() : args;
    }

    public Workload(Kind kind, int workers, int pairs, int forkers) {
        this(kind, workers, pairs, forkers, 0);
    }

    /** True when it uses any schema 2 field. */
    public boolean usesSchema2() {
        return kind.schema2() || cgroup != null || cpus != null || nice != null || policy != null
                || rtPriority != null || burstMs != null || idleMs != null || memKib != null || path != null
                || args != null;
    }
}
