package dev.freezeframe.coordinator.scenario;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Compiles a scheduler command and a validated {@link Scenario} into the guest agent's plan: a line-oriented text the C
 * agent reads from {@code /run.d/plan} without a JSON parser. One directive per line, a keyword and its fields
 * separated by single spaces; free text only ever comes last on a line. The format (version 1):
 *
 * <pre>
 * plan 1
 * sched_path /usr/bin/scx_qmap          the scheduler binary in the guest
 * sched_arg -e                          one argument per line, in order (may contain spaces, never newlines)
 * sched_arg 50
 * enable_timeout_ms 30000               how long to wait for sched_ext state "enabled"
 * step 1 2500 cpu                       index, duration in ms, name
 * work cpu 3 0 0 1                      kind, workers, pairs, forkers, latency probes
 * capture mid                           ask the host for a snapshot tagged "mid" and wait for the answer
 * fault kernel_panic                    deliberate fault
 * end
 * </pre>
 *
 * A plan sent over the channel (a boot template's guest, {@link #withHostFacts}) also carries, right after the first
 * line, {@code wall_clock_ns N} (the host's time: the guest's wall clock is set to it; its monotonic clock is left alone)
 * and {@code seed HEX} (32 random bytes credited to the guest's entropy pool, the CRNG reseeded).
 */
public final class AgentPlan {
    public static final int VERSION = 1;
    public static final String GUEST_PATH = dev.freezeframe.vmm.kit.GuestContract.PLAN_PATH;
    private static final Pattern NO_CONTROL = Pattern.compile("[^\\p{Cntrl}]*");

    /** What the agent prints on the console when it waits for its plan on the channel (ffa_plan.c). */
    public static final String PLAN_WAIT_LINE = "FFAGENT plan-wait";

    private AgentPlan() {
    }

    /** The plan with the host's wall clock and a random seed for a guest that gets it over the channel. */
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
        StringBuilder plan = new StringBuilder();
        plan.append("plan ").append(VERSION).append('\n');
        plan.append("sched_path ").append(checked(schedulerPath, "scheduler path")).append('\n');
        for (String arg : schedulerArgs) plan.append("sched_arg ").append(checked(arg, "scheduler argument")).append('\n');
        plan.append("enable_timeout_ms ").append(enableTimeoutMs).append('\n');
        int index = 1;
        for (Step step : scenario.steps()) {
            plan.append("step ").append(index++).append(' ').append(step.durationMs()).append(' ').append(step.name())
                    .append('\n');
            for (StepAction action : step.actions()) {
                if (action.capture() != null) plan.append("capture ").append(action.capture()).append('\n');
                if (action.fault() != null) plan.append("fault ").append(action.fault()).append('\n');
            }
            Workload w = step.workload();
            plan.append("work ").append(w.kind().planName()).append(' ').append(w.workers()).append(' ')
                    .append(w.pairs()).append(' ').append(w.forkers()).append(' ').append(w.probes()).append('\n');
        }
        plan.append("end\n");
        return plan.toString();
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
