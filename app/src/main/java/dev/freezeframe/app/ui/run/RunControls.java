package dev.freezeframe.app.ui.run;

import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.run.RunPhase;

/**
 * Which run controls apply now, and if not, why — the sentence shown as the disabled button's tooltip and in the
 * palette. An empty reason means the control is available.
 */
public record RunControls(String freeze, String resume, String capture, String stop, String arm) {
    static final String ENDED = "the run has ended";
    static final String NOT_READY = "the guest has not reached SYS_RDY yet";
    static final String BUSY = "waiting for the guest to answer the last request";

    /** An archived or finished run: nothing to control. */
    public static final RunControls NONE = new RunControls(ENDED, ENDED, ENDED, ENDED, ENDED);

    /**
     * @param state the live run's state
     * @param busy  a freeze or resume request is in flight
     */
    public static RunControls of(LiveRunState state, boolean busy) {
        if (state.ended() || state.phase() == RunPhase.ENDED) return NONE;
        boolean ready = state.phase().atLeast(RunPhase.READY);
        String notReady = ready ? "" : NOT_READY;
        String stop = "";
        if (!ready) return new RunControls(NOT_READY, NOT_READY, NOT_READY, stop, NOT_READY);
        if (busy) return new RunControls(BUSY, BUSY, BUSY, stop, BUSY);
        boolean powering = state.phase().atLeast(RunPhase.POWERING_OFF);
        String gone = powering ? "the guest is powering off" : notReady;
        if (state.frozen()) {
            return new RunControls("the guest is frozen already", gone,
                    "the guest is frozen: its state has not changed since the freeze", stop, gone);
        }
        return new RunControls(gone, "the guest is running", gone, stop, gone);
    }

    public boolean canFreeze() {
        return freeze.isEmpty();
    }

    public boolean canResume() {
        return resume.isEmpty();
    }

    public boolean canCapture() {
        return capture.isEmpty();
    }

    public boolean canStop() {
        return stop.isEmpty();
    }

    public boolean canArm() {
        return arm.isEmpty();
    }
}
