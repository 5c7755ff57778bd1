package dev.freezeframe.coordinator.wire;

import java.util.Optional;

/** What a {@link MessageType#PLAN_UPDATE} tells a fork's agent to do with its plan. Codes mirror {@code FFWIRE_PLAN_*}. */
public enum PlanUpdateMode {
    /** Go on with the plan it runs; only the host's wall clock and randomness are new. */
    CONTINUE(0),
    /** End the current step (stop its workers) and run the plan the update carries instead of the rest. */
    REPLACE(1);

    private final int code;

    PlanUpdateMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<PlanUpdateMode> fromCode(int code) {
        for (PlanUpdateMode m : values()) if (m.code == code) return Optional.of(m);
        return Optional.empty();
    }
}
