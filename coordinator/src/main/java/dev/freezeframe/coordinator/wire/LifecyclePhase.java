package dev.freezeframe.coordinator.wire;

import java.util.Optional;

/** Milestones of the agent's script, carried by {@link MessageType#LIFECYCLE}. Codes mirror {@code FFWIRE_PHASE_*}. */
public enum LifecyclePhase {
    /** The agent is starting the scheduler; detail: its command line. */
    SCHEDULER_STARTING(1),
    /** {@code /sys/kernel/sched_ext/state} reads {@code enabled}; detail: the ops name if known. */
    SCHEDULER_ENABLED(2),
    /** The scenario's first step is about to run. */
    SCENARIO_STARTED(3),
    /** The scenario's last step has ended. */
    SCENARIO_FINISHED(4),
    /** The agent is asking the scheduler to stop after the scenario. */
    SCHEDULER_STOPPING(5),
    /** The agent is about to power the guest off. */
    POWERING_OFF(6),
    /** A scenario step swaps the scheduler: the agent is stopping it to start another; detail: the new command line. */
    SCHEDULER_SWAPPING(7),
    /**
     * A fork's agent dropped the rest of its plan for the one a PLAN_UPDATE brought (its current step's workers
     * stopped); detail: the new plan's scenario name. Its steps follow, numbered from 1.
     */
    PLAN_REPLACED(8);

    private final int code;

    LifecyclePhase(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<LifecyclePhase> fromCode(int code) {
        for (LifecyclePhase p : values()) if (p.code == code) return Optional.of(p);
        return Optional.empty();
    }
}
