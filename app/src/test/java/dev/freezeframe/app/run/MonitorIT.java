package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.run.MonitorSeriesReader.Point;
import dev.freezeframe.app.run.MonitorSeriesReader.Series;
import dev.freezeframe.coordinator.model.MonitorConfig;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.run.RunLoop;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.coordinator.run.UserHold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live monitor on the real kit with scx_qmap under 64 CPU workers: per-CPU {@code nr_running} and a
 * {@code --monitor} arena counter ({@code arena:qa.nr_enqueued}) come back as series with at least 10 points a second,
 * and what the monitor read while the user held the guest frozen is exactly what the snapshot of that hold shows (the
 * guest's RAM stands still, so a torn read is impossible there): run queues, local and global DSQs, every SCX_EV_*
 * counter, the oldest runnable age and the arena counter. Needs the kit (skipped without one, failed under CI).
 */
class MonitorIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long INTERVAL_MS = 100;
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    @Test
    void seriesAreDenseAndMatchAFrozenSnapshotExactly() throws Exception {
        Path scenario = Files.writeString(dir.resolve("cpu64.json"), """
                {"schema": 1, "name": "cpu64", "description": "64 CPU-bound workers",
                 "steps": [{"name": "cpu64", "duration_ms": 8000, "workload": {"kind": "cpu", "workers": 64}}]}
                """);
        RunConfig config = new RunConfig("scx_qmap", List.of(), scenario.toString(), 2, 1024, "kit", 0, List.of(),
                false, new MonitorConfig(true, INTERVAL_MS, List.of("arena:qa.nr_enqueued", "scx_qmap.bss:nope",
                        "arena:qa.no_such_field")));
        RunLauncher launcher = new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT);
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> launcher.run(config, kit,
                    ScenarioLoader.load(scenario.toString()), archive, e -> { }));
            await(() -> launcher.loop().map(l -> l.status().phase().atLeast(RunPhase.SCENARIO_RUNNING))
                    .orElse(false) || run.isDone(), Duration.ofMinutes(4), "the workload to start");
            assertFalse(run.isDone(), () -> "the run ended before its workload: " + run.resultNow().outcome());
            RunLoop loop = launcher.loop().orElseThrow();
            long workloadAt = loop.elapsedNanos();
            await(() -> loop.elapsedNanos() - workloadAt > 2_000_000_000L, Duration.ofMinutes(1), "2 s of workload");

            UserHold hold = launcher.userHold().orElseThrow();
            SnapshotRecord snapshot = hold.freeze();
            long frozenAt = hold.frozenSinceNs();
            // held long enough for several samples of the still guest (the monitor reads RAM, it needs no running vCPU)
            await(() -> loop.elapsedNanos() - frozenAt > 2_000_000_000L, Duration.ofMinutes(1), "2 s of holding");
            long resumeAt = loop.elapsedNanos();
            hold.resume();
            RunResult result = run.get(5, TimeUnit.MINUTES);
            assertEquals(Verdict.PASSED, result.outcome().decision().verdict(), result.outcome().decision().reason());
            assertFalse(snapshot.placeholder(), snapshot.placeholderReason().orElse(""));

            Map<String, Series> series = new HashMap<>();
            for (Series s : MonitorSeriesReader.read(archive, result.runId(), n -> true)) series.put(s.name(), s);
            System.out.println("monitor series: " + series.keySet());

            // dense: ≥ 10 points per second over the time the scheduler was attached (here: the workload)
            for (String name : List.of("cpu0/nr_running", "cpu1/nr_running", "field/arena:qa.nr_enqueued")) {
                Series s = series.get(name);
                assertNotNull(s, name + " missing: " + series.keySet());
                long spanNs = s.points().getLast().atNs() - s.points().getFirst().atNs();
                double perSecond = (s.points().size() - 1) / (spanNs / 1e9);
                long maxGap = 0;
                for (int i = 1; i < s.points().size(); i++) {
                    maxGap = Math.max(maxGap, s.points().get(i).atNs() - s.points().get(i - 1).atNs());
                }
                System.out.printf("%s: %d points over %.2f s = %.1f/s, longest gap %d ms%n", name, s.points().size(),
                        spanNs / 1e9, perSecond, maxGap / 1_000_000);
                assertTrue(perSecond >= 10, name + ": " + perSecond + " points/s");
            }
            assertTrue(series.get("field/arena:qa.nr_enqueued").last() > 0, "scx_qmap enqueued something");

            // exact: every sample taken well inside the hold equals the hold's snapshot
            JsonNode r = JSON.readTree(snapshot.reportJson());
            Map<String, Double> expected = expectedFromSnapshot(r);
            long from = frozenAt + 3 * INTERVAL_MS * 1_000_000;
            long to = resumeAt - 3 * INTERVAL_MS * 1_000_000;
            int compared = 0;
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                Series s = series.get(e.getKey());
                assertNotNull(s, e.getKey() + " missing: " + series.keySet());
                List<Point> inHold = s.points().stream().filter(p -> p.atNs() >= from && p.atNs() <= to).toList();
                assertTrue(inHold.size() >= 3, e.getKey() + ": " + inHold.size() + " samples in the hold");
                for (Point p : inHold) {
                    assertEquals(e.getValue(), p.value(), e.getKey() + " at " + p.atNs() + " ns");
                    compared++;
                }
            }
            System.out.println("compared " + compared + " samples of " + expected.size() + " series to "
                    + snapshot.tag());

            // a field the scheduler does not have is a run event, and the run went on
            List<String> notes = archive.events().after(result.runId(), java.util.Set.of(
                    dev.freezeframe.coordinator.model.Lane.HARNESS), 0, 10_000).events().stream()
                    .filter(ev -> ev.kind().startsWith("monitor")).map(ev -> ev.text()).toList();
            System.out.println(String.join("\n", notes));
            assertTrue(notes.stream().anyMatch(t -> t.contains("scx_qmap.bss:nope not monitored")), notes.toString());
            assertTrue(notes.stream().anyMatch(t -> t.contains("arena:qa.no_such_field not monitored")
                    && t.contains("no_such_field")), notes.toString());
        }
    }

    /** The values a frozen read shows for the monitor's series, from the snapshot's own sections. */
    private static Map<String, Double> expectedFromSnapshot(JsonNode r) {
        Map<String, Double> out = new HashMap<>();
        for (JsonNode c : r.path("scx_cpus").path("items")) {
            int cpu = c.path("cpu").asInt();
            out.put("cpu" + cpu + "/nr_running", c.path("scxNrRunning").asDouble());
            out.put("cpu" + cpu + "/local_dsq", c.path("localDsqDepth").asDouble());
            double oldest = 0;
            for (JsonNode t : r.path("scx_tasks").path("items")) {
                if (t.path("cpu").asInt() == cpu && !t.path("running").asBoolean() && t.path("runnableForMs")
                        .isNumber()) {
                    oldest = Math.max(oldest, t.path("runnableForMs").asDouble());
                }
            }
            out.put("cpu" + cpu + "/oldest_runnable_ms", oldest);
        }
        for (JsonNode d : r.path("scx_dsqs").path("items")) {
            if (d.path("name").asText().equals("global") && d.path("node").asInt() == 0) {
                out.put("dsq/global", d.path("nr").asDouble());
            }
        }
        for (JsonNode e : r.path("scx_events").path("items")) {
            out.put("events/" + e.path("name").asText(), e.path("total").asDouble());
        }
        for (JsonNode m : r.path("maps")) {
            if (m.path("name").asText().equals("arena")) {
                JsonNode qa = field(m.path("entries").get(0).path("value"), "qa");
                out.put("field/arena:qa.nr_enqueued", field(qa, "nr_enqueued").path("value").asDouble());
            }
        }
        assertTrue(out.size() >= 8 + 10, "the snapshot has the sections compared: " + out.keySet());
        return out;
    }

    private static JsonNode field(JsonNode struct, String name) {
        for (JsonNode f : struct.path("fields")) if (f.path("name").asText().equals(name)) return f.path("value");
        throw new AssertionError("no field " + name + " in " + struct);
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }
}
