package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * What runs during a step. Counts are per kind: CPU-bound workers, sleep/wake ping-pong pairs (two processes passing a
 * token through pipes, so the scheduler sees constant wakeups), and fork/exit churn workers (each forks children that
 * exit at once). A {@code mixed} workload uses all three counts. Latency probes (timer-driven sleepers that measure
 * how late they wake) go with any kind; a {@code latency} workload is probes alone.
 */
public record Workload(Kind kind, int workers, int pairs, @JsonProperty("forkers") int forkers, int probes) {
    public enum Kind {
        IDLE, CPU, PINGPONG, FORKEXIT, MIXED, LATENCY;

        public String planName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final Workload IDLE = new Workload(Kind.IDLE, 0, 0, 0, 0);

    public Workload(Kind kind, int workers, int pairs, int forkers) {
        this(kind, workers, pairs, forkers, 0);
    }
}
