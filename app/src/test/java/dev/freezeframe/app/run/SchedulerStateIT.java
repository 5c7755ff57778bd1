package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.findings.Finding;
import dev.freezeframe.coordinator.findings.Findings;
import dev.freezeframe.coordinator.findings.SnapshotView;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernelReader;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunCaptures;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's sched_ext state in snapshots of scx_qmap on the real kit (with its callbacks' run counts and the CPUs'
 * time), the stall onset before a watchdog kill, an error during enable caught by slot 0, and the findings' headline
 * of an error and a stall. Needs the kit (skipped without one, failed under CI).
 */
class SchedulerStateIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    private RunResult run(Archive archive, List<String> args, String scenario, int snapshots) {
        return run(archive, args, scenario, snapshots, new ArrayList<>());
    }

    private RunResult run(Archive archive, List<String> args, String scenario, int snapshots, List<RunEvent> events) {
        RunConfig config = new RunConfig("scx_qmap", args, scenario, 2, 1024, "kit", snapshots, List.of());
        return new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT).run(config, kit,
                ScenarioLoader.load(scenario), archive, e -> {
                    synchronized (events) {
                        events.add(e);
                    }
                });
    }

    private static List<SnapshotView> views(Archive archive, long runId) throws Exception {
        List<SnapshotView> out = new ArrayList<>();
        for (SnapshotInfo s : archive.runs().snapshots(runId)) {
            out.add(new SnapshotView(s.tag(), s.kind().wireName(), s.atNanos() / 1_000_000, s.placeholder() ? null
                    : JSON.readTree(archive.runs().snapshotReport(s.id())), s.placeholderReason().orElse(null)));
        }
        return out;
    }

    @Test
    void snapshotsHoldRunQueuesDsqsRunnableTasksTaskStorageAndCounters() throws Exception {
        Path scenario = Files.writeString(dir.resolve("cpu64.json"), """
                {"schema": 1, "name": "cpu64", "description": "64 CPU-bound workers",
                 "steps": [{"name": "cpu64", "duration_ms": 6000, "workload": {"kind": "cpu", "workers": 64}}]}
                """);
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(archive, List.of(), scenario.toString(), 3);
            assertEquals(Verdict.PASSED, result.outcome().decision().verdict(), result.outcome().decision().reason());
            List<SnapshotView> snaps = views(archive, result.runId()).stream()
                    .filter(s -> s.kind().equals("periodic")).toList();
            assertEquals(3, snaps.size());
            int withRunnable = 0;
            for (SnapshotView s : snaps) {
                JsonNode r = s.report();
                assertTrue(r.path("unavailable").isEmpty() || !r.path("unavailable").has("scx_cpus"),
                        r.path("unavailable").toString());
                JsonNode cpus = r.path("scx_cpus").path("items");
                assertEquals(2, cpus.size(), s.tag());
                for (JsonNode c : cpus) assertTrue(c.path("current").path("comm").isTextual(), c.toString());
                Set<String> dsqs = new HashSet<>();
                for (JsonNode d : r.path("scx_dsqs").path("items")) {
                    dsqs.add(d.path("name").asText() + (d.path("cpu").isNumber() ? d.path("cpu").asInt() : ""));
                    assertTrue(d.path("queued").size() <= d.path("nr").asLong() + 1, "listed ≤ nr: " + d);
                }
                assertTrue(dsqs.containsAll(List.of("global", "local0", "local1")), dsqs.toString());
                assertTrue(dsqs.stream().anyMatch(n -> n.startsWith("user ")), "scx_qmap's user DSQs: " + dsqs);
                JsonNode tasks = r.path("scx_tasks").path("items");
                if (tasks.size() > 2) withRunnable++;
                for (JsonNode t : tasks) {
                    assertTrue(t.path("pid").asLong() > 0 && t.path("comm").isTextual(), t.toString());
                    assertTrue(t.has("sliceNs") && t.has("dsqVtime"), t.toString());
                }
                JsonNode storage = null;
                for (JsonNode m : r.path("maps")) if (m.path("name").asText().equals("task_ctx_stor")) storage = m;
                assertTrue(storage != null && storage.path("unavailable").isNull(), String.valueOf(storage));
                assertTrue(storage.path("entries").size() >= 64, "an entry per worker: " + storage.path("entries")
                        .size());
                JsonNode first = storage.path("entries").get(0);
                assertTrue(first.path("key").toString().matches(".*\\d.*"), first.toString());
                assertTrue(first.path("value").toString().contains("taskc"), "typed value: " + first);
                assertTrue(r.path("scx_events").path("items").size() >= 10, r.path("scx_events").toString());
                assertTrue(r.path("scx_events").path("items").get(0).path("name").asText().startsWith("SCX_EV_"));
            }
            assertTrue(withRunnable >= 1, "64 workers on 2 CPUs leave runnable tasks waiting");
            long previousCpuTime = -1;
            for (SnapshotView s : snaps) {
                JsonNode progs = s.report().path("bpf_prog_stats");
                assertTrue(progs.path("unavailable").isNull(), progs.path("unavailable").toString());
                for (String callback : List.of("enqueue", "dispatch")) {
                    JsonNode p = null;
                    for (JsonNode item : progs.path("items")) if (item.path("callback").asText().equals(callback)) p = item;
                    assertTrue(p != null && p.path("runs").asLong() > 0 && p.path("nsPerRun").asLong() > 0,
                            callback + " ran and was timed: " + p);
                    assertTrue(p.path("structOps").asText().startsWith("sched_ext_ops"), p.toString()); // or _cid
                }
                long cpuTime = 0;
                JsonNode cpuTimes = s.report().path("cpu_time").path("items");
                assertEquals(2, cpuTimes.size(), s.report().path("cpu_time").toString());
                for (JsonNode c : cpuTimes) {
                    for (String part : List.of("user", "system", "idle", "irq", "softirq")) {
                        assertTrue(c.path("ns").path(part).asLong() >= 0, c.toString());
                        cpuTime += c.path("ns").path(part).asLong();
                    }
                }
                assertTrue(cpuTime > previousCpuTime, "CPU time grows from snapshot to snapshot: " + previousCpuTime
                        + " then " + cpuTime + " at " + s.tag());
                previousCpuTime = cpuTime;
            }
        }
    }

    /**
     * Tasks queued in one of scx_qmap's user DSQs: with {@code -b 8} its dispatch moves up to 8 tasks from its FIFOs
     * into SHARED_DSQ (user DSQ 0) at once and takes one of them to the local DSQ, so with 16 CPU workers on 2 vCPUs
     * the others wait there. A DSQ that a snapshot happens to catch empty is not a failure: snapshots are taken during
     * the workload until one shows a user DSQ with tasks (bounded in count and time), and that one must list them
     * consistently — as many as {@code nr} (or the cap, marked), each a real task whose pid and comm are those of the
     * same task in the runnable tasks, which names that DSQ as the one it sits in.
     */
    @Test
    void tasksQueuedInAUserDsqAreListedWithTheirCountPidAndComm() throws Exception {
        Path scenario = Files.writeString(dir.resolve("cpu16.json"), """
                {"schema": 1, "name": "cpu16", "description": "16 CPU-bound workers on 2 vCPUs",
                 "steps": [{"name": "cpu16", "duration_ms": 30000, "workload": {"kind": "cpu", "workers": 16}}]}
                """);
        RunConfig config = new RunConfig("scx_qmap", List.of("-b", "8"), scenario.toString(), 2, 1024, "kit", 0,
                List.of());
        RunLauncher launcher = new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT);
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                    () -> launcher.run(config, kit, ScenarioLoader.load(scenario.toString()), archive, e -> { }));
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!launcher.loop().map(l -> l.status().phase().atLeast(RunPhase.SCENARIO_RUNNING)).orElse(false)) {
                // no deadline: the message is only made once the run is done
                assertFalse(run.isDone(), () -> "the run ended before its workload: " + run.join().outcome());
                assertTrue(System.nanoTime() < deadline, "the workload did not start within 4 minutes");
                Thread.sleep(50);
            }
            RunCaptures captures = launcher.captures().orElseThrow();
            JsonNode found = null;
            JsonNode foundReport = null;
            List<String> seen = new ArrayList<>();
            long probeDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int i = 0; i < MAX_PROBES && found == null && System.nanoTime() < probeDeadline
                    && !launcher.loop().orElseThrow().status().phase().atLeast(RunPhase.SCENARIO_FINISHED); i++) {
                SnapshotRecord s = captures.captureNow("dsq_probe_" + i, SnapshotKind.REQUESTED);
                assertFalse(s.placeholder(), s.placeholderReason().orElse(""));
                JsonNode r = JSON.readTree(s.reportJson());
                List<String> users = new ArrayList<>();
                for (JsonNode d : r.path("scx_dsqs").path("items")) {
                    if (!d.path("name").asText().startsWith("user ")) continue;
                    users.add(d.path("name").asText() + " nr " + d.path("nr").asLong());
                    if (found == null && d.path("nr").asLong() > 0) {
                        found = d;
                        foundReport = r;
                    }
                }
                seen.add(s.tag() + ": " + users);
                Thread.sleep(200);
            }
            launcher.cancel("the test has what it needs");
            run.get(5, TimeUnit.MINUTES);
            assertTrue(found != null, "no snapshot caught tasks queued in a user DSQ: " + seen);

            long nr = found.path("nr").asLong();
            JsonNode queued = found.path("queued");
            int cap = SchedExtKernelReader.MAX_QUEUED_LISTED;
            assertTrue(found.path("unavailable").isNull(), found.toString());
            assertEquals(Math.min(nr, cap), queued.size(), "as many listed as queued, up to the cap: " + found);
            assertEquals(nr > cap, found.path("truncated").asBoolean(), "cut only past the cap: " + found);
            Map<Long, JsonNode> tasks = new HashMap<>();
            for (JsonNode t : foundReport.path("scx_tasks").path("items")) tasks.put(t.path("pid").asLong(), t);
            for (JsonNode q : queued) {
                long pid = q.path("pid").asLong();
                assertTrue(pid > 0 && !q.path("comm").asText().isEmpty(), q.toString());
                JsonNode t = tasks.get(pid);
                assertTrue(t != null, "queued task " + q + " is among the runnable tasks");
                assertEquals(q.path("comm").asText(), t.path("comm").asText(), "same task: " + q + " / " + t);
                assertEquals(found.path("name").asText(), t.path("dsq").asText(), "it sits in that DSQ: " + t);
                assertFalse(t.path("running").asBoolean(), "a queued task is not running: " + t);
            }
            System.out.println("user DSQ with queued tasks: " + found + " after " + seen);
        }
    }

    private static final int MAX_PROBES = 40;

    @Test
    void aStallIsCapturedAtItsOnsetAndTheHeadlineNamesTheTask() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(archive, List.of("-t", "100"), "mixed", 0);
            assertEquals(Verdict.SCHEDULER_FAILED, result.outcome().decision().verdict());
            List<SnapshotView> snaps = views(archive, result.runId());
            SnapshotView onset = snaps.stream().filter(s -> s.tag().equals("stall_onset")).findFirst().orElseThrow(
                    () -> new AssertionError("no stall_onset snapshot: " + snaps.stream().map(SnapshotView::tag)
                            .toList()));
            SnapshotView error = snaps.stream().filter(s -> s.kind().equals(SnapshotKind.ERROR.wireName()))
                    .findFirst().orElseThrow();
            assertTrue(onset.atMs() < error.atMs(), "the onset comes before the error");
            List<Finding> findings = Findings.of(snaps);
            String headline = Findings.headline(findings).orElseThrow();
            String message = error.report().path("sched_ext").path("exitInfo").path("message").asText();
            String task = message.substring(0, message.indexOf(']') + 1); // "comm[pid]"
            assertTrue(headline.startsWith(task + " stalled: runnable for "), headline + " / " + message);
        }
    }

    @Test
    void anErrorsHeadlineIsItsScxBpfErrorTextWithTheSourceLineAndTheDumpIsKept() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(archive, List.of("-e", "50"), "cpu-pingpong", 0);
            assertEquals(Verdict.SCHEDULER_FAILED, result.outcome().decision().verdict());
            List<SnapshotView> snaps = views(archive, result.runId());
            String headline = Findings.headline(Findings.of(snaps)).orElseThrow();
            assertTrue(headline.matches("scx_bpf_error at scx_qmap\\.bpf\\.c:\\d+: test triggering error"), headline);
            String dump = Findings.dump(snaps);
            assertTrue(dump != null && dump.contains("test triggering error") && dump.contains("Backtrace"), dump);
            assertFalse(dump.isBlank());
        }
    }

    @Test
    void anErrorAtTheFirstEnqueueDuringEnableIsCapturedAsTheErrorSnapshot() throws Exception {
        List<RunEvent> events = new ArrayList<>();
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            // -e 1: scx_bpf_error() on the first enqueue, which runs while sched_ext switches the tasks over
            RunResult result = run(archive, List.of("-e", "1"), "cpu-pingpong", 0, events);
            assertEquals(Verdict.SCHEDULER_FAILED, result.outcome().decision().verdict(),
                    result.outcome().decision().reason());
            List<String> trigger;
            synchronized (events) {
                trigger = events.stream().filter(e -> e.kind().equals("error_trigger")).map(RunEvent::text).toList();
            }
            assertTrue(trigger.stream().anyMatch(t -> t.startsWith("error trigger armed on scx_root (waiting")),
                    "slot 0 watches scx_root before the scheduler starts: " + trigger);
            assertTrue(trigger.stream().anyMatch(t -> t.contains("as the scheduler attached")), trigger.toString());
            List<SnapshotView> snaps = views(archive, result.runId());
            SnapshotView error = snaps.stream().filter(s -> s.kind().equals(SnapshotKind.ERROR.wireName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no error snapshot: " + trigger));
            assertTrue(error.report().path("sched_ext").path("exitInfo").path("message").asText()
                    .contains("test triggering error"), error.report().path("sched_ext").toString());
            String headline = Findings.headline(Findings.of(snaps)).orElseThrow();
            assertTrue(headline.matches("scx_bpf_error at scx_qmap\\.bpf\\.c:\\d+: test triggering error"), headline);
        }
    }
}
