package dev.freezeframe.coordinator.monitor;

import java.util.Optional;

/**
 * How the live monitor's series are named on the run's stats lane: event kind {@value #KIND_PREFIX}{@code NAME}, the
 * value the number. Names: {@code cpuN/nr_running} ({@code rq->scx.nr_running}), {@code cpuN/local_dsq},
 * {@code cpuN/oldest_runnable_ms}, {@code dsq/global} ({@code dsq/globalN} for node N &gt; 0), {@code dsq/user ID},
 * {@code events/SCX_EV_*} (summed over CPUs), and the user's fields {@code field/MAP[KEY]:PATH} (per-CPU maps:
 * {@code …/cpuN} and {@code …/sum}).
 */
public final class MonitorSeries {
    public static final String KIND_PREFIX = "monitor:";

    private MonitorSeries() {
    }

    /** The stats-lane event kind of a series: {@code monitor:NAME}. */
    public static String kindOf(String name) {
        return KIND_PREFIX + name;
    }

    /** The series name of a stats-lane event kind, or empty when the kind is not the monitor's. */
    public static Optional<String> nameOf(String kind) {
        return kind != null && kind.startsWith(KIND_PREFIX) ? Optional.of(kind.substring(KIND_PREFIX.length()))
                : Optional.empty();
    }

    /** The unit a series is measured in. */
    public static String unitOf(String name) {
        if (name.endsWith("_ms")) return "ms";
        if (name.startsWith("field/")) return "value";
        if (name.startsWith("events/")) return "events";
        return "tasks";
    }
}
