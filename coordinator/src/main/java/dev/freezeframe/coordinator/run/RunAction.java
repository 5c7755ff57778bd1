package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.wire.WireMessage;
import java.util.Objects;

/** What the fold asks the world to do. {@link RunLoop} hands actions to the run's executor, never runs them itself. */
public sealed interface RunAction {

    /** Stop the VM: the verdict is decided (watchdog, cancel, failure) and the guest is not going to power off. */
    record StopVm(String reason) implements RunAction {
        public StopVm {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The guest asked for a snapshot and waits for the answer. */
    record AnswerSnapshotRequest(WireMessage.SnapshotRequest request) implements RunAction {
        public AnswerSnapshotRequest {
            Objects.requireNonNull(request, "request");
        }
    }

    /** The guest asked for a snapshot beyond its budget: answer that it is refused, without freezing. */
    record RefuseSnapshotRequest(WireMessage.SnapshotRequest request, String reason) implements RunAction {
        public RefuseSnapshotRequest {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
