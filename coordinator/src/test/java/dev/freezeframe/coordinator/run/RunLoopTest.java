package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.wire.ControlSignal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The loop around the fold: ordering, stamping, publication, actions and settling, on a real thread. */
class RunLoopTest {
    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private final List<RunAction> actions = new CopyOnWriteArrayList<>();

    @Test
    void inputsFromSeveralThreadsBecomeOneStrictlyOrderedStreamAndTheOutcomeSettles() throws Exception {
        RunLoop loop = new RunLoop(new RunFold(RunFold.Limits.DEFAULT), events::add, actions::add, System::nanoTime,
                Duration.ofMillis(20));
        loop.start("test run");
        loop.submit(new RunInput.GuestControl(new ControlSignal.SysReady(0)));
        Thread[] writers = new Thread[4];
        for (int w = 0; w < writers.length; w++) {
            int id = w;
            writers[w] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 500; i++) loop.submit(new RunInput.ConsoleLine("writer " + id + " line " + i));
            });
        }
        for (Thread t : writers) t.join();
        loop.submit(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));

        RunOutcome outcome = loop.outcome().get(10, TimeUnit.SECONDS);
        assertEquals(Verdict.ERROR, outcome.decision().verdict());
        assertEquals(outcome.events(), events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).seq(), "sequence numbers are dense and ordered");
            if (i > 0) assertTrue(events.get(i).atNanos() >= events.get(i - 1).atNanos(), "time never goes back");
        }
        assertEquals("run_started", events.getFirst().kind());
        assertEquals(2000, events.stream().filter(e -> e.lane() == Lane.CONSOLE).count());
        assertEquals("verdict", events.getLast().kind());
        assertTrue(loop.status().ended());
        assertEquals(RunPhase.ENDED, loop.status().phase());
    }

    @Test
    void theWatchdogFiresOnItsOwnTicksAndAsksToStopTheVm() throws Exception {
        RunLoop loop = new RunLoop(new RunFold(new RunFold.Limits(Duration.ofMillis(200), Duration.ofSeconds(5))),
                events::add, action -> {
                    actions.add(action);
                }, System::nanoTime, Duration.ofMillis(10));
        loop.start("hung run");
        loop.submit(new RunInput.GuestControl(new ControlSignal.SysReady(0)));
        // The harness reacts to StopVm by killing the VM, whose end then settles the run.
        while (actions.isEmpty()) Thread.sleep(10);
        assertTrue(actions.getFirst() instanceof RunAction.StopVm);
        loop.submit(new RunInput.VmEnded(new VmEnd("the VM was killed on request")));
        RunOutcome outcome = loop.outcome().get(10, TimeUnit.SECONDS);
        assertTrue(outcome.decision().reason().startsWith("hung:"), outcome.decision().reason());
    }
}
