package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot field index: filled at ingest and import, read by fieldSeries and snapshotFields, gone with its run. */
class SnapshotFieldIndexTest {
    @TempDir
    Path dir;

    private static SnapshotRecord snapshot(String tag, long atNanos, String report) {
        return new SnapshotRecord(tag, SnapshotKind.PERIODIC, atNanos, Optional.empty(), false, Optional.empty(),
                report);
    }

    /** A run whose snapshots list their fields in different orders, with a placeholder and a report that is not JSON. */
    private static long ingestRun(Archive archive, String scheduler) {
        long run = TestRuns.createRun(archive, scheduler, Instant.parse("2026-10-01T08:00:00Z"));
        try (EventIngest ingest = archive.startIngest(run)) {
            ingest.append(snapshot("periodic_000", 100, TestRuns.reportWithKeys(3, 42)));
            ingest.append(SnapshotRecord.placeholder("periodic_001", SnapshotKind.PERIODIC, 200, Optional.empty(),
                    "rendezvous timed out"));
            ingest.append(snapshot("periodic_002", 300, TestRuns.reportWithKeys(9, 7, 42)));
            ingest.append(snapshot("broken", 350, "{\"maps\": [ this is not JSON"));
            ingest.append(TestRuns.snapshot("periodic_003", 400, 11));
        }
        return run;
    }

    /** The index agrees with the reports themselves, fields in report order, for every snapshot of the run. */
    private static void assertIndexMatchesReports(Archive archive, long run) throws Exception {
        for (SnapshotInfo s : archive.runs().snapshots(run)) {
            List<String> expected = s.tag().equals("broken") ? List.of() : TestRuns.fieldsFromReport(archive, s.id());
            assertEquals(expected, TestRuns.lines(archive.runs().snapshotFields(s.id())), s.tag());
        }
    }

