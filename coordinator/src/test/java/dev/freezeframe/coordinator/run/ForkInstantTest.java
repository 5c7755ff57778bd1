package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.wire.FrameEncoder;
import dev.freezeframe.coordinator.wire.LifecyclePhase;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where a forkable snapshot's guest was, read from its channel log: can a new scenario continue from there? */
class ForkInstantTest {
    private static byte[] log(WireMessage... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(FrameEncoder.encode(new WireMessage.SysReady()));
        for (WireMessage m : messages) out.writeBytes(FrameEncoder.encode(m));
        return out.toByteArray();
    }

    private static WireMessage phase(LifecyclePhase phase) {
        return new WireMessage.Lifecycle(phase, "");
    }

    @Test
    void midStepUnderARunningSchedulerANewScenarioCanContinue() {
        ForkInstant at = ForkInstant.of(log(phase(LifecyclePhase.SCHEDULER_STARTING),
                phase(LifecyclePhase.SCHEDULER_ENABLED), phase(LifecyclePhase.SCENARIO_STARTED),
                new WireMessage.StepStarted(1, "warm"), new WireMessage.StepStarted(2, "burn")));

        assertEquals(new ForkInstant(true, false, 2, "burn"), at);
        assertEquals(Optional.empty(), at.newScenarioProblem("snapshot p of run 1"));
    }

    @Test
    void afterTheScenarioOrWithoutARunningSchedulerItCannotAndSaysWhy() {
        ForkInstant finished = ForkInstant.of(log(phase(LifecyclePhase.SCHEDULER_ENABLED),
                phase(LifecyclePhase.SCENARIO_STARTED), new WireMessage.StepStarted(1, "warm"),
                phase(LifecyclePhase.SCENARIO_FINISHED), phase(LifecyclePhase.SCHEDULER_STOPPING)));
        assertTrue(finished.newScenarioProblem("snapshot late of run 4").orElseThrow()
                .startsWith("At snapshot late of run 4 the parent's scenario had already finished"));

        ForkInstant errored = ForkInstant.of(log(phase(LifecyclePhase.SCHEDULER_ENABLED),
                phase(LifecyclePhase.SCENARIO_STARTED), new WireMessage.StepStarted(1, "warm"),
                new WireMessage.SchedulerExit(0, 1025, "scx_bpf_error")));
        assertTrue(errored.newScenarioProblem("snapshot error of run 4").orElseThrow().contains("no scheduler was"
                + " running"));

        ForkInstant swapping = ForkInstant.of(log(phase(LifecyclePhase.SCHEDULER_ENABLED),
                phase(LifecyclePhase.SCENARIO_STARTED), new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_SWAPPING,
                        "/usr/bin/scx_simple")));
        assertTrue(swapping.newScenarioProblem("x").isPresent(), "mid-swap");

        ForkInstant swapped = ForkInstant.of(log(phase(LifecyclePhase.SCHEDULER_ENABLED),
                new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_SWAPPING, "/usr/bin/scx_simple"),
                new WireMessage.SchedulerExit(0, 64, "unregistered from user space"),
                phase(LifecyclePhase.SCHEDULER_STARTING), phase(LifecyclePhase.SCHEDULER_ENABLED)));
        assertEquals(Optional.empty(), swapped.newScenarioProblem("x"), "the swapped-in scheduler runs");
    }
}
