package dev.freezeframe.coordinator.model;

import java.time.Duration;
import java.util.List;

/**
 * The live monitor of a run (docs/monitor.md): whether it samples, how often, and the scheduler map fields the user
 * named ({@code MAP[KEY]:FIELD_PATH}, checked by {@code MonitorSpec.parse}).
 */
public record MonitorConfig(boolean enabled, long intervalMs, List<String> fields) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);
    public static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    public static final MonitorConfig DEFAULT = new MonitorConfig(true, DEFAULT_INTERVAL, List.of());
    public static final MonitorConfig OFF = new MonitorConfig(false, DEFAULT_INTERVAL, List.of());

    public MonitorConfig {
        fields = List.copyOf(fields);
        if (intervalMs < MIN_INTERVAL.toMillis()) {
            throw new IllegalArgumentException("the monitor interval must be at least " + MIN_INTERVAL.toMillis()
                    + " ms: " + intervalMs + " ms");
        }
    }

    public MonitorConfig(boolean enabled, Duration interval, List<String> fields) {
        this(enabled, interval.toMillis(), fields);
    }

    /** How often it samples. */
    public Duration interval() {
        return Duration.ofMillis(intervalMs);
    }
}
