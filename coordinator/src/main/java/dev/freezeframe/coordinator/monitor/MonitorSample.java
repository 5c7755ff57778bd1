package dev.freezeframe.coordinator.monitor;

/** One value of one series at one sample (the series name without the {@code monitor:} prefix). */
public record MonitorSample(String series, double value) {
}
