package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The archive commands (issue 7) as a user drives them: what they print, and their exit codes. */
class ArchiveCommandsTest {
    @TempDir
    Path dir;
    Path db;
    StringWriter out;
    StringWriter err;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"),
                dir.resolve("cache"));
        CommandLine commandLine = CommandLines.create(dirs);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] withDb = Arrays.copyOf(args, args.length + 2);
        withDb[args.length] = "--db";
        withDb[args.length + 1] = db.toString();
        return commandLine.execute(withDb);
    }

    private static String report(long queued) {
        return "{\"schema\":\"single\",\"maps\":[{\"name\":\"scx_qmap.bss\",\"map_type\":2,\"value_size\":8,"
                + "\"max_entries\":1,\"value\":{\"kind\":\"struct\",\"members\":[{\"name\":\"nr_queued\","
                + "\"value\":{\"kind\":\"uint\",\"bits\":64,\"value\":" + queued + "}}]}}]}";
    }

    @BeforeEach
    void twoRuns() {
        db = dir.resolve("archive.db");
        try (Archive archive = Archive.open(db)) {
            long a = archive.createRun(new RunConfig("scx_qmap", List.of("-s", "5000"), "mixed", 2, 512, "kit", 1,
                    List.of()), Instant.parse("2026-11-01T10:00:00Z"), Optional.of("7.2.13"));
            try (EventIngest ingest = archive.startIngest(a)) {
                for (int i = 0; i < 5000; i++) {
                    ingest.append(RunEvent.of(i, i * 1000L, Lane.CONSOLE, "line", "boot line " + i));
                }
                ingest.append(new SnapshotRecord("periodic_000", SnapshotKind.PERIODIC, 10, Optional.of(1), false,
                        Optional.empty(), report(3)));
            }
            archive.finishRun(a, Verdict.PASSED, null, Instant.parse("2026-11-01T10:00:20Z"));
            long b = archive.createRun(new RunConfig("scx_simple", List.of(), "mixed", 4, 512, "kit", 1, List.of()),
                    Instant.parse("2026-11-02T10:00:00Z"), Optional.of("7.2.13"));
            try (EventIngest ingest = archive.startIngest(b)) {
                ingest.append(RunEvent.of(0, 5, Lane.SCHEDULER, "stderr", "runnable task stall detected"));
                ingest.append(new SnapshotRecord("error", SnapshotKind.ERROR, 10, Optional.empty(), false,
                        Optional.empty(), report(40)));
            }
            archive.finishRun(b, Verdict.SCHEDULER_FAILED, "watchdog stall", Instant.parse("2026-11-02T10:00:05Z"));
        }
    }

    @Test
    void listFiltersShowAndCompare() {
        assertEquals(0, run("runs", "list", "--verdict", "scheduler_failed"));
        assertTrue(out.toString().contains("scx_simple") && !out.toString().contains("scx_qmap"), out.toString());
        assertEquals(0, run("runs", "list", "--text", "task stall", "--since", "2026-11-01"));
        assertTrue(out.toString().contains("scx_simple"), out.toString());
        assertEquals(0, run("runs", "list", "--scheduler", "nothing-like-this"));
        assertTrue(out.toString().contains("No runs in"), out.toString());
        assertEquals(64, run("runs", "list", "--verdict", "great"));
        assertTrue(err.toString().contains("Unknown verdict 'great'"), err.toString());

        assertEquals(0, run("runs", "show", "1"));
        assertTrue(out.toString().contains("periodic_000"), out.toString());
        assertTrue(out.toString().contains("events      5000"), out.toString());

        assertEquals(0, run("runs", "compare", "1", "2"));
        String text = out.toString();
        assertTrue(text.contains("Verdicts differ."), text);
        assertTrue(text.contains("vcpus"), text);
        assertTrue(text.contains("nr_queued") && text.contains("+37"), text);
    }

    @Test
    void exportImportDeleteAndDamagedFiles() throws Exception {
        Path file = dir.resolve("run1.ffx");
        assertEquals(0, run("runs", "export", "1", file.toString()));
        assertTrue(out.toString().startsWith("Exported run 1 (5000 events, 1 snapshots)"), out.toString());

        assertEquals(0, run("runs", "import", file.toString()));
        assertTrue(out.toString().startsWith("Imported run 3 with 5000 events and 1 snapshots."), out.toString());

        byte[] bytes = Files.readAllBytes(file);
        Path flipped = dir.resolve("flipped.ffx");
        byte[] f = bytes.clone();
        f[f.length / 2] ^= 1;
        Files.write(flipped, f);
        assertEquals(2, run("runs", "import", flipped.toString()));
        assertTrue(err.toString().contains("is damaged at byte") && err.toString().contains("Nothing was imported"),
                err.toString());
        assertFalse(err.toString().contains("Exception"), "no stack trace: " + err);

        Path cut = dir.resolve("cut.ffx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
        assertEquals(0, run("runs", "import", cut.toString()));
        assertTrue(out.toString().startsWith("Recovered a cut-off export"), out.toString());
        // the recovered run (4) stays marked as incomplete in the list and says why in show
        assertEquals(0, run("runs", "list"));
        assertTrue(out.toString().lines().anyMatch(l -> l.strip().startsWith("4 ") && l.contains(" *")), out.toString());
        assertTrue(out.toString().contains("* the record is incomplete"), out.toString());
        assertEquals(0, run("runs", "show", "4"));
        assertTrue(out.toString().contains("note        Imported from a cut-off export (cut.ffx"), out.toString());
        assertEquals(2, run("runs", "import", "--strict", cut.toString()));
        assertTrue(err.toString().contains("strict"), err.toString());

        assertEquals(0, run("runs", "delete", "3"));
        assertEquals("Deleted run 3.", out.toString().strip());
        assertEquals(2, run("runs", "delete", "3"));
        assertTrue(err.toString().contains("no run 3"), err.toString());
    }

    @Test
    void deleteRemovesTheRunsForkableSnapshots() throws Exception {
        Path forks = dir.resolve("archive.db.forks");
        Path first = Files.createDirectories(forks.resolve("run-1/periodic_000"));
        Files.writeString(first.resolve("devices.state"), "state");
        Path second = Files.createDirectories(forks.resolve("run-2/error"));
        Files.writeString(second.resolve("ram.delta"), "delta");

        assertEquals(0, run("runs", "delete", "1"));
        assertEquals("Deleted run 1.", out.toString().strip());
        assertFalse(Files.exists(forks.resolve("run-1")), "run 1's forkable snapshots are gone");
        assertTrue(Files.exists(second.resolve("ram.delta")), "run 2's are kept");
        // a run that never was forkable has no folder: deleting it is no error
        Files.delete(second.resolve("ram.delta"));
        Files.delete(second);
        Files.delete(forks.resolve("run-2"));
        assertEquals(0, run("runs", "delete", "2"));
        assertEquals("Deleted run 2.", out.toString().strip());
    }

    @Test
    void aForkThatWouldChangeTheSchedulersArgumentsIsRefusedBeforeAnythingStarts() {
        assertEquals(64, run("fork", "1", "periodic_000", "--sched-args", "-e 10"));
        assertTrue(err.toString().contains("A fork cannot change the scheduler's arguments: scx_qmap is already running"
                + " at the fork instant (started by run 1 with '-s 5000')"), err.toString());
        assertTrue(err.toString().contains("'-e 10' cannot be applied live"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        // the parent's own arguments are no change: the fork goes on to its next check (run 1 kept no VM state)
        assertEquals(64, run("fork", "1", "periodic_000", "--sched-args", " -s  5000 "));
        assertTrue(err.toString().contains("Snapshot periodic_000 of run 1 is not forkable"), err.toString());
    }

    @Test
    void aForksNewScenarioThatDoesNotFitTheParentsGuestIsRefusedBeforeAnythingStarts() throws Exception {
        Path wide = Files.writeString(dir.resolve("wide.json"), """
                {"schema": 2, "name": "wide", "steps": [{"name": "one", "duration_ms": 1000, "workloads": [
                  {"kind": "cpu", "workers": 2, "cpus": "0-3"}]}]}
                """);
        assertEquals(64, run("fork", "1", "periodic_000", "--scenario", wide.toString()));
        assertTrue(err.toString().contains("The scenario " + wide + " places work on CPU 3, but run 1's guest has 2"
                + " vCPUs (0 to 1) and a fork keeps its parent's machine"), err.toString());

        Path tool = Files.writeString(dir.resolve("tool.json"), """
                {"schema": 2, "name": "tool", "steps": [{"name": "one", "duration_ms": 1000, "workloads": [
                  {"kind": "exec", "workers": 1, "path": "tool"}]}]}
                """);
        assertEquals(64, run("fork", "1", "periodic_000", "--scenario", tool.toString()));
        assertTrue(err.toString().contains("runs 'tool' (an exec workload's \"path\"), but run 1 shipped no file of"
                + " that name with --include (none)"), err.toString());

        assertEquals(64, run("fork", "1", "periodic_000", "--scenario", "no-such-scenario"));
        assertTrue(err.toString().contains("no-such-scenario"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        // a scenario that fits goes on to the next check (run 1 kept no VM state)
        assertEquals(64, run("fork", "1", "periodic_000", "--scenario", "cpu"));
        assertTrue(err.toString().contains("Snapshot periodic_000 of run 1 is not forkable"), err.toString());
    }

    @Test
    void importKtstr() throws Exception {
        Path results = Files.createDirectories(dir.resolve("ktstr/7.2.13-abc"));
        Files.writeString(results.resolve("t-0000000000000001.ktstr.json"), """
                {"test_name":"t","topology":"1n1l4c1t","scheduler":"scx_lavd","passed":false,"skipped":false,
                 "stats":{},"monitor":null,"stimulus_events":[],"work_type":"SpinWait","active_flags":[],
                 "verifier_stats":[],"kvm_stats":null,"sysctls":[],"kargs":[],"kernel_version":"7.2.13",
                 "timestamp":"2026-11-20T09:15:00Z","run_id":"r-1","metrics":[]}""");
        Files.writeString(results.resolve("t-0000000000000001.failure-dump.json"), "{\"schema\":\"single\",\"maps\":[]}");
        assertEquals(0, run("import-ktstr", dir.resolve("ktstr").toString()));
        assertTrue(out.toString().contains("Imported 1 run(s)"), out.toString());
        assertEquals(0, run("runs", "list", "--scheduler", "lavd"));
        assertTrue(out.toString().contains("scheduler_failed"), out.toString());
    }

    @Test
    void forkRefusesAMissingRunASnapshotItDoesNotHaveAndOneWhoseStateWasNotKept() {
        assertEquals(64, run("fork", "99", "periodic_000"));
        assertTrue(err.toString().contains("There is no run 99"), err.toString());
        assertEquals(64, run("fork", "1", "periodic_009"));
        assertTrue(err.toString().contains("Run 1 has no snapshot 'periodic_009'"), err.toString());
        assertEquals(64, run("fork", "1", "periodic_000"));
        assertTrue(err.toString().contains("Snapshot periodic_000 of run 1 is not forkable"), err.toString());
        assertTrue(err.toString().contains("--forkable"), err.toString());
    }

    @Test
    void aForkedRunShowsItsParentInRunsShowAndRunsList() {
        long fork;
        try (Archive archive = Archive.open(db)) {
            fork = archive.createRun(new RunConfig("scx_qmap", List.of("-s", "5000"), "mixed", 2, 512, "kit", 0,
                    List.of("total_forks")), Instant.parse("2026-11-03T10:00:00Z"), Optional.of("7.2.13"));
            archive.recordFork(new dev.freezeframe.persistence.ForkLink(fork, 1, "periodic_000", 2_500_000_000L));
        }
        assertEquals(0, run("runs", "show", Long.toString(fork)));
        assertTrue(out.toString().contains("forked from run 1 at snapshot periodic_000 (2.50 s)"), out.toString());
        assertEquals(0, run("runs", "list"));
        assertTrue(out.toString().contains("run " + fork + " is a fork of run 1 at snapshot periodic_000"),
                out.toString());
    }
}
