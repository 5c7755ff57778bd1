package dev.freezeframe.coordinator.model;

import java.util.List;
import java.util.Objects;

/**
 * What the user asked for: everything needed to repeat a run.
 *
 * @param scheduler     scheduler name (a kit scheduler such as {@code scx_qmap}) or path of the user's binary
 * @param schedulerArgs arguments passed to the scheduler
 * @param scenario      built-in scenario name or scenario file path
 * @param vcpus         number of guest vCPUs
 * @param memoryMib     guest memory in MiB
 * @param kernel        kernel image: {@code kit} for the guest kit's kernel, else a bzImage path
 * @param snapshots     periodic snapshots to spread over the workload window (0 = none)
 * @param watches       symbols to watch from the start (at most 3)
 * @param freezeOnEnable freeze the guest as soon as the scheduler is enabled (before the workload), so watches can be
 *                       armed on a still guest; it runs on when resumed
 * @param monitor       the live monitor: on by default, every 100 ms
 */
public record RunConfig(String scheduler, List<String> schedulerArgs, String scenario, int vcpus, int memoryMib,
                        String kernel, int snapshots, List<String> watches, boolean freezeOnEnable,
                        MonitorConfig monitor) {
    public RunConfig {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(kernel, "kernel");
        schedulerArgs = List.copyOf(schedulerArgs);
        watches = List.copyOf(watches);
        if (vcpus < 1) throw new IllegalArgumentException("vcpus must be >= 1: " + vcpus);
        if (memoryMib < 64) throw new IllegalArgumentException("memory must be >= 64 MiB: " + memoryMib);
        if (snapshots < 0) throw new IllegalArgumentException("snapshots must be >= 0: " + snapshots);
    }

    public RunConfig(String scheduler, List<String> schedulerArgs, String scenario, int vcpus, int memoryMib,
                     String kernel, int snapshots, List<String> watches, boolean freezeOnEnable) {
        this(scheduler, schedulerArgs, scenario, vcpus, memoryMib, kernel, snapshots, watches, freezeOnEnable,
                MonitorConfig.DEFAULT);
    }

    /** The same run with another live monitor. */
    public RunConfig withMonitor(MonitorConfig monitor) {
        return new RunConfig(scheduler, schedulerArgs, scenario, vcpus, memoryMib, kernel, snapshots, watches,
                freezeOnEnable, monitor);
    }

    /** A run that starts the workload as soon as the scheduler is enabled. */
    public RunConfig(String scheduler, List<String> schedulerArgs, String scenario, int vcpus, int memoryMib,
                     String kernel, int snapshots, List<String> watches) {
        this(scheduler, schedulerArgs, scenario, vcpus, memoryMib, kernel, snapshots, watches, false);
    }
}
