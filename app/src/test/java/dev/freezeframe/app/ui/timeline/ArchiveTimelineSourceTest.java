package dev.freezeframe.app.ui.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.timeline.BucketAggregate;
import dev.freezeframe.timeline.TileKey;
import dev.freezeframe.timeline.TimelineItems;
import dev.freezeframe.timeline.TimelineSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive adapter over a real temporary archive written through the ingest, as a run writes it. */
class ArchiveTimelineSourceTest {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private long seq;

    private RunEvent ev(long at, Lane lane, String kind, String text, Double value, String detail) {
        return new RunEvent(seq++, at, lane, kind, text, value, detail);
    }

    @Test
    void readsItemsAndBucketsOfARunFromSeveralThreads() throws Exception {
        Path db = dir.resolve("archive.db");
        long runId;
        int console = 0;
        try (Archive archive = Archive.open(db)) {
            runId = archive.createRun(new RunConfig("scx_qmap", List.of(), "cpu", 2, 1024, "kit", 2, List.of()),
                    Instant.now(), Optional.of("7.3.4"));
            try (EventIngest ingest = archive.startIngest(runId)) {
                ingest.append(ev(0, Lane.LIFECYCLE, "run_started", "run", null, null));
                ingest.append(ev(S, Lane.STEPS, "step", "baseline", 0.0, null));
                ingest.append(ev(4 * S, Lane.STEPS, "step", "pingpong", 1.0, null));
                ingest.append(ev(4 * S + 500 * MS, Lane.STEPS, "exec_exit", "probe exited 0", 0.0, null));
                for (long t = 0; t < 8 * S; t += 3 * MS) {
                    ingest.append(ev(t, Lane.CONSOLE, "line", "line at " + t, null, null));
                    console++;
                    if (t % (30 * MS) == 0) ingest.append(ev(t, Lane.STATS, "nr_queued", "", (double) (t / MS), null));
                }
                ingest.append(ev(5 * S, Lane.LIFECYCLE, "frozen", "guest frozen", null, null));
                ingest.append(ev(5 * S + 1500 * MS, Lane.LIFECYCLE, "resumed", "guest resumed", null,
                        "{\"frozen_at_ns\":5000000000,\"frozen_ns\":1500000000,\"guest_clock\":\"paused\"}"));
                ingest.append(ev(3 * S, Lane.WATCHPOINTS, "hit", "total_forks hit 1", null,
                        "{\"slot\":1,\"tag\":\"watch:total_forks\",\"snapshot\":true}"));
                ingest.append(new SnapshotRecord("periodic_000", SnapshotKind.PERIODIC, 2 * S, Optional.of(0), false,
                        Optional.empty(), "{}"));
                ingest.append(new SnapshotRecord("watch:total_forks", SnapshotKind.WATCH, 3 * S, Optional.of(0),
                        false, Optional.empty(), "{}"));
                ingest.append(SnapshotRecord.placeholder("mine", SnapshotKind.REQUESTED, 6 * S, Optional.of(1),
                        "the guest did not stop in time"));
                ingest.flush();
            }
            archive.finishRun(runId, Verdict.PASSED, "ok", Instant.now());
        }

        try (ArchiveTimelineSource source = new ArchiveTimelineSource(db, runId)) {
            long v = source.refresh();
            assertEquals(v, source.refresh(), "no new data, same version");
            assertFalse(source.live());
            assertTrue(source.endNs() >= 8 * S - 3 * MS, "extent " + source.endNs());

            TimelineItems items = source.items();
            assertEquals(List.of("baseline", "pingpong"), items.steps().stream().map(TimelineItems.Step::name).toList(),
                    "an exec's exit on the steps lane starts no step");
            assertEquals(List.of(0, 1), items.steps().stream().map(TimelineItems.Step::index).toList(),
                    "numbered as the engine numbers them");
            assertEquals(4 * S, items.steps().get(0).endNs());
            assertEquals(3, items.snapshots().size());
            TimelineItems.SnapshotMark watch = items.snapshots().get(1);
            assertEquals(SnapshotKind.WATCH, watch.kind());
            assertEquals(1, watch.slot(), "the watch capture takes its hit's slot");
            assertTrue(items.snapshots().get(2).placeholder());
            assertTrue(items.snapshots().get(0).id() > 0);
            assertEquals(1, items.watchHits().size());
            assertEquals(1, items.watchHits().getFirst().slot());
            assertEquals(List.of(new TimelineItems.FrozenSpan(5 * S, 5 * S + 1500 * MS, false, true)), items.frozen());
            assertEquals(List.of("nr_queued"), items.seriesKinds());

            // tiles at a stored level and at a level finer than the pyramid, fetched on two threads at once
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int ideal : new int[] {12, 19, 24}) {
                    int level = source.answerLevel(ideal);
                    assertTrue(level >= ideal);
                    long total = 0;
                    // the fine level (answered from raw event blocks) over its first 100 tiles only
                    long last = Math.min(TileKey.holding(level, source.endNs() - 1).index(), level < 16 ? 99 : 1 << 20);
                    long hi = Math.min(new TileKey(level, last).toNs(), 8 * S);
                    long expected = (hi + 3 * MS - 1) / (3 * MS);
                    List<Future<BucketAggregate>> parts = new java.util.ArrayList<>();
                    for (long i = 0; i <= last; i++) {
                        TileKey k = new TileKey(level, i);
                        parts.add(pool.submit(() -> source.buckets(TimelineSource.DENSE_LANES, k.level(), k.fromNs(),
                                k.toNs())));
                    }
                    double maxLast = Double.NEGATIVE_INFINITY;
                    for (Future<BucketAggregate> f : parts) {
                        BucketAggregate b = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                        assertEquals(level, b.level());
                        for (BucketAggregate.LaneCounts lc : b.lanes()) {
                            assertTrue(lc.lane() != Lane.STATS);
                            if (lc.lane() == Lane.CONSOLE) total += Arrays.stream(lc.counts()).sum();
                        }
                        for (BucketAggregate.SeriesBuckets sb : b.series()) {
                            assertEquals("nr_queued", sb.kind());
                            for (double d : sb.last()) maxLast = Math.max(maxLast, d);
                        }
                    }
                    assertEquals(expected, total, "level " + level + ": every console line in one bucket");
                    if (hi == 8 * S) {
                        assertEquals(console, total);
                        assertEquals(7980.0, maxLast, "the series' last sample");
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aRunBeingRecordedGrowsBetweenRefreshes() throws Exception {
        Path db = dir.resolve("live.db");
        try (Archive archive = Archive.open(db)) {
            long runId = archive.createRun(new RunConfig("scx_qmap", List.of(), "cpu", 2, 1024, "kit", 0, List.of()),
                    Instant.now(), Optional.empty());
            try (EventIngest ingest = archive.startIngest(runId);
                 ArchiveTimelineSource source = new ArchiveTimelineSource(db, runId)) {
                for (long t = 0; t < S; t += MS) ingest.append(ev(t, Lane.CONSOLE, "line", "x", null, null));
                ingest.flush();
                long v1 = source.refresh();
                long end1 = source.endNs();
                assertTrue(source.live(), "recorded by this process: the run holds its lease");
                assertEquals(S - MS, end1);
                for (long t = S; t < 2 * S; t += MS) ingest.append(ev(t, Lane.CONSOLE, "line", "x", null, null));
                ingest.flush();
                long v2 = source.refresh();
                assertTrue(v2 > v1, "new data, new version");
                assertEquals(2 * S - MS, source.endNs());
                int level = source.answerLevel(20);
                long total = 0;
                for (long i = 0; i <= TileKey.holding(level, source.endNs() - 1).index(); i++) {
                    TileKey k = new TileKey(level, i);
                    for (BucketAggregate.LaneCounts lc : source.buckets(TimelineSource.DENSE_LANES, level, k.fromNs(),
                            k.toNs()).lanes()) {
                        total += Arrays.stream(lc.counts()).sum();
                    }
                }
                assertEquals(2000, total, "the pyramid has the events committed so far");
            }
        }
    }
}
