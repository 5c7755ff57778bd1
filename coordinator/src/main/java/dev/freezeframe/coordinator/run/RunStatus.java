package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.introspect.kernel.GuestKernel;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import java.util.List;
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
 * @param symbols         the guest kernel's symbol table once the agent has sent it, else empty
 * @param schedulerOutput the scheduler's latest output lines (its stats), oldest first
 * @param kernel          the kernel the guest runs and its types, once the agent has sent them
 */
public record RunStatus(RunPhase phase, int stepIndex, String stepName, long events, long sinceProgressNs,
                        Optional<VerdictDecision> decision, KernelSymbolTable symbols, List<String> schedulerOutput,
                        Optional<GuestKernel> kernel) {
    public static final RunStatus INITIAL = new RunStatus(RunPhase.BOOTING, -1, "", 0, 0, Optional.empty(),
            KernelSymbolTable.EMPTY, List.of(), Optional.empty());

    /** The scenario step running now, if one has started. */
    public Optional<Integer> currentStep() {
        return stepIndex >= 0 ? Optional.of(stepIndex) : Optional.empty();
    }

    public boolean ended() {
        return decision.isPresent();
    }
}
