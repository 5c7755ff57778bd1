package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Something done once in a step: at its start before its workload, or {@code at_ms} into it while the workload runs.
 * Exactly one of {@code capture}, {@code fault}, {@code cgroup} (change that cgroup's settings), {@code move} or
 * {@code swap_scheduler}.
 *
 * @param capture    a snapshot tag: the agent asks the host to capture a snapshot with this tag and waits for the answer
 * @param fault      a deliberate fault for testing the harness: {@code kernel_panic} (sysrq 'c') or {@code agent_hang}
 *                   (the agent goes silent for good, as a wedged guest would)
 * @param cgroup     schema 2: the scenario cgroup whose {@code cpu_weight}, {@code cpu_max}, {@code cpuset_cpus} to set
 * @param move       schema 2: the cgroup whose workers (of this step) move to {@code to}
 * @param atMs       schema 2: when, in ms after the step's workload started (null or 0: before it starts)
 * @param swapScheduler schema 2: stop the running scheduler and start this one (a kit scheduler's name or a file's
 *                   path) at the step's start, before its workload
 * @param args       the new scheduler's arguments (only with {@code swap_scheduler})
 */
public record StepAction(String capture, String fault, String cgroup, @JsonProperty("cpu_weight") Integer cpuWeight,
                         @JsonProperty("cpu_max") String cpuMax, @JsonProperty("cpuset_cpus") String cpusetCpus,
                         String move, String to, @JsonProperty("at_ms") Long atMs,
                         @JsonProperty("swap_scheduler") String swapScheduler, java.util.List<String> args) {
    public static final String FAULT_KERNEL_PANIC = "kernel_panic";
    public static final String FAULT_AGENT_HANG = "agent_hang";
    public static final java.util.List<String> FAULTS = java.util.List.of(FAULT_KERNEL_PANIC, FAULT_AGENT_HANG);

    public StepAction {
        args = args == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }

    public StepAction(String capture, String fault) {
        this(capture, fault, null, null, null, null, null, null, null, null, null);
    }

    public StepAction(String capture, String fault, String cgroup, Integer cpuWeight, String cpuMax, String cpusetCpus,
                      String move, String to, Long atMs) {
        this(capture, fault, cgroup, cpuWeight, cpuMax, cpusetCpus, move, to, atMs, null, null);
    }

    /** The new scheduler's arguments (empty when none were given). */
    public java.util.List<String> argsOrEmpty() {
        return args == null ? java.util.List.of() : args;
    }

    public long atMsOrZero() {
        return atMs == null ? 0 : atMs;
    }

    public boolean usesSchema2() {
        return cgroup != null || move != null || atMs != null || swapScheduler != null || args != null;
    }
}