    private static long count(Archive archive, String sql) throws Exception {
        try (Statement s = archive.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<OptionalDouble> values(List<FieldPoint> series) {
        return series.stream().map(FieldPoint::value).toList();
    }

    @Test
    void liveIngestIndexesEverySnapshotInReportOrder() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("a.db"))) {
            long run = ingestRun(archive, "scx_qmap");
            assertIndexMatchesReports(archive, run);
            assertEquals(List.of("task_ctx / [7].weight = 70.0", "task_ctx / [42].weight = 420.0",
                            "scx_qmap.bss / nr_queued = 10.0", "scx_qmap.bss / ratio = 0.25",
                            "scx_qmap.bss / enabled = 1.0", "scx_qmap.bss / extra = -5.0"),
                    TestRuns.lines(archive.runs().snapshotFields(archive.runs().snapshots(run).get(2).id())));

            List<FieldPoint> weight = archive.runs().fieldSeries(run, "task_ctx", "[7].weight");
            assertEquals(List.of("periodic_000", "periodic_002", "broken", "periodic_003"),
                    weight.stream().map(FieldPoint::tag).toList(), "the placeholder is skipped, time order");
            assertEquals(List.of(OptionalDouble.empty(), OptionalDouble.of(70), OptionalDouble.empty(),
                    OptionalDouble.empty()), values(weight));
            assertEquals(List.of(OptionalDouble.of(4), OptionalDouble.of(10), OptionalDouble.empty(),
                    OptionalDouble.of(11)), values(archive.runs().fieldSeries(run, "scx_qmap.bss", "nr_queued")));
            assertEquals(4, archive.runs().fieldSeries(run, "no_such_map", "x").stream()
                    .filter(p -> p.value().isEmpty()).count());

            // a second run reuses the names of the first
            long names = count(archive, "SELECT count(*) FROM field_names");
            ingestRun(archive, "scx_simple");
            assertEquals(names, count(archive, "SELECT count(*) FROM field_names"));
        }
    }

    @Test
    void aReportThatIsNotJsonIsStoredAndHasNoFields() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("b.db"))) {
            long run = ingestRun(archive, "scx_qmap");
            SnapshotInfo broken = archive.runs().snapshots(run).stream().filter(s -> s.tag().equals("broken"))
                    .findFirst().orElseThrow();
            assertEquals("{\"maps\": [ this is not JSON", archive.runs().snapshotReport(broken.id()));
            assertEquals(Map.of(), archive.runs().snapshotFields(broken.id()));
            assertEquals(0, count(archive, "SELECT count(*) FROM snapshot_values WHERE snapshot_id = " + broken.id()));
            assertTrue(assertThrows(ArchiveException.class, () -> archive.runs().snapshotFields(9_999)).getMessage()
                    .contains("no snapshot 9999"));
        }
    }

    @Test
    void importedRunsAreIndexedLikeTheirSource() throws Exception {
        Path export = dir.resolve("run.ffx");
        try (Archive source = Archive.open(dir.resolve("source.db"));
             Archive target = Archive.open(dir.resolve("target.db"))) {
            long sourceRun = ingestRun(source, "scx_qmap");
            new RunExporter(source).export(sourceRun, export);
            long run = new RunImporter(target).importFile(export).runId();
            assertIndexMatchesReports(target, run);
            assertEquals(values(source.runs().fieldSeries(sourceRun, "scx_qmap.bss", "nr_queued")),
                    values(target.runs().fieldSeries(run, "scx_qmap.bss", "nr_queued")));
            List<SnapshotInfo> a = source.runs().snapshots(sourceRun);
            List<SnapshotInfo> b = target.runs().snapshots(run);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(source.runs().snapshotFields(a.get(i).id()), target.runs().snapshotFields(b.get(i).id()));
            }
        }
    }

    @Test
    void aRefusedImportLeavesNeitherSnapshotsNorTheirValues() throws Exception {
        Path export = dir.resolve("run.ffx");
        try (Archive source = Archive.open(dir.resolve("source.db"))) {
            new RunExporter(source).export(ingestRun(source, "scx_qmap"), export);
        }
        byte[] full = Files.readAllBytes(export);
        Files.write(export, Arrays.copyOf(full, full.length - 1)); // cut inside the end record: every snapshot is read
        try (Archive strict = Archive.open(dir.resolve("strict.db"))) {
            assertThrows(ArchiveException.class,
                    () -> new RunImporter(strict, RunImporter.DEFAULT_MAX_FILE_BYTES, true).importFile(export));
            assertEquals(0, count(strict, "SELECT count(*) FROM snapshots"));
            assertEquals(0, count(strict, "SELECT count(*) FROM snapshot_values"));
            assertEquals(0, count(strict, "SELECT count(*) FROM field_names"));
        }
    }

    @Test
    void ktstrImportsAreIndexed() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("k.db"))) {
            new KtstrImporter(archive).importDirectory(
                    Path.of(SnapshotFieldIndexTest.class.getResource("/ktstr/7.2.13-73730e0").toURI()));
            long run = archive.runs().list(RunFilter.ALL.withScheduler("scx_qmap")).getFirst().id();
            assertIndexMatchesReports(archive, run);
            assertTrue(count(archive, "SELECT count(*) FROM snapshot_values") > 0);
        }
    }

    @Test
    void deletingARunRemovesItsFieldValues() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("d.db"))) {
            long doomed = ingestRun(archive, "scx_qmap");
            long kept = ingestRun(archive, "scx_simple");
            String valuesOf = "SELECT count(*) FROM snapshot_values v JOIN snapshots s ON s.id = v.snapshot_id "
                    + "WHERE s.run_id = ";
            long keptValues = count(archive, valuesOf + kept);
            assertTrue(keptValues > 0);
            assertEquals(2 * keptValues, count(archive, "SELECT count(*) FROM snapshot_values"));

            assertTrue(archive.deleteRun(doomed));
            assertEquals(keptValues, count(archive, "SELECT count(*) FROM snapshot_values"),
                    "only the kept run's values are left");
            assertEquals(keptValues, count(archive, valuesOf + kept));
            assertFalse(archive.runs().fieldSeries(kept, "scx_qmap.bss", "nr_queued").isEmpty());
        }
    }
}
