package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunQueriesTest {
    @TempDir
    Path dir;
    Archive archive;
    long qmap;
    long simple;
    long running;

    @BeforeEach
    void threeRuns() {
        archive = Archive.open(dir.resolve("q.db"));
        qmap = TestRuns.createRun(archive, "scx_qmap", Instant.parse("2026-10-01T08:00:00Z"));
        try (EventIngest ingest = archive.startIngest(qmap)) {
            ingest.append(RunEvent.of(0, 10, Lane.CONSOLE, "line", "Booting Linux on physical CPU 0x0"));
            ingest.append(RunEvent.of(1, 20, Lane.SCHEDULER, "stderr", "scx_qmap: dispatch queue overflow"));
            ingest.append(new RunEvent(2, 30, Lane.STATS, "nr_queued", "", 5.0, null));
            ingest.append(TestRuns.snapshot("periodic_000", 100, 3));
            ingest.append(SnapshotRecord.placeholder("periodic_001", SnapshotKind.PERIODIC, 200, Optional.empty(),
                    "rendezvous timed out"));
            ingest.append(TestRuns.snapshot("periodic_002", 300, 9));
        }
        archive.finishRun(qmap, Verdict.SCHEDULER_FAILED, "runnable task stall", Instant.parse("2026-10-01T08:01:00Z"));

        simple = archive.createRun(new dev.freezeframe.coordinator.model.RunConfig("scx_simple", List.of(), "idle", 1,
                256, "/boot/vmlinuz-6.16", 0, List.of()), Instant.parse("2026-10-02T08:00:00Z"), Optional.of("6.16.1"));
        try (EventIngest ingest = archive.startIngest(simple)) {
            ingest.append(RunEvent.of(0, 10, Lane.CONSOLE, "line", "all quiet"));
        }
        archive.finishRun(simple, Verdict.PASSED, null, Instant.parse("2026-10-02T08:00:30Z"));
        running = TestRuns.createRun(archive, "scx_central", Instant.parse("2026-10-03T08:00:00Z"));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        archive.close();
    }

    private List<Long> ids(RunFilter f) {
        return archive.runs().list(f).stream().map(ArchivedRun::id).toList();
    }

    @Test
    void filtersCombine() {
        assertEquals(List.of(running, simple, qmap), ids(RunFilter.ALL));
        assertEquals(List.of(qmap), ids(RunFilter.ALL.withScheduler("QMAP")));
        assertEquals(List.of(simple), ids(RunFilter.ALL.withKernel("6.16")));
        assertEquals(List.of(running, qmap), ids(RunFilter.ALL.withKernel("7.2.13")));
        assertEquals(List.of(qmap), ids(RunFilter.ALL.withVerdict("scheduler_failed")));
        assertEquals(List.of(running), ids(RunFilter.ALL.withVerdict("running")));
        assertEquals(List.of(simple), ids(RunFilter.ALL.withStartedFrom(Instant.parse("2026-10-02T00:00:00Z"))
                .withStartedBefore(Instant.parse("2026-10-03T00:00:00Z"))));
        assertEquals(List.of(running), ids(RunFilter.ALL.withLimit(1)));
    }

    @Test
    void freeTextSearchesConsoleEventsAndReasons() {
        assertEquals(List.of(qmap), ids(RunFilter.ALL.withText("queue overflow")));
        assertEquals(List.of(qmap), ids(RunFilter.ALL.withText("booting linux")));
        assertEquals(List.of(simple), ids(RunFilter.ALL.withText("quiet")));
        assertEquals(List.of(qmap), ids(RunFilter.ALL.withText("task stall")));
        assertEquals(List.of(), ids(RunFilter.ALL.withText("nr_queued"))); // the stats lane is numbers, not text
        assertEquals(List.of(), ids(RunFilter.ALL.withText("\"; DROP TABLE runs; --")));
        assertEquals(List.of(qmap), ids(RunFilter.ALL.withText("overflow").withVerdict("scheduler_failed")));
        List<RunEvent> hits = archive.runs().search(qmap, "queue overflow", 10);
        assertEquals(1, hits.size());
        assertEquals(1, hits.get(0).seq());
    }

    @Test
    void snapshotsAndTheSeriesOfOneMapField() {
        List<SnapshotInfo> snaps = archive.runs().snapshots(qmap);
        assertEquals(List.of("periodic_000", "periodic_001", "periodic_002"),
                snaps.stream().map(SnapshotInfo::tag).toList());
        List<FieldPoint> series = archive.runs().fieldSeries(qmap, "scx_qmap.bss", "nr_queued");
        assertEquals(2, series.size(), "the placeholder is skipped");
        assertEquals(OptionalDouble.of(3), series.get(0).value());
        assertEquals(OptionalDouble.of(9), series.get(1).value());
        assertEquals(OptionalDouble.of(27), archive.runs().fieldSeries(qmap, "scx_qmap.bss", "stats.dispatched")
                .get(1).value());
        assertEquals(OptionalDouble.of(4), archive.runs().fieldSeries(qmap, "scx_qmap.bss", "cpu_load[1]")
                .get(0).value());
        assertEquals(OptionalDouble.of(109), archive.runs().fieldSeries(qmap, "task_ctx", "[42].weight")
                .get(1).value());
        assertTrue(archive.runs().fieldSeries(qmap, "scx_qmap.bss", "no_such_field").get(0).value().isEmpty());
    }

    @Test
    void detailCountsAndDeleteRemovesEverything() throws Exception {
        RunDetail d = archive.runs().detail(qmap).orElseThrow();
        assertEquals(3, d.eventCount());
        assertEquals(3, d.snapshotCount());
        assertEquals(1, d.placeholderCount());
        assertEquals(Optional.of(30L), d.lastEventNs());
        assertTrue(archive.deleteRun(qmap));
        assertFalse(archive.deleteRun(qmap));
        assertTrue(archive.runs().detail(qmap).isEmpty());
        for (String table : List.of("event_blocks", "snapshots", "lod_tiles")) {
            try (var s = archive.connection().createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM " + table + " WHERE run_id = " + qmap)) {
                rs.next();
                assertEquals(0, rs.getLong(1), table);
            }
        }
        assertEquals(List.of(), ids(RunFilter.ALL.withText("overflow")));
        assertEquals(List.of(simple), ids(RunFilter.ALL.withText("quiet")));
    }
}
