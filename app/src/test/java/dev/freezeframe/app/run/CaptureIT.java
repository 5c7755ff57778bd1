package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures of frozen BPF state on the real kit under QEMU: periodic snapshots with scx_qmap's maps typed, the snapshot
 * at the instant the scheduler errors out, and a snapshot the scenario asks for. Needs the kit (skipped on a
 * developer's machine without one, failed under CI).
 */
class CaptureIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    private RunResult run(Archive archive, List<String> args, String scenario, int snapshots) {
        RunConfig config = new RunConfig("scx_qmap", args, scenario, 2, 1024, "kit", snapshots, List.of());
        return new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT).run(config, kit,
                ScenarioLoader.load(scenario), archive, e -> { });
    }

    private static JsonNode report(Archive archive, SnapshotInfo snapshot) throws Exception {
        return JSON.readTree(archive.runs().snapshotReport(snapshot.id()));
    }

    private static Set<String> mapNames(JsonNode report) {
        Set<String> names = new HashSet<>();
        report.path("maps").forEach(m -> names.add(m.path("name").asText()));
        return names;
    }

    @Test
    void fivePeriodicSnapshotsAndTheScenariosOwnCaptureHoldScxQmapsTypedMaps() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(archive, List.of(), "capture-mid", 5);
            assertEquals(Verdict.PASSED, result.outcome().decision().verdict(), result.outcome().decision().reason());
            List<SnapshotInfo> snapshots = archive.runs().snapshots(result.runId());

            List<SnapshotInfo> periodic = snapshots.stream().filter(s -> s.kind() == SnapshotKind.PERIODIC).toList();
            assertEquals(List.of("periodic_000", "periodic_001", "periodic_002", "periodic_003", "periodic_004"),
                    periodic.stream().map(SnapshotInfo::tag).toList());
            for (int i = 1; i < periodic.size(); i++) {
                assertTrue(periodic.get(i).atNanos() - periodic.get(i - 1).atNanos() >= 100_000_000L,
                        "periodic snapshots are at least 100 ms apart");
            }
            for (SnapshotInfo s : periodic) {
                assertFalse(s.placeholder(), s.tag() + ": " + s.placeholderReason().orElse(""));
                JsonNode r = report(archive, s);
                assertTrue(mapNames(r).containsAll(List.of("scx_qmap.bss", "scx_qmap.data", "arena", "qmap_ops")),
                        s.tag() + " maps: " + mapNames(r));
                assertEquals("qmap", r.path("sched_ext").path("opsName").asText());
                assertEquals(2, r.path("vcpus").size());
                assertTrue(r.path("vcpus").get(0).path("cr3").asText().startsWith("0x"));
            }

            // 7.x scx_qmap keeps its global counters in the arena global `qa`: they only grow across the run
            List<FieldPoint> enqueued = archive.runs().fieldSeries(result.runId(), "arena", "qa.nr_enqueued");
            List<Double> values = enqueued.stream().filter(p -> p.value().isPresent())
                    .map(p -> p.value().getAsDouble()).toList();
            assertTrue(values.size() >= 5, "qa.nr_enqueued in every snapshot: " + enqueued);
            for (int i = 1; i < values.size(); i++) {
                assertTrue(values.get(i) >= values.get(i - 1), "qa.nr_enqueued went down: " + values);
            }
            assertTrue(values.getLast() > 0, "scx_qmap enqueued tasks: " + values);

            SnapshotInfo mid = snapshots.stream().filter(s -> s.tag().equals("mid")).findFirst().orElseThrow();
            assertEquals(SnapshotKind.REQUESTED, mid.kind());
            assertEquals(Optional.of(2), mid.stepIndex(), "captured at the start of the scenario's second step");
            assertFalse(mid.placeholder());
        }
    }

    @Test
    void theSchedulerErrorIsCapturedWithItsExitKindMessageAndLiveMaps() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = run(archive, List.of("-e", "50"), "cpu-pingpong", 0);
            assertEquals(Verdict.SCHEDULER_FAILED, result.outcome().decision().verdict());
            SnapshotInfo error = archive.runs().snapshots(result.runId()).stream()
                    .filter(s -> s.kind() == SnapshotKind.ERROR).findFirst().orElseThrow();
            assertEquals("error", error.tag());
            JsonNode r = report(archive, error);
            JsonNode exitInfo = r.path("sched_ext").path("exitInfo");
            assertTrue(exitInfo.path("kind").asLong() >= 1024, "an error-class exit kind: " + r.path("sched_ext"));
            assertTrue(exitInfo.path("message").asText().contains("test triggering error"), exitInfo.toString());
            assertTrue(r.path("trigger").path("exit_kind").asLong() >= 1024, r.path("trigger").toString());
            assertTrue(mapNames(r).containsAll(List.of("scx_qmap.bss", "arena", "qmap_ops")),
                    "maps still populated before the teardown: " + mapNames(r));
        }
    }
}
