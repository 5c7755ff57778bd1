package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.cli.CommandLines;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Headless runs of the real guest kit under QEMU, end to end: verdicts, reasons and what the archive holds afterwards.
 * Needs the kit (`freezeframe kit build`; ./run-tests builds it). Without it the tests are skipped on a developer's
 * machine and fail under CI.
 */
class HeadlessRunIT {
    private static final AppDirs USER_DIRS = GuestKitForTests.USER_DIRS;
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    private static RunConfig config(String scheduler, List<String> args, String scenario) {
        return new RunConfig(scheduler, args, scenario, 2, 1024, "kit", 0, List.of());
    }

    private RunResult run(RunConfig config, Archive archive, RunFold.Limits limits,
                          java.util.function.Consumer<RunEvent> onEvent) {
        return new RunLauncher(new QemuBackend(), limits).run(config, kit, ScenarioLoader.load(config.scenario()),
                archive, onEvent);
    }

    private static List<RunEvent> events(Archive archive, long runId, Lane lane) {
        return archive.runs().events(runId, lane, 0, Long.MAX_VALUE, 100_000);
    }

    @Test
    void scxSimpleUnderCpuAndPingPongPassesAndIsArchivedFromTheCommandLine() throws Exception {
        Path db = dir.resolve("archive.db");
        Path junit = dir.resolve("report.xml");
        StringWriter out = new StringWriter();
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), USER_DIRS.cacheDir()));
        cli.setOut(new PrintWriter(out, true));
        StringWriter progress = new StringWriter();
        cli.setErr(new PrintWriter(progress, true));

        int exit = cli.execute("run", "--scheduler", "scx_simple", "--scenario", "cpu-pingpong", "--vcpus", "2",
                "--memory", "1G", "--db", db.toString(), "--json", "--junit", junit.toString());

        JsonNode result = new ObjectMapper().readTree(out.toString().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(0, exit, out.toString());
        assertEquals("passed", result.get("verdict").asText());
        for (String key : List.of("run_id", "verdict", "reason", "events", "snapshots", "duration_ms")) {
            assertTrue(result.has(key), "JSON has " + key + ": " + result);
        }
        assertTrue(Files.readString(junit).contains("<testcase"), "a JUnit report is written");
        assertTrue(progress.toString().contains("\nopen in the workbench: freezeframe open "
                + result.get("run_id").asLong() + "\n"), "the last progress line opens the run: " + progress);

        try (Archive archive = Archive.open(db)) {
            long runId = result.get("run_id").asLong();
            assertEquals(Optional.of(Verdict.PASSED), archive.listRuns().getFirst().verdict());
            assertEquals(List.of("cpu", "pingpong"), events(archive, runId, Lane.STEPS).stream()
                    .map(RunEvent::text).toList());
            assertTrue(events(archive, runId, Lane.LIFECYCLE).stream()
                    .anyMatch(e -> e.kind().equals("scheduler_enabled") && e.text().equals("simple")),
                    "the scheduler's attach is archived with the ops name");
            List<RunEvent> console = events(archive, runId, Lane.CONSOLE);
            assertTrue(console.stream().anyMatch(e -> e.text().contains("Linux version")), "console lines archived");
            assertEquals(result.get("events").asLong(), archive.runs().detail(runId).orElseThrow().eventCount());
        }
    }

    @Test
    void scxQmapWithAnInjectedErrorIsASchedulerFailureCarryingTheKernelsReason() {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(config("scx_qmap", List.of("-e", "50"), "cpu-pingpong"), archive,
                    RunFold.Limits.DEFAULT, e -> { });
            assertEquals(Verdict.SCHEDULER_FAILED, result.outcome().decision().verdict());
            String reason = result.outcome().decision().reason();
            assertTrue(reason.startsWith("scx_bpf_error: ") && reason.contains("test triggering error"), reason);
            assertTrue(events(archive, result.runId(), Lane.SCHEDULER).stream()
                    .anyMatch(e -> e.kind().equals("error") && e.value() == 1025.0), "exit kind SCX_EXIT_ERROR_BPF");
            // the host read scx_root itself (slot 0) and its reading decided: kind, reason and message from exit_info
            List<RunEvent> host = events(archive, result.runId(), Lane.SCHEDULER).stream()
                    .filter(e -> e.kind().equals("host_exit")).toList();
            assertFalse(host.isEmpty(), "the host read the exit kind");
            assertTrue(host.stream().allMatch(e -> e.value() == 1025.0), host.toString());
            RunEvent read = host.getLast();
            assertTrue(read.text().contains("(SCX_EXIT_ERROR_BPF): ") && read.text().endsWith(": " + reason),
                    "the verdict's reason is the host's reading of exit_info: " + read.text() + " vs " + reason);
            assertTrue(events(archive, result.runId(), Lane.HARNESS).stream()
                    .noneMatch(e -> e.kind().equals("verdict_disagreement")), "host and agent agree on a real run");
        }
    }

    /**
     * A real guest sends its whole /proc/kallsyms (tens of thousands of symbols) against a cap of 1 000, as a guest
     * flooding the host with symbols would against the real cap: the first 1 000 are kept, the rest dropped with one
     * event, and the run is recorded to its end.
     */
    @Test
    void aGuestSendingMoreSymbolsThanTheCapKeepsTheFirstAndSaysSo() {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunFold.Limits capped = new RunFold.Limits(RunFold.Limits.DEFAULT.watchdog(),
                    RunFold.Limits.DEFAULT.exitGrace(), 1_000);
            RunResult result = run(config("scx_simple", List.of(), "cpu"), archive, capped, e -> { });
            List<RunEvent> capNotes = events(archive, result.runId(), Lane.HARNESS).stream()
                    .filter(e -> e.kind().equals("symbols_capped")).toList();
            assertEquals(1, capNotes.size(), "one event when the cap is hit");
            assertTrue(capNotes.getFirst().text().contains("more than 1000 kernel symbols"), capNotes.toString());
            assertEquals(Verdict.PASSED, result.outcome().decision().verdict(), result.outcome().decision().reason());
            assertEquals(result.outcome().events(), archive.runs().detail(result.runId()).orElseThrow().eventCount(),
                    "every event of the run archived");
        }
    }

    /**
     * A scheduler binary (root in the guest) scribbles over the data ring and breaks its indices: the host stays safe,
     * the verdict's reason says the channel went corrupt and silent, and `runs show` shows the counts.
     */
    @Test
    void aGuestThatBreaksItsDataChannelIsNamedInTheVerdictWithTheCounts() throws Exception {
        dev.freezeframe.app.Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is not installed",
                "install gcc and libc6-dev (static libc)");
        Path source = dir.resolve("channel_scribbler.c");
        try (var in = HeadlessRunIT.class.getResourceAsStream("channel_scribbler.c")) {
            Files.write(source, in.readAllBytes());
        }
        Path binary = dir.resolve("channel_scribbler");
        Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        String gccOut = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && gcc.exitValue() == 0, gccOut);

        Path db = dir.resolve("archive.db");
        long runId;
        try (Archive archive = Archive.open(db)) {
            RunResult result = run(config(binary.toString(), List.of(), "cpu"), archive, RunFold.Limits.DEFAULT,
                    e -> { });
            runId = result.runId();
            String reason = result.outcome().decision().reason();
            assertEquals(Verdict.ERROR, result.outcome().decision().verdict(), reason);
            assertTrue(reason.contains("the guest's data channel went corrupt and then silent (")
                    && reason.contains("garbage bytes") && reason.contains("the channel stopped: The guest corrupted"),
                    reason);
            assertTrue(events(archive, result.runId(), Lane.HARNESS).stream()
                    .anyMatch(e -> e.kind().equals("channel_corrupt")), "the corruption is an event when first seen");
        }
        StringWriter shown = new StringWriter();
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), USER_DIRS.cacheDir()));
        cli.setOut(new PrintWriter(shown, true));
        assertEquals(0, cli.execute("runs", "show", Long.toString(runId), "--db", db.toString()), shown.toString());
        assertTrue(shown.toString().contains("went corrupt and then silent") && shown.toString().contains("garbage bytes"),
                shown.toString());
    }

    /** Ctrl-C on a real `freezeframe run` process: the run stops, is decided inconclusive and archived as such. */
    @Test
    void ctrlCOnTheCommandLineEndsTheRunInconclusiveStoppedByTheUser() throws Exception {
        Path db = dir.resolve("archive.db");
        Path log = dir.resolve("run.out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.freezeframe.app.Main", "run", "--scheduler", "scx_simple", "--scenario", "cpu", "--db",
                db.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("XDG_CACHE_HOME", USER_DIRS.cacheDir().getParent().toString());
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        Process run = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (!Files.readString(log).contains("scheduler_enabled") && !Files.readString(log).contains(" step ")) {
                assertTrue(run.isAlive(), "the run ended before it could be stopped: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "the guest did not get going within 180 s: "
                        + Files.readString(log));
                Thread.sleep(100);
            }
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start();
            assertTrue(kill.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT");
            assertTrue(run.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the run did not end after Ctrl-C");
        } finally {
            run.destroyForcibly();
        }
        String out = Files.readString(log);
        assertTrue(out.contains("verdict: inconclusive — stopped by the user"), out);
        try (Archive archive = Archive.open(db)) {
            var row = archive.listRuns().getFirst();
            assertEquals(Optional.of(Verdict.INCONCLUSIVE), row.verdict(), out);
            assertEquals(Optional.of("stopped by the user"), row.reason());
        }
    }

    @Test
    void aGuestKernelPanicIsAnErrorAndThePanicLinesAreKept() {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(config("scx_simple", List.of(), "panic"), archive, RunFold.Limits.DEFAULT,
                    e -> { });
            assertEquals(Verdict.ERROR, result.outcome().decision().verdict());
            assertTrue(result.outcome().decision().reason().startsWith("guest kernel panicked"),
                    result.outcome().decision().reason());
            List<RunEvent> console = events(archive, result.runId(), Lane.CONSOLE);
            assertTrue(console.stream().anyMatch(e -> e.text().contains("Kernel panic - not syncing")));
            assertTrue(events(archive, result.runId(), Lane.STEPS).stream().anyMatch(e -> e.text().equals("crash")),
                    "events before the fault are archived");
        }
    }

    @Test
    void qemuKilledMidRunIsAnErrorWithItsReasonAndEverythingBeforeIsKept() {
        AtomicBoolean killed = new AtomicBoolean();
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(config("scx_simple", List.of(), "cpu"), archive, RunFold.Limits.DEFAULT, e -> {
                if (e.kind().equals("step") && !killed.getAndSet(true)) {
                    // someone else kills QEMU (the OOM killer, a user): SIGKILL from outside the backend
                    ProcessHandle.current().descendants()
                            .filter(p -> p.info().command().orElse("").contains("qemu-system"))
                            .forEach(ProcessHandle::destroyForcibly);
                }
            });
            assertTrue(killed.get());
            assertEquals(Verdict.ERROR, result.outcome().decision().verdict());
            String reason = result.outcome().decision().reason();
            assertTrue(reason.startsWith("the VM ended before the run finished") && reason.contains("signal 9"), reason);
            assertFalse(events(archive, result.runId(), Lane.STEPS).isEmpty(), "the step before the kill is archived");
            assertTrue(events(archive, result.runId(), Lane.LIFECYCLE).stream()
                    .anyMatch(e -> e.kind().equals("scheduler_enabled")));
        }
    }

    @Test
    void aGuestThatStopsTalkingIsEndedAsHungByTheWatchdog() throws Exception {
        Path scenario = Files.writeString(dir.resolve("hang.json"), """
                {"schema": 1, "name": "hang", "steps": [
                  {"name": "cpu", "duration_ms": 500, "workload": {"kind": "cpu", "workers": 1}},
                  {"name": "silence", "duration_ms": 0, "actions": [{"fault": "agent_hang"}]}]}""");
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            // 20 s, not less: the watchdog also covers the boot, whose console can stay quiet for seconds on a loaded
            // machine (8 s ended a run here before its second step once, with the load average above 20)
            RunResult result = run(config("scx_simple", List.of(), scenario.toString()), archive,
                    new RunFold.Limits(Duration.ofSeconds(20), Duration.ofSeconds(15)), e -> { });
            String reason = result.outcome().decision().reason();
            assertEquals(Verdict.ERROR, result.outcome().decision().verdict(), reason);
            assertTrue(reason.startsWith("hung: "), reason);
            assertTrue(events(archive, result.runId(), Lane.STEPS).stream().anyMatch(e -> e.text().equals("silence")),
                    "the guest fell silent at its 'silence' step, not before: " + reason);
        }
    }
}
