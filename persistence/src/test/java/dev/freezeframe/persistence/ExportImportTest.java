package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportImportTest {
    @TempDir
    Path dir;
    Path exportFile;
    List<RunEvent> events;
    long sourceRun;

    @BeforeEach
    void exportARun() {
        events = TestRuns.events(10_000, 11); // 3 EVENTS records of 4096
        try (Archive source = Archive.open(dir.resolve("source.db"))) {
            sourceRun = TestRuns.createRun(source, "scx_qmap", Instant.parse("2026-10-01T08:00:00Z"));
            try (EventIngest ingest = source.startIngest(sourceRun)) {
                events.forEach(ingest::append);
                ingest.append(TestRuns.snapshot("periodic_000", 5_000_000, 3));
                ingest.append(TestRuns.snapshot("periodic_001", 9_000_000, 8));
            }
            source.finishRun(sourceRun, Verdict.SCHEDULER_FAILED, "runnable task stall (watchdog)",
                    Instant.parse("2026-10-01T08:00:42Z"));
            exportFile = dir.resolve("run.ffx");
            RunExporter.Summary summary = new RunExporter(source).export(sourceRun, exportFile);
            assertEquals(10_000, summary.events());
            assertEquals(2, summary.snapshots());
        }
    }

    private Archive target() {
        return Archive.open(dir.resolve("target.db"));
    }

    @Test
    void aRoundTripKeepsTheRunItsEventsSnapshotsAndTimeline() {
        try (Archive target = target(); Archive source = Archive.open(dir.resolve("source.db"))) {
            ImportReport report = new RunImporter(target).importFile(exportFile);
            assertFalse(report.tornTail());
            assertTrue(target.runs().detail(report.runId()).orElseThrow().run().archiveNote().isEmpty());
            assertEquals(10_000, report.events());
            assertEquals(2, report.snapshots());
            RunDetail a = source.runs().detail(sourceRun).orElseThrow();
            RunDetail b = target.runs().detail(report.runId()).orElseThrow();
            assertEquals(a.configJson(), b.configJson());
            assertEquals(a.run().verdict(), b.run().verdict());
            assertEquals(a.run().reason(), b.run().reason());
            assertEquals(a.run().durationMs(), b.run().durationMs());
            assertEquals(a.eventCount(), b.eventCount());
            assertEquals(source.runs().snapshotReport(source.runs().snapshots(sourceRun).get(1).id()),
                    target.runs().snapshotReport(target.runs().snapshots(report.runId()).get(1).id()));
            long end = events.stream().mapToLong(RunEvent::atNanos).max().orElseThrow() + 1;
            TimelineQueries.Viewport va = source.timeline().viewport(sourceRun, 0, end, 800);
            TimelineQueries.Viewport vb = target.timeline().viewport(report.runId(), 0, end, 800);
            for (int i = 0; i < va.lanes().size(); i++) {
                assertArrayEquals(va.lanes().get(i).counts(), vb.lanes().get(i).counts());
            }
            assertEquals(1, target.runs().list(RunFilter.ALL.withText("stall")).size());
            String line = events.stream().filter(e -> e.lane() == Lane.CONSOLE).skip(100).findFirst().orElseThrow().text();
            assertEquals(1, target.runs().list(RunFilter.ALL.withText(line)).size());
            assertEquals(0, target.runs().list(RunFilter.ALL.withText("no such words anywhere")).size());
        }
    }

    @Test
    void aFlippedByteInTheMiddleIsRefusedAndNothingIsImported() throws Exception {
        byte[] bytes = Files.readAllBytes(exportFile);
        bytes[bytes.length / 2] ^= 0x20;
        Files.write(exportFile, bytes);
        try (Archive target = target()) {
            ArchiveException e = assertThrows(ArchiveException.class,
                    () -> new RunImporter(target).importFile(exportFile));
            assertTrue(e.getMessage().contains("is damaged at byte"), e.getMessage());
            assertTrue(e.getMessage().contains("Nothing was imported"), e.getMessage());
            assertTrue(target.listRuns().isEmpty());
            assertEquals(0, count(target, "events") + count(target, "lod_tiles") + count(target, "snapshots"));
        }
    }

    @Test
    void everyTruncationIsRecoveredExactlyUpToTheLastIntactRecordOrRefused() throws Exception {
        byte[] full = Files.readAllBytes(exportFile);
        List<Long> boundaries = frameBoundaries(full);
        int[] cuts = {3, RecordStream.HEADER_BYTES + 5, (int) (long) boundaries.get(1) + 1, full.length / 2,
                (int) (long) boundaries.get(boundaries.size() - 2), full.length - 1};
        for (int cut : cuts) {
            Path f = dir.resolve("cut-" + cut + ".ffx");
            Files.write(f, Arrays.copyOf(full, cut));
            try (Archive target = Archive.open(dir.resolve("cut-" + cut + ".db"))) {
                long intactEnd = boundaries.stream().filter(b -> b <= cut).max(Long::compare).orElse(0L);
                if (cut < boundaries.get(1)) {
                    // cut before the run record is complete: nothing to recover
                    ArchiveException e = assertThrows(ArchiveException.class,
                            () -> new RunImporter(target).importFile(f));
                    assertTrue(e.getMessage().contains("Nothing was imported"), e.getMessage());
                    assertTrue(target.listRuns().isEmpty());
                    continue;
                }
                ImportReport report = new RunImporter(target).importFile(f);
                assertTrue(report.tornTail(), "cut at " + cut);
                assertEquals(intactEnd, report.usedBytes(), "cut at " + cut);
                assertTrue(report.message().startsWith("Recovered a cut-off export"), report.message());
                long expectedEvents = Math.min(events.size(),
                        Math.max(0, (boundaries.stream().filter(b -> b <= cut).count() - 2)) * RunExporter.EVENTS_PER_RECORD);
                assertEquals(expectedEvents, report.events(), "cut at " + cut);
                RunDetail imported = target.runs().detail(report.runId()).orElseThrow();
                assertEquals(expectedEvents, imported.eventCount());
                // the run itself says it is incomplete, for whoever browses or re-exports it later
                String note = imported.run().archiveNote().orElseThrow();
                assertTrue(note.startsWith("Imported from a cut-off export (cut-" + cut + ".ffx"), note);
                // strict mode refuses the same file and writes nothing
                try (Archive strict = Archive.open(dir.resolve("strict-" + cut + ".db"))) {
                    ArchiveException e = assertThrows(ArchiveException.class,
                            () -> new RunImporter(strict, RunImporter.DEFAULT_MAX_FILE_BYTES, true).importFile(f));
                    assertTrue(e.getMessage().contains("strict"), e.getMessage());
                    assertTrue(strict.listRuns().isEmpty());
                }
            }
        }
    }

    @Test
    void aNewerFormatIsRefusedClearly() throws Exception {
        byte[] bytes = Files.readAllBytes(exportFile);
        ByteBuffer.wrap(bytes).putInt(8, RecordStream.FORMAT_VERSION + 1);
        Files.write(exportFile, bytes);
        try (Archive target = target()) {
            ArchiveException e = assertThrows(ArchiveException.class,
                    () -> new RunImporter(target).importFile(exportFile));
            assertTrue(e.getMessage().contains("newer Freezeframe (export format 2"), e.getMessage());
            assertTrue(target.listRuns().isEmpty());
        }
    }

    @Test
    void aFileThatIsNotAnExportOrTooLargeIsRefused() throws Exception {
        Path other = dir.resolve("notes.txt");
        Files.writeString(other, "just some notes, not a run");
        try (Archive target = target()) {
            assertTrue(assertThrows(ArchiveException.class, () -> new RunImporter(target).importFile(other))
                    .getMessage().contains("not a Freezeframe run export"));
            assertTrue(assertThrows(ArchiveException.class,
                    () -> new RunImporter(target, 1000, false).importFile(exportFile))
                    .getMessage().contains("more than the import limit"));
            assertTrue(assertThrows(ArchiveException.class,
                    () -> new RunImporter(target).importFile(dir.resolve("missing.ffx")))
                    .getMessage().contains("no file"));
            assertTrue(target.listRuns().isEmpty());
        }
    }

    @Test
    void bytesAfterTheEndRecordAreRefused() throws Exception {
        byte[] bytes = Files.readAllBytes(exportFile);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 40);
        Files.write(exportFile, longer);
        try (Archive target = target()) {
            ArchiveException e = assertThrows(ArchiveException.class,
                    () -> new RunImporter(target).importFile(exportFile));
            assertTrue(e.getMessage().contains("after its end record"), e.getMessage());
            assertTrue(target.listRuns().isEmpty());
        }
    }

    @Test
    void anIntactButInconsistentRecordFailsClosed() throws Exception {
        // rebuild the file with an end record that miscounts
        byte[] bytes = Files.readAllBytes(exportFile);
        List<Long> b = frameBoundaries(bytes);
        byte[] withoutEnd = Arrays.copyOf(bytes, (int) (long) b.get(b.size() - 2));
        byte[] badEnd = RecordStream.frame(ExportRecords.end(1, 2, 3));
        byte[] forged = Arrays.copyOf(withoutEnd, withoutEnd.length + badEnd.length);
        System.arraycopy(badEnd, 0, forged, withoutEnd.length, badEnd.length);
        Files.write(exportFile, forged);
        try (Archive target = target()) {
            ArchiveException e = assertThrows(ArchiveException.class,
                    () -> new RunImporter(target).importFile(exportFile));
            assertTrue(e.getMessage().contains("intact but not valid"), e.getMessage());
            assertTrue(target.listRuns().isEmpty());
            assertEquals(0, count(target, "events"));
        }
    }

    @Test
    void exportingAMissingRunSaysSo() {
        try (Archive target = target()) {
            assertTrue(assertThrows(ArchiveException.class,
                    () -> new RunExporter(target).export(5, dir.resolve("x.ffx"))).getMessage().contains("no run 5"));
            assertFalse(Files.exists(dir.resolve("x.ffx")));
        }
    }

    /** Offsets where frames start, plus the file end; index 0 = first frame (the run record). */
    private static List<Long> frameBoundaries(byte[] bytes) {
        List<Long> out = new java.util.ArrayList<>();
        long pos = RecordStream.HEADER_BYTES;
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (pos < bytes.length) {
            out.add(pos);
            pos += RecordStream.FRAME_HEADER_BYTES + b.getInt((int) pos + 4);
        }
        out.add(pos);
        return out;
    }

    private static long count(Archive a, String table) throws Exception {
        String sql = table.equals("events") ? "SELECT coalesce(sum(event_count), 0) FROM event_blocks"
                : "SELECT count(*) FROM " + table;
        try (var s = a.connection().createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

}
