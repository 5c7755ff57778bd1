package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EventIngestTest {
    @TempDir
    Path dir;

    @Test
    void everyAppendedEventAndSnapshotIsCommittedInOrder() {
        Path file = dir.resolve("a.db");
        try (Archive archive = Archive.open(file)) {
            long run = TestRuns.createRun(archive, "scx_qmap", Instant.parse("2026-11-01T10:00:00Z"));
            List<RunEvent> events = TestRuns.events(20_000, 1);
            try (EventIngest ingest = archive.startIngest(run, new EventIngest.Options(512, 700))) {
                for (int i = 0; i < events.size(); i++) {
                    ingest.append(events.get(i));
                    if (i == 5_000) ingest.append(TestRuns.snapshot("periodic_000", events.get(i).atNanos(), 7));
                }
                ingest.flush();
                assertEquals(20_000, ingest.committedEvents());
                assertEquals(19_999, ingest.lastCommittedSeq());
                assertEquals(1, ingest.committedSnapshots());
            }
            archive.finishRun(run, Verdict.PASSED, null, Instant.parse("2026-11-01T10:01:00Z"));
            RunDetail detail = archive.runs().detail(run).orElseThrow();
            assertEquals(20_000, detail.eventCount());
            assertEquals(1, detail.snapshotCount());
            assertEquals(60_000L, detail.run().durationMs().orElseThrow());
            assertEquals("passed", detail.run().verdictLabel());
            assertEquals(events.get(123), archive.runs().events(run, events.get(123).lane(),
                    events.get(123).atNanos(), events.get(123).atNanos() + 1, 100).stream()
                    .filter(e -> e.seq() == 123).findFirst().orElseThrow());
        }
    }

    @Test
    void snapshotReportsAreStoredCompressedAndReadBackExactly() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("s.db"))) {
            long run = TestRuns.createRun(archive, "scx_qmap", Instant.now());
            String big = TestRuns.report(5, 6).repeat(1); // valid JSON
            try (EventIngest ingest = archive.startIngest(run)) {
                ingest.append(new SnapshotRecord("hit", SnapshotKind.WATCH, 77, Optional.empty(), false,
                        Optional.empty(), big));
                ingest.append(SnapshotRecord.placeholder("periodic_001", SnapshotKind.PERIODIC, 99, Optional.of(2),
                        "rendezvous timed out"));
            }
            List<SnapshotInfo> snaps = archive.runs().snapshots(run);
            assertEquals(2, snaps.size());
            assertEquals(big, archive.runs().snapshotReport(snaps.get(0).id()));
            assertEquals(SnapshotKind.WATCH, snaps.get(0).kind());
            assertTrue(snaps.get(1).placeholder());
            assertEquals(Optional.of("rendezvous timed out"), snaps.get(1).placeholderReason());
            assertEquals(Optional.of(2), snaps.get(1).stepIndex());
            try (Connection c = Archive.connect(archive.path(), true); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT length(report), report_size FROM snapshots ORDER BY id")) {
                rs.next();
                assertTrue(rs.getInt(1) < rs.getInt(2), "the report is stored compressed");
            }
        }
    }

    @Test
    void readersAreNotBlockedWhileTheWriterCommits() throws Exception {
        Path file = dir.resolve("r.db");
        try (Archive archive = Archive.open(file); Archive reader = Archive.open(file)) {
            long run = TestRuns.createRun(archive, "scx_simple", Instant.now());
            try (EventIngest ingest = archive.startIngest(run, new EventIngest.Options(256, 100))) {
                // the reader holds a read transaction open across many writer commits
                Connection rc = reader.connection();
                rc.setAutoCommit(false);
                long seen;
                try (Statement s = rc.createStatement();
                     ResultSet rs = s.executeQuery("SELECT coalesce(sum(event_count), 0) FROM event_blocks WHERE run_id = " + run)) {
                    rs.next();
                    seen = rs.getLong(1);
                }
                for (int i = 0; i < 2_000; i++) ingest.append(RunEvent.of(i, i * 1000L, Lane.CONSOLE, "line", "x" + i));
                ingest.flush();
                try (Statement s = rc.createStatement();
                     ResultSet rs = s.executeQuery("SELECT coalesce(sum(event_count), 0) FROM event_blocks WHERE run_id = " + run)) {
                    rs.next();
                    assertEquals(seen, rs.getLong(1), "a reader's transaction sees one consistent snapshot");
                }
                rc.commit();
                rc.setAutoCommit(true);
                assertEquals(2_000, reader.runs().detail(run).orElseThrow().eventCount());
            }
        }
    }

    @Test
    void searchingWhileARunIsRecordedFindsWhatIsCommittedAndNeverFails() throws Exception {
        Path file = dir.resolve("live.db");
        try (Archive archive = Archive.open(file); Archive browser = Archive.open(file)) {
            long run = TestRuns.createRun(archive, "scx_qmap", Instant.now());
            try (EventIngest ingest = archive.startIngest(run, new EventIngest.Options(256, 64))) {
                // one line committed before the browser starts looking, so the run always matches below
                ingest.append(RunEvent.of(0, 0, Lane.CONSOLE, "line", "worker 0 ran"));
                ingest.flush();
                Thread producer = Thread.ofPlatform().start(() -> {
                    for (int i = 1; i < 20_000; i++) {
                        ingest.append(RunEvent.of(i, i * 1_000L, Lane.CONSOLE, "line",
                                i % 100 == 0 ? "dispatch stall on cpu" + (i % 4) : "worker " + i + " ran"));
                    }
                });
                // the browser's search catches up the index from its own connection while the writer commits
                int lastFound = 0;
                while (producer.isAlive()) {
                    int found = browser.runs().search(run, "dispatch stall", 1_000).size();
                    assertTrue(found >= lastFound, "search results never shrink: " + found + " < " + lastFound);
                    lastFound = found;
                    assertEquals(1, browser.runs().list(RunFilter.ALL.withText("worker ran")).size());
                }
                producer.join(java.time.Duration.ofSeconds(60));
                assertTrue(!producer.isAlive(), "the producer finished within its deadline");
                ingest.flush();
            }
            assertEquals(199, browser.runs().search(run, "dispatch stall", 1_000).size());
        }
    }

    @Test
    @Timeout(120) // a flush that waited for the 10-minute linger would hang here
    void aTrickleOfEventsIsStoredInFewBlocksAndAFlushDoesNotWaitForTheLinger() throws Exception {
        Path file = dir.resolve("trickle.db");
        try (Archive archive = Archive.open(file)) {
            long run = TestRuns.createRun(archive, "scx_simple", Instant.now());
            // a linger far longer than the test: every event waits in the one batch until the flush commits it
            try (EventIngest ingest = archive.startIngest(run, new EventIngest.Options(256, 1000, 600_000))) {
                for (int i = 0; i < 100; i++) {
                    ingest.append(RunEvent.of(i, i * 1_000L, Lane.CONSOLE, "line", "line " + i));
                    Thread.sleep(1);
                }
                ingest.flush();
                assertEquals(100, archive.runs().detail(run).orElseThrow().eventCount());
            }
            try (Statement s = archive.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM event_blocks WHERE run_id = " + run)) {
                rs.next();
                assertEquals(1, rs.getLong(1), "100 trickled events are one block");
            }
        }
    }

    @Test
    void aWriteFailureSurfacesAsAnArchiveErrorAndNothingOfTheBatchIsKept() {
        try (Archive archive = Archive.open(dir.resolve("f.db"))) {
            long run = TestRuns.createRun(archive, "scx_simple", Instant.now());
            EventIngest ingest = archive.startIngest(run, new EventIngest.Options(64, 1000));
            ingest.append(RunEvent.of(0, 1, Lane.CONSOLE, "line", "a"));
            ingest.flush();
            ingest.append(RunEvent.of(1, 2, Lane.CONSOLE, "line", "b"));
            ingest.append(RunEvent.of(1, 3, Lane.CONSOLE, "line", "duplicate seq"));
            assertThrows(ArchiveException.class, ingest::flush);
            assertThrows(ArchiveException.class, ingest::close);
            assertEquals(1, archive.runs().detail(run).orElseThrow().eventCount());
        }
    }

    @Test
    void ingestForAMissingRunIsRefused() {
        try (Archive archive = Archive.open(dir.resolve("m.db"))) {
            ArchiveException e = assertThrows(ArchiveException.class, () -> archive.startIngest(99));
            assertTrue(e.getMessage().contains("no run 99"), e.getMessage());
        }
    }
}
