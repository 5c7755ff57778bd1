package dev.freezeframe.app.ui.compare;

import dev.freezeframe.app.ui.TestArchives;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An archive of four runs for the Compare tab: two of scx_simple (side A) and two of scx_qmap (side B) whose scheduler
 * was enabled at different times, whose snapshot's nr_queued differs, and whose probe's p99 wake-up delay is three
 * times longer under B.
 */
public final class CompareArchive {
    private static final long S = 1_000_000_000L;

    private CompareArchive() {
    }

    /**
     * Runs 1 and 3 (A, enabled at 2 s and 2.5 s), 2 and 4 (B, enabled at 5 s and 4 s); run 4's snapshot alone has
     * {@code nr_reenqueued} (7).
     */
    public static void write(Path db) {
        try (Archive archive = Archive.open(db)) {
            run(archive, "scx_simple", 2 * S, 10, null, 100, 1000);
            run(archive, "scx_qmap", 5 * S, 25, null, 300, 1000);
            run(archive, "scx_simple", 2 * S + S / 2, 10, null, 110, 1010);
            run(archive, "scx_qmap", 4 * S, 25, 7L, 320, 990);
        }
    }

    private static void run(Archive archive, String scheduler, long enabledAt, long queued, Long reenqueued, double p99,
                            double rate) {
        long id = archive.createRun(new RunConfig(scheduler, List.of(), "latency", 2, 512, "kit", 1, List.of()),
                Instant.parse("2026-12-01T10:00:00Z"), Optional.of("7.3.0"));
        long[] seq = {0};
        try (EventIngest ingest = archive.startIngest(id)) {
            ingest.append(RunEvent.of(seq[0]++, 0, Lane.LIFECYCLE, "run_started", scheduler + " under latency"));
            ingest.append(RunEvent.of(seq[0]++, enabledAt, Lane.LIFECYCLE, "scheduler_enabled", scheduler));
            ingest.append(new RunEvent(seq[0]++, enabledAt + S, Lane.STEPS, "step", "warm", 1.0, null));
            ingest.append(new RunEvent(seq[0]++, enabledAt + 3 * S, Lane.STEPS, "step", "probe", 2.0, null));
            for (int i = 0; i < 60; i++) {
                long t = enabledAt + i * 100_000_000L;
                ingest.append(new RunEvent(seq[0]++, t, Lane.STATS, "nr_dispatched", "", (double) (i * i), null));
                ingest.append(RunEvent.of(seq[0]++, t + 1, Lane.CONSOLE, "line", "worker line " + i));
            }
            ingest.append(new SnapshotRecord("periodic_000", SnapshotKind.PERIODIC, enabledAt + 2 * S,
                    Optional.of(0), false, Optional.empty(), TestArchives.report(queued, 100, reenqueued)));
            ingest.append(RunEvent.of(seq[0]++, enabledAt + 6 * S, Lane.LIFECYCLE, "verdict", "passed"));
        }
        archive.recordMetrics(id, List.of(
                new WorkloadMetric(1, "warm", "cpu", MetricName.RATE, rate),
                new WorkloadMetric(2, "probe", "latency", MetricName.WAKE_P99, p99)));
        archive.finishRun(id, Verdict.PASSED, "scenario completed", Instant.parse("2026-12-01T10:00:10Z"));
    }

}
