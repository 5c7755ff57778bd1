package dev.freezeframe.coordinator.model;

import java.util.Arrays;

/** The timeline lane an event belongs to. The wire names are stored in the archive. */
public enum Lane {
    /** Boot, SYS_RDY, scheduler attach/detach, exit, verdict. */
    LIFECYCLE("lifecycle"),
    /** Scenario steps (start of each step). */
    STEPS("steps"),
    /** Guest console (COM1) lines. */
    CONSOLE("console"),
    /** The scheduler's own output: stdout, stderr, its log, sched_ext kernel messages. */
    SCHEDULER("scheduler"),
    /** Snapshot captures (periodic, requested, error, watchpoint). */
    SNAPSHOTS("snapshots"),
    /** Watchpoint arm/hit/disarm/refuse. */
    WATCHPOINTS("watchpoints"),
    /** Numeric series (scheduler stats counters); the event's value carries the number. */
    STATS("stats"),
    /** Harness diagnostics: watchdog, dropped frames, internal errors. */
    HARNESS("harness");

    private final String wireName;

    Lane(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Lane fromWireName(String name) {
        return Arrays.stream(values())
                .filter(l -> l.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown lane '" + name + "'"));
    }
}
