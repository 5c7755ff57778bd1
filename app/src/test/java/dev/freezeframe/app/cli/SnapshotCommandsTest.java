package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code snapshots} and {@code snapshot} over an archive holding reports in the capture engine's schema. */
class SnapshotCommandsTest {
    @TempDir
    Path dir;

    private Path db;
    private long runId;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private static String report(long enqueued) {
        return report(Long.toString(enqueued));
    }

    private static String report(String enqueued) {
        return """
                {"schema": "freezeframe-snapshot/1", "tag": "t", "kind": "requested", "elapsed_ms": 1, "step_index": 1,
                 "freeze": {"time_to_stop_us": 500, "read_us": 9000},
                 "vcpus": [{"vcpu": 0, "rip": "0xffffffff81001234", "rip_symbol": "do_idle+0x34/0x200"}],
                 "sched_ext": {"attached": true, "opsName": "qmap", "exitKindName": "SCX_EXIT_NONE", "exitInfo": null},
                 "maps": [{"name": "arena", "type": "BPF_MAP_TYPE_ARENA", "valueType": "datasec .addr_space.1",
                           "entries": [{"value": {"kind": "struct", "type": "datasec", "fields": [
                             {"name": "qa", "offset": 0, "value": {"kind": "struct", "type": "struct qmap_arena",
                              "fields": [{"name": "nr_enqueued", "offset": 0,
                                          "value": {"kind": "int", "type": "u64", "signed": false, "bits": 64,
                                                    "value": %s}}]}}]}}],
                           "truncated": false, "unavailable": null}],
                 "stats": {"lines": ["stats  : enq=5 dsp=5"]}, "trigger": null, "unavailable": {}}
                """.formatted(enqueued);
    }

    @BeforeEach
    void archiveWithSnapshots() {
        db = dir.resolve("archive.db");
        try (Archive archive = Archive.open(db)) {
            runId = archive.createRun(new RunConfig("scx_qmap", List.of(), "cpu", 2, 1024, "kit", 0, List.of()),
                    Instant.now(), Optional.of("7.3.4"));
            try (EventIngest ingest = archive.startIngest(runId)) {
                ingest.append(new SnapshotRecord("watch:total_forks", SnapshotKind.WATCH, 1_000_000_000L,
                        Optional.of(1), false, Optional.empty(), report(10)));
                ingest.append(new SnapshotRecord("watch:total_forks", SnapshotKind.WATCH, 2_000_000_000L,
                        Optional.of(1), false, Optional.empty(), report(20)));
                ingest.append(new SnapshotRecord("u64max", SnapshotKind.REQUESTED, 2_500_000_000L, Optional.of(1),
                        false, Optional.empty(), report("18446744073709551615")));
                ingest.append(new SnapshotRecord("u64odd", SnapshotKind.REQUESTED, 2_600_000_000L, Optional.of(1),
                        false, Optional.empty(), report("9007199254740993")));
                ingest.append(SnapshotRecord.placeholder("mid", SnapshotKind.REQUESTED, 3_000_000_000L,
                        Optional.of(2), "the guest did not stop in time"));
                ingest.flush();
            }
        }
    }

    private int run(String... args) {
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("d"), dir.resolve("c"), dir.resolve("s"),
                dir.resolve("k")));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db";
        all[args.length + 1] = db.toString();
        return cli.execute(all);
    }

    @Test
    void snapshotsListsEveryCaptureIncludingPlaceholdersWithTheirReason() {
        assertEquals(0, run("snapshots", Long.toString(runId)));
        String text = out.toString();
        assertEquals(2, text.lines().filter(l -> l.startsWith("watch:total_forks")).count(), text);
        assertTrue(text.contains("unavailable: the guest did not stop in time"), text);
    }

    @Test
    void snapshotShowsStateVcpusMapsAndStats() {
        assertEquals(0, run("snapshot", Long.toString(runId), "watch:total_forks"));
        String text = out.toString();
        assertTrue(text.contains("ops qmap"), text);
        assertTrue(text.contains("do_idle+0x34/0x200"), text);
        assertTrue(text.contains("arena"), text);
        assertTrue(text.contains("stats  : enq=5 dsp=5"), text);
    }

    @Test
    void aMapsFieldsAreListedByPathAndNthPicksAnEarlierHit() {
        assertEquals(0, run("snapshot", Long.toString(runId), "watch:total_forks", "--map", "arena"));
        assertTrue(out.toString().matches("(?s).*qa\\.nr_enqueued\\s+20\\b.*"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("snapshot", Long.toString(runId), "watch:total_forks", "--map", "arena", "--nth", "1"));
        assertTrue(out.toString().matches("(?s).*qa\\.nr_enqueued\\s+10\\b.*"), out.toString());
    }

    @Test
    void unknownTagsMapsAndRunsAreSentencesNotStackTraces() {
        assertEquals(2, run("snapshot", Long.toString(runId), "nope"));
        assertTrue(err.toString().contains("has no snapshot tagged 'nope'. Its tags: watch:total_forks, u64max, u64odd, mid."),
                err.toString());
        assertEquals(2, run("snapshot", Long.toString(runId), "watch:total_forks", "--map", "nope"));
        assertTrue(err.toString().contains("has no map named 'nope'. Its maps: arena."), err.toString());
        assertEquals(2, run("snapshots", "999"));
        assertTrue(err.toString().contains("There is no run 999"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void u64ValuesAbove2To53ArePrintedExactly() {
        assertEquals(0, run("snapshot", Long.toString(runId), "u64max", "--map", "arena"));
        assertTrue(out.toString().matches("(?s).*qa\\.nr_enqueued\\s+18446744073709551615\\b.*"), out.toString());
        assertFalse(out.toString().contains("E19"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("snapshot", Long.toString(runId), "u64odd", "--map", "arena"));
        assertTrue(out.toString().matches("(?s).*qa\\.nr_enqueued\\s+9007199254740993\\b.*"), out.toString());
    }
}
