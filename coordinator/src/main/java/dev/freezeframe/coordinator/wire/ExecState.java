package dev.freezeframe.coordinator.wire;

import java.util.Optional;

/** How an {@code exec} worker had ended when its step did, as an {@link WireMessage.ExecExit} says. Codes mirror
 * {@code FFWIRE_EXEC_STATE_*}. */
public enum ExecState {
    /** It exited; the value is its exit code. */
    EXITED(1),
    /** A signal ended it before the step's end; the value is the signal. */
    KILLED(2),
    /** It was still at work when its step ended, and was killed with the step's other workers; the value is 0. */
    RUNNING(3);

    private final int code;

    ExecState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<ExecState> fromCode(int code) {
        for (ExecState s : values()) if (s.code == code) return Optional.of(s);
        return Optional.empty();
    }
}
