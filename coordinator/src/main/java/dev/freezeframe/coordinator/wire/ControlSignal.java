package dev.freezeframe.coordinator.wire;

import java.util.Objects;

/**
 * Something the coordinator must act on, raised by the dispatcher alongside (never inside) the verdict entries.
 * Each carries the sequence number of the frame that raised it so the run loop can order it among the entries.
 */
public sealed interface ControlSignal {
    long frameSeq();

    /** The guest is ready. Raised at most once per {@link Dispatcher}. */
    record SysReady(long frameSeq) implements ControlSignal {
    }

    /** The guest asks for a snapshot; the host answers with a {@link WireMessage.SnapshotReply}. */
    record SnapshotRequested(long frameSeq, WireMessage.SnapshotRequest request) implements ControlSignal {
        public SnapshotRequested {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * A CRC-good SCHED_EXIT arrived: the run should stop the workload and wrap up (ktstr's "kill" promotion). Raised
     * once per such frame, not once per run, so a repeated exit report is visible; the run loop decides what a second
     * one means.
     */
    record SchedulerExited(long frameSeq, WireMessage.SchedulerExit exit) implements ControlSignal {
        public SchedulerExited {
            Objects.requireNonNull(exit, "exit");
        }
    }
}
