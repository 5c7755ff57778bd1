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
 * @param swaps         the schedulers the scenario swaps in, step by step (recorded so the config names them all)
 * @param includes      files shipped into the guest with {@code --include}
 */
public record RunConfig(String scheduler, List<String> schedulerArgs, String scenario, int vcpus, int memoryMib,
                        String kernel, int snapshots, List<String> watches, boolean freezeOnEnable,
                        MonitorConfig monitor, List<SchedulerSwap> swaps, List<IncludedFile> includes) {
    /** At the start of {@code step} the scenario swaps the running scheduler for {@code scheduler}. */
    public record SchedulerSwap(String step, String scheduler, List<String> args) {
        public SchedulerSwap {
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    /** A file shipped into the guest: {@code path} on the host, {@code name} in the guest's include folder. */
    public record IncludedFile(String path, String name) {
        public IncludedFile {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(name, "name");
        }
    }

    public RunConfig(String scheduler, List<String> schedulerArgs, String scenario, int vcpus, int memoryMib,
                     String kernel, int snapshots, List<String> watches, boolean freezeOnEnable,
                     MonitorConfig monitor) {
        this(scheduler, schedulerArgs, scenario, vcpus, memoryMib, kernel, snapshots, watches, freezeOnEnable, monitor,
                List.of(), List.of());
    }

    public RunConfig {
        swaps = swaps == null ? List.of() : List.copyOf(swaps);
        includes = includes == null ? List.of() : List.copyOf(includes);
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
                freezeOnEnable, monitor, swaps, includes);
    }

    /** The same run with the scenario's scheduler swaps and these included files. */
    public RunConfig withSwapsAndIncludes(List<SchedulerSwap> swaps, List<IncludedFile> includes) {
        return new RunConfig(scheduler, schedulerArgs, scenario, vcpus, memoryMib, kernel, snapshots, watches,
                freezeOnEnable, monitor, swaps, includes);
    }

    /** A run that starts the workload as soon as the scheduler is enabled. */
    public RunConfig(String scheduler, List<String> schedulerArgs, String scenario, int vcpus, int memoryMib,
                     String kernel, int snapshots, List<String> watches) {
        this(scheduler, schedulerArgs, scenario, vcpus, memoryMib, kernel, snapshots, watches, false);
    }
}
