package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.SnapshotKind;
import java.util.Optional;

/** A stored snapshot's columns (the report itself is loaded on demand with {@link RunQueries#snapshotReport}). */
public record SnapshotInfo(long id, long runId, String tag, SnapshotKind kind, long atNanos,
                           Optional<Integer> stepIndex, boolean placeholder, Optional<String> placeholderReason,
                           int reportBytes) {
}
