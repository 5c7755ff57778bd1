package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KtstrImporterTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws Exception {
        return Path.of(KtstrImporterTest.class.getResource("/ktstr/" + name).toURI());
    }

    @Test
    void sidecarsAndFailureDumpsBecomeRunsAndSnapshots() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("k.db"))) {
            KtstrImporter.Result result = new KtstrImporter(archive).importDirectory(fixture("7.2.13-73730e0"));
            assertEquals(3, result.imported().size(), result.toString());
            assertTrue(result.failed().isEmpty(), result.toString());

            ArchivedRun failed = archive.runs().list(RunFilter.ALL.withScheduler("scx_qmap")).getFirst();
            assertEquals("throughput_gate", failed.scenario());
            assertEquals("scheduler_failed", failed.verdictLabel());
            assertEquals(2, failed.vcpus());
            assertEquals("7.2.13", failed.kernelVersion().orElseThrow());
            assertEquals(2000L, failed.durationMs().orElseThrow());
            List<SnapshotInfo> snaps = archive.runs().snapshots(failed.id());
            assertEquals(List.of("failure-dump", "repro-early", "repro-late"),
                    snaps.stream().map(SnapshotInfo::tag).sorted().toList());
            assertEquals(OptionalDouble.of(1250), archive.runs().fieldSeries(failed.id(), "scx_qmap.bss", "nr_enqueued")
                    .stream().filter(p -> p.tag().equals("repro-late")).findFirst().orElseThrow().value());
            RunDetail detail = archive.runs().detail(failed.id()).orElseThrow();
            assertEquals(3, detail.eventCount(), "two stimulus steps and the verdict");
            assertTrue(detail.configJson().contains("\"run_id\":\"20261120T091500Z-1\""), detail.configJson());

            ArchivedRun passed = archive.runs().list(RunFilter.ALL.withScheduler("scx_simple")).getFirst();
            assertEquals("passed", passed.verdictLabel());
            assertEquals(0, archive.runs().snapshots(passed.id()).size());

            ArchivedRun orphan = archive.runs().list(RunFilter.ALL.withScheduler("unknown")).getFirst();
            assertEquals("orphan-00000000000000ff", orphan.scenario());
            SnapshotInfo placeholder = archive.runs().snapshots(orphan.id()).getFirst();
            assertTrue(placeholder.placeholder());
            assertEquals("rendezvous timed out", placeholder.placeholderReason().orElseThrow());

            // importing the same folder again adds nothing
            KtstrImporter.Result again = new KtstrImporter(archive).importDirectory(fixture("7.2.13-73730e0"));
            assertEquals(0, again.imported().size());
            assertEquals(3, again.skipped().size());
            assertEquals(3, archive.listRuns().size());
        }
    }

    @Test
    void unreadableOrUnknownFilesAreReportedAndImportNothing() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("b.db"))) {
            KtstrImporter.Result result = new KtstrImporter(archive).importDirectory(fixture("bad"));
            assertEquals(0, result.imported().size());
            assertEquals(2, result.failed().size(), result.toString());
            assertTrue(result.failed().stream().anyMatch(i -> i.message().contains("schema 'degraded'")),
                    result.toString());
            assertTrue(result.failed().stream().anyMatch(i -> i.message().contains("not valid JSON")),
                    result.toString());
            assertTrue(archive.listRuns().isEmpty());
        }
    }

    @Test
    void aFolderWithoutKtstrResultsIsRefused() {
        try (Archive archive = Archive.open(dir.resolve("e.db"))) {
            ArchiveException e = org.junit.jupiter.api.Assertions.assertThrows(ArchiveException.class,
                    () -> new KtstrImporter(archive).importDirectory(dir));
            assertTrue(e.getMessage().contains("No ktstr results"), e.getMessage());
        }
    }
}
