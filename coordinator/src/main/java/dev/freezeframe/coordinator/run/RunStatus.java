package dev.freezeframe.coordinator.run;

import java.util.Optional;

/**
 * What a run looks like right now: an immutable view published by {@link RunLoop} after every input, read by live
 * views and the CLI without locks.
 *
 * @param phase           where the run is
 * @param stepIndex       current scenario step (0 = baseline before the first step), or -1 before any
 * @param stepName        current step's name, empty before any
 * @param events          events emitted so far
 * @param sinceProgressNs time since the guest last showed progress (a frame or a console line)
 * @param decision        the verdict once decided
 */
public record RunStatus(RunPhase phase, int stepIndex, String stepName, long events, long sinceProgressNs,
                        Optional<VerdictDecision> decision) {
    public static final RunStatus INITIAL = new RunStatus(RunPhase.BOOTING, -1, "", 0, 0, Optional.empty());

    public boolean ended() {
        return decision.isPresent();
    }
}
