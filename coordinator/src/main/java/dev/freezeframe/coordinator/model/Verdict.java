package dev.freezeframe.coordinator.model;

import java.util.Arrays;

/** How a run ended. The wire names are what the CLI's {@code --json} output and the archive use. */
public enum Verdict {
    /** The scenario ran to its end and the scheduler stayed healthy. */
    PASSED("passed"),
    /** The scheduler errored out (the kernel's exit reason is the run's reason). */
    SCHEDULER_FAILED("scheduler_failed"),
    /** The run was healthy but a scenario expectation on a workload metric missed (the metric is the reason). */
    FAILED_EXPECTATION("failed_expectation"),
    /** The VM or the harness failed (guest panic, QEMU died, hung guest...). */
    ERROR("error"),
    /** The run ended without enough evidence either way. */
    INCONCLUSIVE("inconclusive");

    private final String wireName;

    Verdict(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Verdict fromWireName(String name) {
        return Arrays.stream(values())
                .filter(v -> v.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown verdict '" + name + "'"));
    }
}
