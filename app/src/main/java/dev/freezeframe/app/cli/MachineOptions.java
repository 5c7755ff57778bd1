package dev.freezeframe.app.cli;

import picocli.CommandLine.Option;

/** The guest machine and its watchdog, shared by {@code run} and {@code ab} (a picocli mixin). */
final class MachineOptions {
    @Option(names = "--vcpus", paramLabel = "N", defaultValue = "2", description = "Guest vCPUs. Default: ${DEFAULT-VALUE}.")
    int vcpus;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "1G",
            description = "Guest memory, e.g. 1G or 768M. Default: ${DEFAULT-VALUE}.")
    String memory;

    @Option(names = "--watchdog", paramLabel = "SECONDS", defaultValue = "60",
            description = "End a run as hung when the guest shows no progress for this long. Default: ${DEFAULT-VALUE}.")
    int watchdogSeconds;
}
