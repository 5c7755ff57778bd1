package dev.freezeframe.app.ui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunPhase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which run controls apply in each state, and the sentence a disabled one shows. */
class RunControlsTest {
    private static LiveRunState state(RunPhase phase, boolean frozen, Optional<Verdict> verdict) {
        return new LiveRunState(phase, frozen, frozen ? 5 : -1, 10, 1, "cpu", 2, 100, 3, 99, verdict, "", List.of());
    }

    @Test
    void beforeSysRdyOnlyStopApplies() {
        RunControls c = RunControls.of(state(RunPhase.BOOTING, false, Optional.empty()), false);
        assertEquals("the guest has not reached SYS_RDY yet", c.freeze());
        assertEquals(c.freeze(), c.capture());
        assertEquals(c.freeze(), c.arm());
        assertTrue(c.canStop());
    }

    @Test
    void aRunningGuestFreezesAndCapturesButHasNothingToResume() {
        RunControls c = RunControls.of(state(RunPhase.SCENARIO_RUNNING, false, Optional.empty()), false);
        assertTrue(c.canFreeze() && c.canCapture() && c.canArm() && c.canStop());
        assertEquals("the guest is running", c.resume());
    }

    @Test
    void aFrozenGuestResumesArmsAndRefusesToCaptureTheSameState() {
        RunControls c = RunControls.of(state(RunPhase.SCENARIO_RUNNING, true, Optional.empty()), false);
        assertTrue(c.canResume() && c.canArm());
        assertEquals("the guest is frozen already", c.freeze());
        assertEquals("the guest is frozen: its state has not changed since the freeze", c.capture());
    }

    @Test
    void aRequestInFlightHoldsEverythingButStopAndAnEndedRunHoldsAll() {
        RunControls busy = RunControls.of(state(RunPhase.SCENARIO_RUNNING, false, Optional.empty()), true);
        assertFalse(busy.canFreeze() || busy.canResume() || busy.canCapture());
        assertTrue(busy.canStop());
        assertEquals(RunControls.NONE, RunControls.of(state(RunPhase.ENDED, false, Optional.of(Verdict.PASSED)),
                false));
        assertEquals("the guest is powering off", RunControls.of(state(RunPhase.POWERING_OFF, false,
                Optional.empty()), false).freeze());
    }
}
