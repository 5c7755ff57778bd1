package dev.freezeframe.coordinator.scenario;

/**
 * Something done once at the start of a step, before its workload.
 *
 * @param capture a snapshot tag: the agent asks the host to capture a snapshot with this tag and waits for the answer
 * @param fault   a deliberate fault for testing the harness: {@code kernel_panic} (sysrq 'c') or {@code agent_hang}
 *                (the agent goes silent for good, as a wedged guest would)
 */
public record StepAction(String capture, String fault) {
    public static final String FAULT_KERNEL_PANIC = "kernel_panic";
    public static final String FAULT_AGENT_HANG = "agent_hang";
    public static final java.util.List<String> FAULTS = java.util.List.of(FAULT_KERNEL_PANIC, FAULT_AGENT_HANG);
}
