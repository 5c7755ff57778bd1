package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.SnapshotRequestKind;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.util.List;
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
}
