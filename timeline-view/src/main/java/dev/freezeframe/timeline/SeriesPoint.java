package dev.freezeframe.timeline;

import java.util.OptionalDouble;

/**
 * One sample of a plotted field: the snapshot it was read from and its value there, empty where that snapshot lacks the
 * field (a gap). Hollow points are snapshots not taken on the periodic schedule (a watch hit, a capture on request).
 */
public record SeriesPoint(long atNs, OptionalDouble value, long snapshotId, String tag, boolean hollow) {
}
