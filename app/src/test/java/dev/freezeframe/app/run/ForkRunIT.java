package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ForkLink;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import dev.freezeframe.vmm.template.BootTemplates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forks on the real kit (issue 14): scx_qmap runs with forkable snapshots; its first periodic snapshot is forked twice
 * with different watches. Each fork starts from that instant — its first snapshot holds the parent's tasks and maps, no
 * scheduler re-attach — goes on to its own verdict, and the two forks diverge.
 */
class ForkRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    private RunLauncher launcher(BootTemplates templates) {
        return new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT, WatchPolicy.DEFAULT, false, templates);
    }

    @Test
    void aScxQmapSnapshotForkedTwiceGoesOnFromThatInstantInBothForksWhichThenDiverge() throws Exception {
        Path scenarioFile = Files.writeString(dir.resolve("cpu8.json"), """
                {"schema": 1, "name": "cpu8", "description": "8 CPU-bound workers for 9 s",
                 "steps": [{"name": "cpu8", "duration_ms": 9000, "workload": {"kind": "cpu", "workers": 8}}]}
                """);
        Scenario scenario = ScenarioLoader.load(scenarioFile.toString());
        BootTemplates templates = new BootTemplates(dir.resolve("templates"));
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunConfig parentConfig = new RunConfig("scx_qmap", List.of(), scenarioFile.toString(), 2, 1024, "kit", 2,
                    List.of());
            RunResult parent = launcher(templates).forkable(true).run(parentConfig, kit, scenario, archive, e -> { });
            assertEquals(Verdict.PASSED, parent.outcome().decision().verdict(), parent.outcome().decision().reason());
            List<RunEvent> forkableEvents = events(archive, parent.runId(), Lane.SNAPSHOTS).stream()
                    .filter(e -> e.kind().equals("forkable")).toList();
            assertTrue(forkableEvents.stream().anyMatch(e -> e.text().startsWith("snapshot periodic_000 is forkable")),
                    forkableEvents.toString());
            SnapshotInfo forkPoint = snapshot(archive, parent.runId(), "periodic_000");

            RunConfig watching = new RunConfig("scx_qmap", List.of(), scenarioFile.toString(), 2, 1024, "kit", 0,
                    List.of("total_forks"));
            RunConfig snapshotting = new RunConfig("scx_qmap", List.of(), scenarioFile.toString(), 2, 1024, "kit", 1,
                    List.of());
            long[] forks = new long[2];
            int i = 0;
            for (RunConfig config : List.of(watching, snapshotting)) {
                RunLauncher launcher = launcher(templates);
                RunLauncher.Prepared prepared = launcher.prepareFork(config, kit, scenario, archive, parent.runId(),
                        forkPoint);
                RunResult fork = launcher.run(prepared, e -> { });
                forks[i++] = fork.runId();
                assertEquals(Verdict.PASSED, fork.outcome().decision().verdict(), fork.outcome().decision().reason());
                assertEquals(new ForkLink(fork.runId(), parent.runId(), "periodic_000", forkPoint.atNanos()),
                        archive.forkOf(fork.runId()).orElseThrow());
                List<RunEvent> lifecycle = events(archive, fork.runId(), Lane.LIFECYCLE);
                assertTrue(lifecycle.stream().anyMatch(e -> e.kind().equals("forked")), lifecycle.toString());
                assertFalse(lifecycle.stream().anyMatch(e -> e.kind().equals("scheduler_starting")
                        || e.kind().equals("scheduler_enabled")), "no re-attach: " + lifecycle);
                assertTrue(lifecycle.stream().anyMatch(e -> e.kind().equals("scenario_finished")), lifecycle.toString());

                JsonNode start = report(archive, snapshot(archive, fork.runId(), RunLauncher.FORK_START_TAG));
                JsonNode atFork = report(archive, forkPoint);
                assertEquals(mapNames(atFork), mapNames(start), "the same scheduler's maps");
                assertEquals(taskKeys(atFork), taskKeys(start), "the same tasks as the parent at the fork instant");
                assertEquals(atFork.path("sched_ext").path("state").asText(), start.path("sched_ext").path("state")
                        .asText());
            }
            assertEquals(2, archive.forkLinks().size());
            // the two forks went their own ways: their last snapshots differ
            JsonNode a = report(archive, last(archive, forks[0]));
            JsonNode b = report(archive, last(archive, forks[1]));
            assertNotEquals(a.path("maps").toString(), b.path("maps").toString(), "the forks diverged");
        }
    }

    /**
     * scx_qmap {@code -e N} calls scx_bpf_error() at its N-th enqueue; the count left lives in the scheduler's own data
     * (qa.test_error_cnt in guest RAM), so a fork from a snapshot before the error counts down what was left and fails
     * the same way. Under TCG, 8 CPU-bound workers on 2 vCPUs enqueue at a few hundred per second (slice expiries,
     * about steady because the tick runs on the host's clock), so {@link #ERROR_AFTER_ENQUEUES} lands mid-workload.
     */
    @Test
    void aScxQmapErrorRunForkedFromItsLastPeriodicSnapshotBeforeTheErrorFailsWithTheSameError() throws Exception {
        Path scenarioFile = Files.writeString(dir.resolve("cpu8-long.json"), """
                {"schema": 1, "name": "cpu8-long", "description": "8 CPU-bound workers for 20 s",
                 "steps": [{"name": "cpu8", "duration_ms": 20000, "workload": {"kind": "cpu", "workers": 8}}]}
                """);
        Scenario scenario = ScenarioLoader.load(scenarioFile.toString());
        BootTemplates templates = new BootTemplates(dir.resolve("templates"));
        List<String> args = List.of("-e", Integer.toString(ERROR_AFTER_ENQUEUES));
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunConfig parentConfig = new RunConfig("scx_qmap", args, scenarioFile.toString(), 2, 1024, "kit", 10,
                    List.of());
            RunResult parent = launcher(templates).forkable(true).run(parentConfig, kit, scenario, archive, e -> { });
            assertInjectedError(parent);
            SnapshotInfo error = archive.runs().snapshots(parent.runId()).stream()
                    .filter(s -> s.kind() == SnapshotKind.ERROR).findFirst().orElseThrow();
            List<SnapshotInfo> before = archive.runs().snapshots(parent.runId()).stream()
                    .filter(s -> s.kind() == SnapshotKind.PERIODIC && !s.placeholder() && s.atNanos() < error.atNanos())
                    .toList();
            assertFalse(before.isEmpty(), "-e " + ERROR_AFTER_ENQUEUES + " errored at " + error.atNanos() / 1e9
                    + " s, before the first periodic snapshot: " + archive.runs().snapshots(parent.runId()));
            SnapshotInfo forkPoint = before.getLast();
            long leftAtFork = errorCountLeft(report(archive, forkPoint));
            assertTrue(leftAtFork > 0, "the error is still ahead at " + forkPoint.tag() + ": " + leftAtFork);

            RunConfig forkConfig = new RunConfig("scx_qmap", args, scenarioFile.toString(), 2, 1024, "kit", 0,
                    List.of());
            RunLauncher launcher = launcher(templates);
            RunResult fork = launcher.run(launcher.prepareFork(forkConfig, kit, scenario, archive, parent.runId(),
                    forkPoint), e -> { });
            assertInjectedError(fork);
            List<RunEvent> lifecycle = events(archive, fork.runId(), Lane.LIFECYCLE);
            assertTrue(lifecycle.stream().anyMatch(e -> e.kind().equals("forked")), lifecycle.toString());
            assertFalse(lifecycle.stream().anyMatch(e -> e.kind().equals("scheduler_starting")), "no re-attach");
            // the fork started with what was left at the fork instant and used it up
            assertEquals(leftAtFork, errorCountLeft(report(archive, snapshot(archive, fork.runId(),
                    RunLauncher.FORK_START_TAG))));
            SnapshotInfo forkError = archive.runs().snapshots(fork.runId()).stream()
                    .filter(s -> s.kind() == SnapshotKind.ERROR).findFirst().orElseThrow();
            assertEquals(0, errorCountLeft(report(archive, forkError)));
        }
    }

    /** Tuned by hand on the 2-core build machine: errors 5-15 s into the 20 s workload (see the test's comment). */
    private static final int ERROR_AFTER_ENQUEUES = 2000;

    private static void assertInjectedError(RunResult result) {
        assertEquals(Verdict.SCHEDULER_FAILED, result.outcome().decision().verdict(), result.outcome().decision()
                .reason());
        assertTrue(result.outcome().decision().reason().contains("test triggering error"),
                result.outcome().decision().reason());
    }

    /** scx_qmap's qa.test_error_cnt in a snapshot: the enqueues left before -e's error. */
    private static long errorCountLeft(JsonNode report) {
        for (JsonNode m : report.path("maps")) {
            JsonNode found = m.findValue("test_error_cnt");
            if (found != null) return found.path("value").asLong(-1);
        }
        throw new AssertionError("no test_error_cnt in " + report.path("maps").toString().substring(0, 500));
    }

    private static List<RunEvent> events(Archive archive, long runId, Lane lane) {
        return archive.runs().events(runId, lane, 0, Long.MAX_VALUE, 100_000);
    }

    private static SnapshotInfo snapshot(Archive archive, long runId, String tag) {
        return archive.runs().snapshots(runId).stream().filter(s -> s.tag().equals(tag)).findFirst()
                .orElseThrow(() -> new AssertionError("run " + runId + " has no snapshot " + tag + ": "
                        + archive.runs().snapshots(runId)));
    }

    private static SnapshotInfo last(Archive archive, long runId) {
        return archive.runs().snapshots(runId).stream().filter(s -> !s.placeholder()).reduce((x, y) -> y)
                .orElseThrow();
    }

    private static JsonNode report(Archive archive, SnapshotInfo snapshot) throws Exception {
        assertFalse(snapshot.placeholder(), snapshot.tag() + ": " + snapshot.placeholderReason());
        return JSON.readTree(archive.runs().snapshotReport(snapshot.id()));
    }

    private static Set<String> mapNames(JsonNode report) {
        Set<String> names = new TreeSet<>();
        for (JsonNode m : report.path("maps")) names.add(m.path("name").asText());
        return names;
    }

    /** scx_qmap keeps an entry per task it schedules in task_ctx_stor: the task set. */
    private static Set<String> taskKeys(JsonNode report) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode m : report.path("maps")) {
            if (m.path("name").asText().equals("task_ctx_stor")) {
                for (JsonNode e : m.path("entries")) keys.add(e.path("key").toString());
            }
        }
        assertFalse(keys.isEmpty(), "task_ctx_stor has entries");
        return keys;
    }
}
