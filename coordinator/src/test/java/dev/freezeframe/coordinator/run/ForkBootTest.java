package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.PlanUpdateMode;
import dev.freezeframe.coordinator.wire.SnapshotRequestKind;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which of the parent guest's own snapshot requests a fork must answer. */
class ForkBootTest {
    private static RunInput request(int id, String tag) {
        return new RunInput.GuestControl(new ControlSignal.SnapshotRequested(id, new WireMessage.SnapshotRequest(id,
                SnapshotRequestKind.CAPTURE, tag)));
    }

    @Test
    void theLastRequestIsOpenWhenTheForkedSnapshotCarriesItsTag() {
        RunInput.ForkReplay replay = new RunInput.ForkReplay(List.of(request(1, "early"), new RunInput.ConsoleLine("x"),
                request(2, "mid")), "run 3, snapshot mid");
        assertEquals(2, ForkBoot.pendingRequest(replay, "mid").orElseThrow().requestId());
    }

    @Test
    void anEarlierRequestWasAnsweredBeforeTheSnapshotAndOtherSnapshotsAnswerNothing() {
        RunInput.ForkReplay replay = new RunInput.ForkReplay(List.of(request(1, "early"), request(2, "mid")),
                "run 3, snapshot early");
        assertTrue(ForkBoot.pendingRequest(replay, "early").isEmpty(), "request 1 was answered before request 2");
        assertTrue(ForkBoot.pendingRequest(replay, "periodic_001").isEmpty());
        assertTrue(ForkBoot.pendingRequest(new RunInput.ForkReplay(List.of(), "run 3, snapshot x"), "x").isEmpty());
    }

    @Test
    void aForkWithoutANewPlanIsToldToGoOnWithFreshHostFactsOnly() {
        WireMessage.PlanUpdate a = ForkBoot.planUpdate(Optional.empty());
        WireMessage.PlanUpdate b = ForkBoot.planUpdate(Optional.empty());

        assertEquals(PlanUpdateMode.CONTINUE, a.mode());
        assertTrue(a.text().matches("wall_clock_ns \\d+\nseed [0-9a-f]{64}\n"), a.text());
        long wallClockNs = Long.parseLong(a.text().lines().findFirst().orElseThrow().split(" ")[1]);
        assertTrue(Math.abs(wallClockNs / 1_000_000 - System.currentTimeMillis()) < 60_000, "the host's time now");
        assertNotEquals(a.text().lines().toList().get(1), b.text().lines().toList().get(1), "a seed of its own");
    }

    @Test
    void aForksNewPlanReplacesTheRestAndNamesItsScenario() {
        String plan = "plan 2\nsched_path /usr/bin/scx_qmap\nstep 1 1000 burst\nwork cpu 2 0 0 0\nend\n";
        WireMessage.PlanUpdate update = ForkBoot.planUpdate(Optional.of(new GuestBoot.Fork.NewPlan("cpu-burst", plan)));

        assertEquals(PlanUpdateMode.REPLACE, update.mode());
        List<String> lines = update.text().lines().toList();
        assertEquals("plan 2", lines.getFirst());
        assertTrue(lines.contains("scenario cpu-burst"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("wall_clock_ns ")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("seed [0-9a-f]{64}")), lines.toString());
        assertTrue(update.text().endsWith("step 1 1000 burst\nwork cpu 2 0 0 0\nend\n"), update.text());
    }
}
