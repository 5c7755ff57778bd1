package dev.freezeframe.persistence;

import java.util.OptionalDouble;

/** One point of a map field's series across a run's snapshots; empty value when that snapshot lacks the field. */
public record FieldPoint(long snapshotId, String tag, long atNanos, OptionalDouble value) {
}
