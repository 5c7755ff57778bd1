package dev.freezeframe.coordinator.wire;

import java.util.Locale;
import java.util.Optional;

/** What a workload process does, as a {@link WireMessage.WorkloadMetrics} worker sample says. Codes mirror
 * {@code FFWIRE_WORKER_*}. */
public enum WorkerRole {
    /** Busy loop; iterations are loop rounds. */
    CPU(1),
    /** One side of a pipe ping-pong pair; iterations are token passes. */
    PINGPONG(2),
    /** Forks children that exit at once; iterations are forks. */
    FORKEXIT(3),
    /** Timer-driven sleeper measuring its wake-up delay; iterations are wake-ups. */
    LATENCY(4),
    /** One side of a futex ping-pong pair; iterations are token passes. */
    FUTEX(5),
    /** Calls sched_yield in a loop; iterations are yields. */
    YIELD(6),
    /** Busy bursts between sleeps; iterations are busy-loop rounds. */
    BURSTY(7),
    /** Strides through a large buffer; iterations are cache lines touched. */
    MEMORY(8),
    /** Creates threads that exit at once; iterations are threads. */
    THREADS(9),
    /** Runs a user's binary shipped with {@code --include}; it counts no iterations (only its scheduling is measured). */
    EXEC(10);

    private final int code;

    WorkerRole(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The name in metric keys and scenarios ({@code cpu}, {@code pingpong}...). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<WorkerRole> fromCode(int code) {
        for (WorkerRole r : values()) if (r.code == code) return Optional.of(r);
        return Optional.empty();
    }
}
