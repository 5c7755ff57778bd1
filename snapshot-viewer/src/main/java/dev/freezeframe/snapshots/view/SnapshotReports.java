package dev.freezeframe.snapshots.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.snapshots.ArchiveAccess;
import dev.freezeframe.snapshots.model.FlatReport;
import dev.freezeframe.snapshots.model.ReportModel;
import dev.freezeframe.snapshots.model.ReportThreads;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A run's snapshot reports read from the archive and made into rows off the FX thread, the last few kept. */
final class SnapshotReports {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CACHED = 6;

    private final ArchiveAccess archive;
    private final Map<Long, CompletableFuture<Loaded>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CompletableFuture<Loaded>> eldest) {
            return size() > CACHED;
        }
    };

    SnapshotReports(ArchiveAccess archive) {
        this.archive = archive;
    }

    /** One snapshot read and made into rows; its index by path is made on first request (pins, marks, searches). */
    static final class Loaded {
        private final ReportModel model;
        private FlatReport flat;

        Loaded(ReportModel model) {
            this.model = model;
        }

        ReportModel model() {
            return model;
        }

        int cpus() {
            return model.cpus();
        }

        /** Makes every row, so never before the first paint and, when it can be, off the FX thread. */
        synchronized FlatReport flat() {
            if (flat == null) flat = FlatReport.of(model);
            return flat;
        }
    }

    /**
     * The rows of snapshot {@code snapshotId} (called on the FX thread; the reading and parsing happen elsewhere). The
     * text is scanned on the report threads, so a diff's two snapshots are read at once even where the common pool has a
     * single thread (2 cores).
     */
    CompletableFuture<Loaded> load(long snapshotId) {
        return cache.computeIfAbsent(snapshotId, id -> archive.read(a -> a.runs().snapshotReport(id))
                .thenApplyAsync(SnapshotReports::parse, ReportThreads.pool()));
    }

    /** Parses a report into its top rows (the rest are made when expanded or diffed); also used by the benchmark. */
    static Loaded parse(String report) {
        try {
            return new Loaded(ReportModel.parse(JSON, report));
        } catch (java.io.IOException e) {
            throw new CompletionException(new IllegalStateException("the report is not valid JSON ("
                    + e.getMessage() + ")"));
        }
    }
}
