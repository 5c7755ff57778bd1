package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
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
            assertTrue(result.failed().stream().anyMatch(i -> i.message().contains("schema 'v9'")),
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

    @Test
    void allThreeSchemasTaggedAndOnDemandFilesAndExactU64() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("s.db"))) {
            KtstrImporter.Result result = new KtstrImporter(archive).importDirectory(fixture("schemas"));
            assertTrue(result.failed().isEmpty(), result.toString());
            assertEquals(1, result.imported().size(), result.toString());
            long runId = result.imported().getFirst().runId().orElseThrow();
            Map<String, SnapshotInfo> snaps = archive.runs().snapshots(runId).stream()
                    .collect(Collectors.toMap(SnapshotInfo::tag, s -> s));
            assertEquals(java.util.Set.of("failure-dump", "repro-early", "repro-late", "mid_run", "early-degraded",
                    "on_demand_0"), snaps.keySet());

            SnapshotInfo degraded = snaps.get("failure-dump");
            assertTrue(degraded.placeholder());
            assertEquals(SnapshotKind.ERROR, degraded.kind());
            assertTrue(degraded.placeholderReason().orElseThrow().startsWith("degraded capture: vCPU rendezvous timed "
                    + "out"), degraded.toString());
            String degradedReport = archive.runs().snapshotReport(degraded.id());
            assertTrue(degradedReport.contains("\"rip\":18446744071562067968"), degradedReport);
            assertTrue(degradedReport.contains("\"exit_kind\":1025"), degradedReport);

            SnapshotInfo early = snaps.get("repro-early");
            assertTrue(early.placeholder());
            assertEquals("early snapshot not taken: max_age never crossed threshold (peak=3j, threshold=500j)",
                    early.placeholderReason().orElseThrow());
            assertEquals(false, snaps.get("repro-late").placeholder());

            SnapshotInfo mid = snaps.get("mid_run");
            assertEquals(SnapshotKind.REQUESTED, mid.kind());
            String midReport = archive.runs().snapshotReport(mid.id());
            assertTrue(midReport.contains("\"value\":18446744073709551615"), midReport);
            assertTrue(midReport.contains("\"value\":9007199254740993"), midReport);

            assertEquals(SnapshotKind.ERROR, snaps.get("early-degraded").kind());
            assertTrue(snaps.get("early-degraded").placeholder());
            assertEquals("scheduler exited before the capture",
                    snaps.get("on_demand_0").placeholderReason().orElseThrow());

            List<RunEvent> steps = archive.runs().events(runId, Lane.STEPS, 0, Long.MAX_VALUE, 10);
            assertEquals(2, steps.size());
            assertEquals(1_500_000_000L, steps.get(1).atNanos());
            assertEquals("step 1: 2 ops, 1 cgroups, 2 workers, 18446744073709551615 iterations", steps.get(1).text());
        }
    }

    @Test
    void negativeOrAbsurdElapsedTimesAreRefusedWithTheField() throws Exception {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.writeString(in.resolve("t-1.ktstr.json"), """
                {"test_name": "t", "passed": true, "stimulus_events": [{"elapsed_ms": -5, "step_index": 0}]}""");
        Files.writeString(in.resolve("u-1.ktstr.json"), """
                {"test_name": "u", "passed": true, "stimulus_events": [{"elapsed_ms": 18446744073709551615}]}""");
        try (Archive archive = Archive.open(dir.resolve("n.db"))) {
            KtstrImporter.Result result = new KtstrImporter(archive).importDirectory(in);
            assertEquals(0, result.imported().size(), result.toString());
            assertEquals(2, result.failed().size(), result.toString());
            assertTrue(result.failed().stream().allMatch(i -> i.message().contains("has elapsed_ms = ")),
                    result.toString());
            assertTrue(archive.listRuns().isEmpty());
        }
    }

    @Test
    void capsPerFileAreSaidInASentence() throws Exception {
        Path in = dir.resolve("caps");
        Files.createDirectories(in);
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            if (i > 0) events.append(',');
            events.append("{\"elapsed_ms\": ").append(i * 10).append(", \"step_index\": ").append(i).append('}');
        }
        Files.writeString(in.resolve("many-1.ktstr.json"),
                "{\"test_name\": \"many\", \"passed\": true, \"stimulus_events\": [" + events + "]}");
        Files.writeString(in.resolve("big-2.failure-dump.json"), "{\"schema\": \"single\", \"maps\": ["
                + "{},".repeat(200) + "{}]}");
        Files.writeString(in.resolve("huge-3.failure-dump.json"), "{\"schema\": \"single\", \"maps\": [], \"pad\": \""
                + "x".repeat(5000) + "\"}");
        try (Archive archive = Archive.open(dir.resolve("c.db"))) {
            KtstrImporter.Result result = new KtstrImporter(archive, new KtstrImporter.Limits(4096, 100, 3, 10))
                    .importDirectory(in);
            assertEquals(1, result.imported().size(), result.toString());
            assertTrue(result.imported().getFirst().message().contains("kept the first 3 of 5 stimulus events"),
                    result.toString());
            long runId = result.imported().getFirst().runId().orElseThrow();
            assertEquals(3, archive.runs().events(runId, Lane.STEPS, 0, Long.MAX_VALUE, 10).size());
            assertTrue(archive.runs().events(runId, Lane.LIFECYCLE, 0, Long.MAX_VALUE, 10).stream()
                    .anyMatch(e -> e.kind().equals("import_limit")));
            assertEquals(2, result.failed().size(), result.toString());
            assertTrue(result.failed().stream().anyMatch(i -> i.message().contains("more than 100 JSON values")),
                    result.toString());
            assertTrue(result.failed().stream().anyMatch(i -> i.message().contains("more than the ktstr import limit "
                    + "of 4096 bytes")), result.toString());
        }
    }

    @Test
    void aSidecarWhoseStatsWouldOverflowTheConfigurationKeepsTheRunWithoutThem() throws Exception {
        Path in = dir.resolve("bulky");
        Files.createDirectories(in);
        Files.writeString(in.resolve("bulky-1.ktstr.json"), "{\"test_name\": \"bulky\", \"passed\": true, "
                + "\"run_id\": \"r1\", \"stats\": {\"blob\": \"" + "s".repeat(ImportChecks.MAX_CONFIG_CHARS) + "\"}}");
        try (Archive archive = Archive.open(dir.resolve("bulky.db"))) {
            KtstrImporter.Result result = new KtstrImporter(archive).importDirectory(in);
            assertEquals(1, result.imported().size(), result.toString());
            assertTrue(result.imported().getFirst().message().contains("left out the sidecar's stats"),
                    result.toString());
            long runId = result.imported().getFirst().runId().orElseThrow();
            Path export = dir.resolve("bulky.ffx");
            new RunExporter(archive).export(runId, export);
            try (Archive other = Archive.open(dir.resolve("other.db"))) {
                assertEquals(0, new RunImporter(other).importFile(export).snapshots());
                assertEquals("bulky", other.listRuns().getFirst().scenario());
            }
        }
    }
}
