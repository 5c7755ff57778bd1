package dev.freezeframe.coordinator.scenario;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Compiles a scheduler command and a validated {@link Scenario} into the guest agent's plan: a line-oriented text the C
 * agent reads from {@code /run.d/plan} without a JSON parser. One directive per line, a keyword and its fields
 * separated by single spaces; free text only ever comes last on a line. The format (version 1):
 *
 * <pre>
 * plan 2
 * sched_path /usr/bin/scx_qmap          the scheduler binary in the guest
 * sched_arg -e                          one argument per line, in order (may contain spaces, never newlines)
 * sched_arg 50
 * enable_timeout_ms 30000               how long to wait for sched_ext state "enabled"
 * include tool 123456                   a file shipped with --include: /run.d/include/tool, its size in bytes (a
 *                                       template's guest receives it over the channel right after the plan)
 * cgroup 1 0 300 50000/100000 0-1 hi   index (1..), parent index (0: top), cpu.weight (0: default), cpu.max
 *                                       ("-": unset, "max", "QUOTA/PERIOD"), cpuset.cpus ("-": unset), name
 * step 1 2500 cpu                       index, duration in ms, name
 * capture mid                           ask the host for a snapshot tagged "mid" and wait for the answer
 * fault kernel_panic                    deliberate fault
 * swap /usr/bin/scx_simple              stop the running scheduler, wait for sched_ext to be disabled, start this one
 * swap_arg -v                           and wait for it to be enabled; its arguments follow, one per line
 * work cpu 3 0 0 1                      a workload: kind, workers, pairs, forkers, latency probes
 * place 1 0-1 5 2 0 5 5 4096            its placement: cgroup index (0: none), affinity ("-": any), nice, policy
 *                                       (SCHED_* number), rt priority, burst ms, idle ms, buffer KiB
 * cgset 1000 1 100 - -                  at 1000 ms into the workload, cgroup 1: weight, cpu.max, cpus ("-"/0: keep)
 * move 1500 1 2                         at 1500 ms, the step's workers in cgroup 1 move to cgroup 2
 * exec tool                             after an "exec" work line and its place line: the included file it runs
 * exec_arg --fast                       and its arguments, one per line
 * end
 * </pre>
 *
 * Captures and faults run at the step's start, before its workload; {@code cgset} and {@code move} at 0 ms too, later
 * ones in the order of their time while the workload runs. A step may have several {@code work} lines, each optionally
 * followed by its {@code place} line.
 *
 * A plan sent over the channel (a boot template's guest, {@link #withHostFacts}) also carries, right after the first
 * line, {@code wall_clock_ns N} (the host's time: the guest's wall clock is set to it; its monotonic clock is left alone)
 * and {@code seed HEX} (32 random bytes credited to the guest's entropy pool, the CRNG reseeded). A fork's guest gets
 * the same two lines in its PLAN_UPDATE frame, alone (its plan goes on) or in front of a new plan that replaces the
 * rest of its own, which also names its scenario ({@code scenario NAME}, {@link #withScenarioName}).
 */
public final class AgentPlan {
    public static final int VERSION = 2;
    public static final String GUEST_PATH = dev.freezeframe.vmm.kit.GuestContract.PLAN_PATH;
    private static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cntrl}]*");

    /** What the agent prints on the console when it waits for its plan on the channel (ffa_plan.c). */
    public static final String PLAN_WAIT_LINE = "FFAGENT plan-wait";

    private AgentPlan() {
    }

    /**
     * A fork's replacement plan (PLAN_UPDATE REPLACE): {@code plan} with a {@code scenario NAME} line after its first,
     * which the agent names in its LIFECYCLE plan_replaced.
     */
    public static String withScenarioName(String plan, String scenarioName) {
        int firstLine = plan.indexOf('\n') + 1;
        return plan.substring(0, firstLine) + "scenario " + checked(scenarioName, "scenario name") + "\n"
                + plan.substring(firstLine);
    }

    /**
     * The plan with the host's wall clock and a random seed for a guest that gets it over the channel; an empty plan
     * gives the two lines alone (a fork's PLAN_UPDATE CONTINUE).
     */
    public static String withHostFacts(String plan, long wallClockNs, String seedHex) {
        int firstLine = plan.indexOf('\n') + 1;
        return plan.substring(0, firstLine) + "wall_clock_ns " + wallClockNs + "\nseed " + seedHex + "\n"
                + plan.substring(firstLine);
    }

    /**
     * @param schedulerPath   the scheduler binary's path inside the guest
     * @param schedulerArgs   its arguments
     * @param enableTimeoutMs how long the agent waits for sched_ext to report {@code enabled}
     */
    public static String compile(String schedulerPath, List<String> schedulerArgs, long enableTimeoutMs,
                                 Scenario scenario) {
        return compile(schedulerPath, schedulerArgs, enableTimeoutMs, scenario, name -> name, Map.of());
    }

    /**
     * @param guestPathOf where a {@code swap_scheduler}'s scheduler is in the guest
     * @param includes    the files shipped with {@code --include}: guest name → size in bytes
     */
    public static String compile(String schedulerPath, List<String> schedulerArgs, long enableTimeoutMs,
                                 Scenario scenario, UnaryOperator<String> guestPathOf, Map<String, Long> includes) {
        StringBuilder plan = new StringBuilder();
        plan.append("plan ").append(VERSION).append('\n');
        plan.append("sched_path ").append(checked(schedulerPath, "scheduler path")).append('\n');
        for (String arg : schedulerArgs) plan.append("sched_arg ").append(checked(arg, "scheduler argument")).append('\n');
        plan.append("enable_timeout_ms ").append(enableTimeoutMs).append('\n');
        includes.forEach((name, bytes) -> plan.append("include ").append(checked(name, "included file's name"))
                .append(' ').append(bytes).append('\n'));
        for (int i = 0; i < scenario.cgroups().size(); i++) {
            CgroupSpec c = scenario.cgroups().get(i);
            plan.append("cgroup ").append(i + 1).append(' ').append(scenario.cgroupIndex(c.parent())).append(' ')
                    .append(settings(c.cpuWeight(), c.cpuMax(), c.cpusetCpus())).append(' ').append(c.name())
                    .append('\n');
        }
        int index = 1;
        for (Step step : scenario.steps()) {
            plan.append("step ").append(index++).append(' ').append(step.durationMs()).append(' ').append(step.name())
                    .append('\n');
            List<StepAction> timed = step.actions().stream()
                    .sorted(java.util.Comparator.comparingLong(StepAction::atMsOrZero)).toList();
            for (StepAction action : timed) {
                if (action.capture() != null) plan.append("capture ").append(action.capture()).append('\n');
                if (action.fault() != null) plan.append("fault ").append(action.fault()).append('\n');
                if (action.swapScheduler() != null) {
                    plan.append("swap ").append(checked(guestPathOf.apply(action.swapScheduler()), "scheduler path"))
                            .append('\n');
                    for (String arg : action.argsOrEmpty()) {
                        plan.append("swap_arg ").append(checked(arg, "scheduler argument")).append('\n');
                    }
                }
                if (action.cgroup() != null) {
                    plan.append("cgset ").append(action.atMsOrZero()).append(' ')
                            .append(scenario.cgroupIndex(action.cgroup())).append(' ')
                            .append(settings(action.cpuWeight(), action.cpuMax(), action.cpusetCpus())).append('\n');
                }
                if (action.move() != null) {
                    plan.append("move ").append(action.atMsOrZero()).append(' ').append(scenario.cgroupIndex(action.move()))
                            .append(' ').append(scenario.cgroupIndex(action.to())).append('\n');
                }
            }
            for (Workload w : step.allWorkloads()) {
                plan.append("work ").append(w.kind().planName()).append(' ').append(w.workers()).append(' ')
                        .append(w.pairs()).append(' ').append(w.forkers()).append(' ').append(w.probes()).append('\n');
                if (w.usesSchema2()) {
                    plan.append("place ").append(scenario.cgroupIndex(w.cgroup())).append(' ')
                            .append(w.cpus() == null ? "-" : w.cpus()).append(' ')
                            .append(w.nice() == null ? 0 : w.nice()).append(' ')
                            .append((w.policy() == null ? Policy.NORMAL : w.policy()).linuxValue()).append(' ')
                            .append(w.rtPriority() == null ? 0 : w.rtPriority()).append(' ')
                            .append(w.burstMs() == null ? Workload.DEFAULT_BURST_MS : w.burstMs()).append(' ')
                            .append(w.idleMs() == null ? Workload.DEFAULT_IDLE_MS : w.idleMs()).append(' ')
                            .append(w.memKib() == null ? Workload.DEFAULT_MEM_KIB : w.memKib()).append('\n');
                }
                if (w.kind() == Workload.Kind.EXEC) {
                    plan.append("exec ").append(checked(w.path(), "exec path")).append('\n');
                    for (String arg : w.argsOrEmpty()) plan.append("exec_arg ").append(checked(arg, "exec argument")).append('\n');
                }
            }
        }
        plan.append("end\n");
        return plan.toString();
    }

    /** "WEIGHT CPU_MAX CPUS" with 0 and "-" for what is not set; cpu.max's space becomes '/' (one field). */
    private static String settings(Integer weight, String cpuMax, String cpus) {
        return (weight == null ? 0 : weight) + " " + (cpuMax == null ? "-" : cpuMax.replace(' ', '/')) + " "
                + (cpus == null ? "-" : cpus);
    }

    /** Arguments reach the guest verbatim; a newline or other control character would break the plan's framing. */
    private static String checked(String value, String what) {
        if (value.isEmpty() || !NO_CONTROL.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be non-empty and free of control characters: '"
                    + value.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return value;
    }
}
