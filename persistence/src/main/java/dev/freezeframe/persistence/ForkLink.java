package dev.freezeframe.persistence;

/**
 * Where a forked run came from: its parent run, the forkable snapshot it started from and that snapshot's time on the
 * parent's clock.
 */
public record ForkLink(long runId, long parentRunId, String snapshotTag, long parentAtNanos) {
    /** "run 12 at snapshot periodic_002 (3.40 s)". */
    public String describeParent() {
        return "run " + parentRunId + " at snapshot " + snapshotTag + String.format(" (%.2f s)", parentAtNanos / 1e9);
    }
}
