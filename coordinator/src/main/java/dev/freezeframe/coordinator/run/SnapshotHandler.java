package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.wire.SnapshotStatus;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.RunningVm;

/** Answers a guest's snapshot request: captures (or declines) and says how it went. Runs off the loop thread. */
@FunctionalInterface
public interface SnapshotHandler {
    /**
     * @param status what the guest is told
     * @param note   one sentence for the run's timeline
     */
    record Answer(SnapshotStatus status, String note) {
    }

    Answer handle(WireMessage.SnapshotRequest request, RunningVm vm);

    /** For runs without a capture engine: every request is declined, visibly. */
    SnapshotHandler DECLINE = (request, vm) -> new Answer(SnapshotStatus.REFUSED,
            "snapshot '" + request.tag() + "' not taken: this run has no capture engine");
}
