package dev.freezeframe.app.ui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.live.FakeLiveRun;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.run.RunPhase;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How a live run's states reach the tab's model: a run recording thousands of events a second offers a state for
 * each; steady progress is applied at most every {@link RunTabModel#STEADY_APPLY_NS}, anything else at once, and the
 * newest state always arrives in the end.
 */
class RunTabModelLiveTest {
    private static LiveRunState progress(long elapsedNs, long events, long snapshots) {
        return new LiveRunState(RunPhase.SCENARIO_RUNNING, false, -1, elapsedNs, 1, "cpu", 2, events, snapshots,
                events - 1, Optional.empty(), "", List.of());
    }

    @Test
    void progressAloneIsNotAChange() {
        assertTrue(RunTabModel.onlyProgressed(progress(1, 10, 0), progress(2, 20, 0)));
        assertFalse(RunTabModel.onlyProgressed(progress(1, 10, 0), progress(2, 20, 1)), "a new snapshot");
        LiveRunState frozen = new LiveRunState(RunPhase.SCENARIO_RUNNING, true, 5, 2, 1, "cpu", 2, 20, 0, 19,
                Optional.empty(), "", List.of());
        assertFalse(RunTabModel.onlyProgressed(progress(1, 10, 0), frozen), "the guest froze");
    }

    @Test
    void aFloodOfProgressIsAppliedAtTenHertzAndTheNewestArrivesAndAChangeIsAppliedAtOnce() throws Exception {
        AtomicReference<Consumer<LiveRunState>> listener = new AtomicReference<>();
        LiveRun run = (LiveRun) Proxy.newProxyInstance(LiveRun.class.getClassLoader(), new Class<?>[] {LiveRun.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "runId" -> 1L;
                    case "config" -> FakeLiveRun.config(false);
                    case "state" -> progress(0, 0, 0);
                    case "onState" -> {
                        @SuppressWarnings("unchecked") Consumer<LiveRunState> l = (Consumer<LiveRunState>) args[0];
                        listener.set(l);
                        yield (LiveRun.Subscription) () -> { };
                    }
                    case "forkable" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        AtomicInteger applies = new AtomicInteger();
        RunTabModel model = RunTabModel.live(run, r -> {
            applies.incrementAndGet();
            r.run();
        });

        long t0 = System.nanoTime();
        for (int i = 1; i <= 20_000; i++) listener.get().accept(progress(i * 1_000L, i, 0));
        long periods = (System.nanoTime() - t0) / RunTabModel.STEADY_APPLY_NS;
        assertTrue(applies.get() <= 2 + periods, applies.get() + " applies for 20 000 states offered over " + periods
                + " periods of 100 ms");

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (model.elapsedNsProperty().get() != 20_000_000L) {
            assertTrue(System.nanoTime() < deadline, "the newest progress was never applied: "
                    + model.elapsedNsProperty().get());
            Thread.onSpinWait();
        }

        int before = applies.get();
        listener.get().accept(progress(20_001_000L, 20_001, 1));
        assertEquals(before + 1, applies.get(), "a new snapshot is applied at once, not after the steady period");
        assertEquals(1, model.snapshotsProperty().get());
    }
}
