package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CRC-valid export whose fields are out of range is refused with a sentence naming the field; exports never
 * write through a planted symlink. */
class ImportRangeTest {
    @TempDir
    Path dir;
    Path exportFile;
    RunRow good;

    @BeforeEach
    void exportARun() throws Exception {
        try (Archive source = Archive.open(dir.resolve("source.db"))) {
            long run = TestRuns.createRun(source, "scx_qmap", Instant.parse("2026-10-01T08:00:00Z"));
            try (EventIngest ingest = source.startIngest(run)) {
                TestRuns.events(20, 3).forEach(ingest::append);
                ingest.append(TestRuns.snapshot("periodic_000", 5_000_000, 3));
            }
            source.finishRun(run, Verdict.PASSED, null, Instant.parse("2026-10-01T08:00:42Z"));
            exportFile = dir.resolve("run.ffx");
            new RunExporter(source).export(run, exportFile);
            good = RunRow.read(source.connection(), run);
        }
    }

    private String refusal(RunRow forged) throws Exception {
        return refusal(0, ExportRecords.run(forged));
    }

    /** Replaces record {@code index} (0 = the run) with {@code payload}, re-framed so its CRC is valid. */
    private String refusal(int index, byte[] payload) throws Exception {
        byte[] bytes = Files.readAllBytes(exportFile);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, RecordStream.HEADER_BYTES);
        int pos = RecordStream.HEADER_BYTES;
        int i = 0;
        while (pos < bytes.length) {
            int len = RecordStream.FRAME_HEADER_BYTES + ByteBuffer.wrap(bytes).getInt(pos + 4);
            if (i++ == index) out.writeBytes(RecordStream.frame(payload));
            else out.write(bytes, pos, len);
            pos += len;
        }
        Path forged = dir.resolve("forged-" + index + ".ffx");
        Files.write(forged, out.toByteArray());
        try (Archive target = Archive.open(dir.resolve("target.db"))) {
            ArchiveException e = assertThrows(ArchiveException.class, () -> new RunImporter(target).importFile(forged));
            assertTrue(target.listRuns().isEmpty(), "nothing is imported");
            return e.getMessage();
        }
    }

    private RunRow with(UnaryOperator<RunRow> change) {
        return change.apply(good);
    }

    @Test
    void negativeCountsAbsurdTimesAndUnknownVerdictsAreRefusedNamingTheField() throws Exception {
        String vcpus = refusal(with(r -> new RunRow(r.startedAtMs(), r.endedAtMs(), r.scheduler(), r.schedulerArgs(),
                r.scenario(), r.kernel(), r.kernelVersion(), -2, r.memoryMib(), r.configJson(), r.verdict(),
                r.reason(), r.durationMs(), r.archiveNote())));
        assertTrue(vcpus.contains("vcpus = -2 is outside 1..4096"), vcpus);
        assertTrue(vcpus.contains("Nothing was imported"), vcpus);

        String memory = refusal(with(r -> new RunRow(r.startedAtMs(), r.endedAtMs(), r.scheduler(), r.schedulerArgs(),
                r.scenario(), r.kernel(), r.kernelVersion(), r.vcpus(), -1, r.configJson(), r.verdict(),
                r.reason(), r.durationMs(), r.archiveNote())));
        assertTrue(memory.contains("memory_mib = -1"), memory);

        String started = refusal(with(r -> new RunRow(-5, r.endedAtMs(), r.scheduler(), r.schedulerArgs(),
                r.scenario(), r.kernel(), r.kernelVersion(), r.vcpus(), r.memoryMib(), r.configJson(), r.verdict(),
                r.reason(), r.durationMs(), r.archiveNote())));
        assertTrue(started.contains("started_at_ms = -5"), started);

        String ended = refusal(with(r -> new RunRow(r.startedAtMs(), Long.MAX_VALUE, r.scheduler(), r.schedulerArgs(),
                r.scenario(), r.kernel(), r.kernelVersion(), r.vcpus(), r.memoryMib(), r.configJson(), r.verdict(),
                r.reason(), r.durationMs(), r.archiveNote())));
        assertTrue(ended.contains("ended_at_ms = " + Long.MAX_VALUE), ended);

        String duration = refusal(with(r -> new RunRow(r.startedAtMs(), r.endedAtMs(), r.scheduler(),
                r.schedulerArgs(), r.scenario(), r.kernel(), r.kernelVersion(), r.vcpus(), r.memoryMib(),
                r.configJson(), r.verdict(), r.reason(), -42L, r.archiveNote())));
        assertTrue(duration.contains("duration_ms = -42"), duration);

        String verdict = refusal(with(r -> new RunRow(r.startedAtMs(), r.endedAtMs(), r.scheduler(), r.schedulerArgs(),
                r.scenario(), r.kernel(), r.kernelVersion(), r.vcpus(), r.memoryMib(), r.configJson(), "totally_fine",
                r.reason(), r.durationMs(), r.archiveNote())));
        assertTrue(verdict.contains("verdict 'totally_fine' does not exist"), verdict);

        String config = refusal(with(r -> new RunRow(r.startedAtMs(), r.endedAtMs(), r.scheduler(), r.schedulerArgs(),
                r.scenario(), r.kernel(), r.kernelVersion(), r.vcpus(), r.memoryMib(), "[1, 2]", r.verdict(),
                r.reason(), r.durationMs(), r.archiveNote())));
        assertTrue(config.contains("config_json is not a JSON object"), config);
    }

    /** A run record edited as JSON: {@code field} set to the raw JSON {@code value}. */
    private byte[] runWith(String field, String value) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode o = (com.fasterxml.jackson.databind.node.ObjectNode)
                Archive.JSON.readTree(java.util.Arrays.copyOfRange(ExportRecords.run(good), 1,
                        ExportRecords.run(good).length));
        o.set(field, Archive.JSON.readTree(value));
        byte[] json = Archive.JSON.writeValueAsBytes(o);
        byte[] payload = new byte[json.length + 1];
        payload[0] = ExportRecords.RUN;
        System.arraycopy(json, 0, payload, 1, json.length);
        return payload;
    }

    @Test
    void numbersThatWouldBeTruncatedToFitAreRefusedNotWrapped() throws Exception {
        // 2^32 + 2 read as an int would be 2 vCPUs; 2^64 as a long would wrap
        String vcpus = refusal(0, runWith("vcpus", "4294967298"));
        assertTrue(vcpus.contains("vcpus = 4294967298 is not a whole number within the range of an int"), vcpus);
        String started = refusal(0, runWith("started_at_ms", "18446744073709551616"));
        assertTrue(started.contains("started_at_ms = 18446744073709551616 is not a whole number"), started);
        String text = refusal(0, runWith("started_at_ms", "\"1700000000000\""));
        assertTrue(text.contains("started_at_ms = \"1700000000000\" is not a whole number"), text);
        String fraction = refusal(0, runWith("memory_mib", "1024.5"));
        assertTrue(fraction.contains("memory_mib = 1024.5 is not a whole number"), fraction);
    }

    @Test
    void eventsWithNegativeIdsOrTimesAreRefused() throws Exception {
        // RunEvent itself refuses a negative seq, so the payload is patched: type byte, count, then the first seq
        byte[] payload = ExportRecords.events(List.of(new RunEvent(7, 10, Lane.LIFECYCLE, "x", "t", null, null)));
        ByteBuffer.wrap(payload).putLong(5, -7);
        String seq = refusal(1, payload);
        assertTrue(seq.contains("seq must be >= 0: -7"), seq);
        assertTrue(seq.contains("Nothing was imported"), seq);
        String at = refusal(1, ExportRecords.events(List.of(new RunEvent(3, -10, Lane.LIFECYCLE, "x", "t", null,
                null))));
        assertTrue(at.contains("event at_ns = -10"), at);
        String nan = refusal(1, ExportRecords.events(List.of(new RunEvent(3, 10, Lane.STATS, "x", "t", Double.NaN,
                null))));
        assertTrue(nan.contains("not a finite number"), nan);
    }

    @Test
    void anUntouchedExportStillImports() {
        try (Archive target = Archive.open(dir.resolve("ok.db"))) {
            ImportReport report = new RunImporter(target).importFile(exportFile);
            assertEquals(20, report.events());
            assertEquals(1, report.snapshots());
        }
    }

    @Test
    void anExportNeverWritesThroughASymlinkPlantedAtItsTemporaryName() throws Exception {
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "precious");
        Path target = dir.resolve("shared.ffx");
        Path planted = dir.resolve("shared.ffx.partial");
        Files.createSymbolicLink(planted, victim);
        try (Archive source = Archive.open(dir.resolve("source.db"))) {
            long run = source.listRuns().getFirst().id();
            RunExporter.Summary summary = new RunExporter(source).export(run, target);
            assertEquals(20, summary.events());
        }
        assertEquals("precious", Files.readString(victim), "the planted link's target is untouched");
        assertTrue(Files.isSymbolicLink(planted), "someone else's link is left alone");
        assertFalse(Files.isSymbolicLink(target));
        try (Archive check = Archive.open(dir.resolve("check.db"))) {
            assertEquals(20, new RunImporter(check).importFile(target).events());
        }
        try (var leftovers = Files.list(dir)) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().matches("shared\\.ffx\\..+\\.partial")),
                    "no temporary file is left behind");
        }
    }
}
