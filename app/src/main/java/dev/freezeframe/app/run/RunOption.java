package dev.freezeframe.app.run;

/** The options of {@code freezeframe run} that make a {@link dev.freezeframe.coordinator.model.RunConfig}. */
public enum RunOption {
    KERNEL("--kernel", "Kernel"),
    SCHEDULER("--scheduler", "Scheduler"),
    SCHEDULER_ARGS("--sched-args", "Arguments"),
    SCENARIO("--scenario", "Scenario"),
    VCPUS("--vcpus", "vCPUs"),
    MEMORY("--memory", "Memory"),
    SNAPSHOTS("--snapshots", "Snapshots"),
    WATCHES("--watch", "Watches"),
    FREEZE_ON_ENABLE("--freeze-on-enable", "Freeze on enable"),
    INCLUDES("--include", "Included files");

    private final String flag;
    private final String label;

    RunOption(String flag, String label) {
        this.flag = flag;
        this.label = label;
    }

    /** The command-line flag. */
    public String flag() {
        return flag;
    }

    /** The field's name in the launch form. */
    public String label() {
        return label;
    }
}
