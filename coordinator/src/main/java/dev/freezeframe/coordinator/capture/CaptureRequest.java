package dev.freezeframe.coordinator.capture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.model.SnapshotKind;
import java.util.Objects;
import java.util.Optional;

/**
 * What a capture is for.
 *
 * @param tag       the snapshot's tag ({@code periodic_003}, {@code mid}, {@code error}, {@code watch:total_forks})
 * @param kind      why it is taken
 * @param atNanos   run time of the trigger
 * @param stepIndex the scenario step running then, if known
 * @param trigger   extra facts about the trigger for the report (a watchpoint hit's vCPU, values, RIP), or null
 */
public record CaptureRequest(String tag, SnapshotKind kind, long atNanos, Optional<Integer> stepIndex,
                             ObjectNode trigger) {
    public CaptureRequest {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(stepIndex, "stepIndex");
    }

    public static CaptureRequest of(String tag, SnapshotKind kind, long atNanos, Optional<Integer> stepIndex) {
        return new CaptureRequest(tag, kind, atNanos, stepIndex, null);
    }
}
