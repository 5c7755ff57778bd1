package dev.freezeframe.app.ui.source;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Where a run tab's console and events table read the run: the archive file and run id, and for a live run the seq of
 * the newest event the archive has committed (fed from {@code LiveRunState.committedSeq()}); the views poll it once per
 * frame and page in what is new. The supplier is called on the FX thread and must be cheap (read a volatile).
 *
 * @param archive      the SQLite archive the run is recorded in
 * @param runId        the run's id in it
 * @param live         whether the run is still being recorded
 * @param committedSeq the newest committed seq, -1 before any; ignored when not live
 */
public record RunEventSource(Path archive, long runId, boolean live, LongSupplier committedSeq) {
    public RunEventSource {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(committedSeq, "committedSeq");
    }

    /** A finished (or interrupted) run: everything it has is in the archive already. */
    public static RunEventSource archived(Path archive, long runId) {
        return new RunEventSource(archive, runId, false, () -> -1);
    }

    /** A run being recorded now. */
    public static RunEventSource live(Path archive, long runId, LongSupplier committedSeq) {
        return new RunEventSource(archive, runId, true, committedSeq);
    }
}
