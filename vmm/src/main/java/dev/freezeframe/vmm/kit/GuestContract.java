package dev.freezeframe.vmm.kit;

import java.util.Map;
import java.util.SequencedMap;
import java.util.LinkedHashMap;

/**
 * What the host and the guest agent (vmm/src/main/c/agent) agree on, defined once on the Java side; the agent's C
 * copies are compared with these by {@code GuestContractDriftTest}, as the wire header is by the ffwire drift test.
 * See docs/guest-kit.md, "The guest contract".
 */
public final class GuestContract {
    /**
     * The kernel command line of every run (docs/architecture.md §4): serial console, a panic ends the VM, fixed
     * addresses ({@code nokaslr}), 4-level paging ({@code no5lvl}) so introspection sees the layout it expects, and
     * {@code no_timer_check}: the IO-APIC timer check waits a fixed number of TSC cycles (host time under TCG) for five
     * PIT ticks, which a starved QEMU misses, and then panics "IO-APIC + timer doesn't work" although QEMU's timer
     * routing is fine (docs/guest-kit.md, "Multi-threaded TCG"; KVM guests skip the check the same way).
     */
    public static final String KERNEL_CMDLINE = "console=ttyS0 panic=-1 nokaslr no5lvl no_timer_check";
    /** Where the agent reads its command list (agent.c {@code DEFAULT_COMMANDS}). */
    public static final String COMMANDS_PATH = "/run.d/commands";
    /** Where the agent reads a run's plan (agent.c {@code RUN_PLAN}). */
    public static final String PLAN_PATH = "/run.d/plan";
    /** Where a user's own scheduler binary goes in the guest. */
    public static final String USER_SCHEDULER_DIR = "/run.d/bin/";
    /** sched_ext's state file and the attached scheduler's name (ffa_run.c, ffa_sched.c {@code STATE_PATH}, {@code OPS_PATH}). */
    public static final String SCHED_EXT_STATE = "/sys/kernel/sched_ext/state";
    public static final String SCHED_EXT_OPS = "/sys/kernel/sched_ext/root/ops";
    /** {@code enum scx_exit_kind}: kinds from {@code SCX_EXIT_ERROR} up are errors, below are clean unloads. */
    public static final int SCX_EXIT_ERROR = 1024;
    /**
     * The kernel's {@code scx_exit_reason()} texts and their {@code enum scx_exit_kind} values, as the agent matches
     * them in the kernel log (ffa_run.c {@code EXIT_KINDS}).
     */
    public static final SequencedMap<String, Integer> EXIT_KINDS = unmodifiable(Map.of(
            "unregistered from user space", 64, "unregistered from BPF", 65, "unregistered from the main kernel", 66,
            "disabled by sysrq-S", 67, "runtime error", 1024, "scx_bpf_error", 1025, "runnable task stall", 1026));

    private GuestContract() {
    }

    private static SequencedMap<String, Integer> unmodifiable(Map<String, Integer> kinds) {
        LinkedHashMap<String, Integer> sorted = new LinkedHashMap<>();
        kinds.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return java.util.Collections.unmodifiableSequencedMap(sorted);
    }
}
