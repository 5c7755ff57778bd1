package dev.freezeframe.coordinator.live;

import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunPhase;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a live run looks like at one moment; immutable.
 *
 * @param phase         where the run is ({@link RunPhase#BOOTING} .. {@link RunPhase#ENDED})
 * @param frozen        the guest is held frozen by the user (or by "freeze when the scheduler is enabled")
 * @param frozenSinceNs run time the current freeze began, or -1 when not frozen
 * @param elapsedNs     run time now (same clock as the events' times)
 * @param stepIndex     current scenario step (0 = baseline), -1 before any
 * @param stepName      current step's name, empty before any
 * @param stepCount     steps in the scenario
 * @param events        events recorded so far
 * @param snapshots     snapshots captured so far
 * @param committedSeq  highest event seq committed to the archive, -1 before any (ingest lag = events - 1 - this)
 * @param verdict       the verdict once decided
 * @param reason        the verdict's reason once decided, else empty
 * @param slots         watch slots 0..3, in order (slot 0 is the scheduler-error trigger)
 * @param frozenTag     while frozen, the snapshot the hold shows: {@code freeze_003}, or a "stay frozen" watch hit's
 *                      {@code watch:total_forks}; empty when not frozen
 */
public record LiveRunState(RunPhase phase, boolean frozen, long frozenSinceNs, long elapsedNs, int stepIndex,
                           String stepName, int stepCount, long events, long snapshots, long committedSeq,
                           Optional<Verdict> verdict, String reason, List<WatchSlotState> slots, String frozenTag) {
    /** A state without the frozen snapshot's tag. */
    public LiveRunState(RunPhase phase, boolean frozen, long frozenSinceNs, long elapsedNs, int stepIndex,
                        String stepName, int stepCount, long events, long snapshots, long committedSeq,
                        Optional<Verdict> verdict, String reason, List<WatchSlotState> slots) {
        this(phase, frozen, frozenSinceNs, elapsedNs, stepIndex, stepName, stepCount, events, snapshots, committedSeq,
                verdict, reason, slots, "");
    }

    public LiveRunState {
        Objects.requireNonNull(frozenTag, "frozenTag");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(stepName, "stepName");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        slots = List.copyOf(slots);
    }

    public boolean ended() {
        return verdict.isPresent();
    }

    /** The guest is up and can be frozen, resumed, captured and armed. */
    public boolean controllable() {
        return !ended() && phase.atLeast(RunPhase.READY) && !phase.atLeast(RunPhase.POWERING_OFF);
    }
}
