package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.cli.CommandLines;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Watchpoints on the real kit under QEMU, driven the way a user drives them: {@code run --watch ... --control stdin}
 * with a script on standard input, in one boot. Checks that a symbol the workload writes ({@code total_forks}, bumped
 * by every fork under {@code fork-churn}) is hit and each hit's snapshot is archived with its trigger; that a symbol
 * nothing writes after boot ({@code sysctl_sched_features}, written only through debugfs) is never hit; that a
 * misaligned, an unknown and a fourth watch are refused with clear answers and events; and that a hot symbol
 * ({@code jiffies_64}, written every tick) is disarmed with its event. A second run times hit → snapshot archived
 * under scx_qmap into {@code target/watchpoint-bench.json}. Needs the kit (skipped without one, failed under CI).
 */
class WatchpointIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HEX = Pattern.compile("0x[0-9a-f]+");
    private static final Pattern FUNCTION_PLUS_OFFSET =
            Pattern.compile("[A-Za-z_][\\w.$]*\\+0x[0-9a-f]+/0x[0-9a-f]+.*");

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheKit() {
        GuestKitForTests.require();
    }

    /** The control script: each line waits for the previous answer, so the slots are known at every step. */
    private static final String SCRIPT = """
            watch total_forks+1
            watch no_such_symbol_xyz
            watch copy_process
            watch nr_cpu_ids
            watch total_forks
            watches
            unwatch nr_cpu_ids
            unwatch 2
            watch total_forks
            watch jiffies_64
            watches
            """;

    @Test
    void watchedSymbolsAreHitCapturedRefusedAndAutoDisarmedInOneRun() throws Exception {
        Path db = dir.resolve("archive.db");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), GuestKitForTests.USER_DIRS.cacheDir()));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        InputStream stdin = System.in;
        int exit;
        try {
            System.setIn(new ByteArrayInputStream(SCRIPT.getBytes(StandardCharsets.UTF_8)));
            exit = cli.execute("run", "--scheduler", "scx_simple", "--scenario", "fork-churn", "--vcpus", "2",
                    "--memory", "1G", "--db", db.toString(), "--json",
                    "--watch", "sysctl_sched_features", "--watch", "max_pfn", "--control", "stdin");
        } finally {
            System.setIn(stdin);
        }
        String log = err.toString();
        System.out.println(log);
        JsonNode result = JSON.readTree(out.toString().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(0, exit, log);
        assertEquals("passed", result.get("verdict").asText(), log);

        // ---- the control answers, one per command, in order ----
        List<String> answers = log.lines().filter(l -> l.startsWith("control: "))
                .map(l -> l.substring("control: ".length())).toList();
        assertEquals(11, answers.size(), log);
        assertAnswer(answers.get(0), "refused: Cannot watch 4 bytes at total_forks+0x1", "must be 4-byte aligned");
        assertAnswer(answers.get(1), "refused: no_such_symbol_xyz is not in the guest kernel's symbol table");
        assertAnswer(answers.get(2), "refused: copy_process is a function");
        assertAnswer(answers.get(3), "armed slot 3: nr_cpu_ids (write, 4 bytes at 0xffffffff");
        assertAnswer(answers.get(4), "refused: All 3 user watch slots are in use (1: sysctl_sched_features, 2: max_pfn,"
                + " 3: nr_cpu_ids); slot 0 is reserved for the scheduler-error trigger; disarm one first");
        // slot 0 is armed by the run itself, at about this time: armed or not, it is reported as the error trigger's
        assertAnswer(answers.get(5), "watches: 0: ", "scheduler-error trigger", "; 1: sysctl_sched_features (write, 4 "
                + "bytes", "; 2: max_pfn (write, 8 bytes", "; 3: nr_cpu_ids (write, 4 bytes");
        assertAnswer(answers.get(6), "disarmed slot 3: nr_cpu_ids after 0 hits");
        assertAnswer(answers.get(7), "disarmed slot 2: max_pfn after 0 hits");
        assertAnswer(answers.get(8), "armed slot 2: total_forks (write, 8 bytes at 0xffffffff");
        // total_forks is hit from now on and may already be disarmed as hot, freeing slot 2: jiffies_64 takes 3 or 2
        assertTrue(answers.get(9).matches("armed slot [23]: jiffies_64 \\(write, 8 bytes at 0xffffffff[0-9a-f]{8}\\)"),
                answers.get(9));
        assertAnswer(answers.get(10), "watches: 0: ", "scheduler-error trigger", "; 1: sysctl_sched_features");

        try (Archive archive = Archive.open(db)) {
            long runId = result.get("run_id").asLong();
            List<RunEvent> events = archive.runs().events(runId, Lane.WATCHPOINTS, 0, Long.MAX_VALUE, 100_000);

            // --watch arms from the command line; every refusal is an event whose text is the reason
            assertEquals(List.of("sysctl_sched_features", "max_pfn", "nr_cpu_ids", "total_forks", "jiffies_64"),
                    of(events, "armed").stream().map(e -> detail(e).get("watch").asText()).toList());
            List<String> refused = of(events, "refused").stream().map(RunEvent::text).toList();
            assertEquals(4, refused.size(), refused.toString());
            assertTrue(refused.get(0).contains("must be 4-byte aligned"), refused.get(0));
            assertTrue(refused.get(1).contains("no_such_symbol_xyz is not in the guest kernel's symbol table"));
            assertTrue(refused.get(2).startsWith("copy_process is a function"), refused.get(2));
            assertTrue(refused.get(3).startsWith("All 3 user watch slots are in use"), refused.get(3));
            assertEquals(2, of(events, "disarmed").size());

            // nothing writes sysctl_sched_features (debugfs only), max_pfn or nr_cpu_ids (boot only)
            List<RunEvent> hits = of(events, "hit");
            for (String quiet : List.of("sysctl_sched_features", "max_pfn", "nr_cpu_ids")) {
                assertTrue(hits.stream().noneMatch(watching(quiet)), quiet + " was hit: " + hits);
            }

            // total_forks: hits with snapshots; the archive keeps every hit's snapshot under the same tag
            List<RunEvent> forkHits = hits.stream().filter(watching("total_forks")).toList();
            assertFalse(forkHits.isEmpty(), "fork-churn forks, so total_forks is written: " + events);
            long forkSnapshotHits = forkHits.stream().filter(e -> detail(e).get("snapshot").asBoolean()).count();
            List<SnapshotInfo> snapshots = archive.runs().snapshots(runId).stream()
                    .filter(s -> s.tag().equals("watch:total_forks")).toList();
            assertTrue(forkSnapshotHits >= 1);
            assertEquals(forkSnapshotHits, snapshots.size(), "one archived snapshot per hit that took one");
            List<Long> hitNumbers = new ArrayList<>();
            boolean sawAnIncrement = false;
            for (SnapshotInfo s : snapshots) {
                assertEquals(SnapshotKind.WATCH, s.kind());
                assertFalse(s.placeholder(), s.placeholderReason().orElse(""));
                JsonNode report = JSON.readTree(archive.runs().snapshotReport(s.id()));
                JsonNode t = report.path("trigger");
                assertEquals("watchpoint", t.path("trigger").asText(), t.toString());
                assertEquals("total_forks", t.path("symbol").asText());
                assertTrue(HEX.matcher(t.path("old").asText()).matches(), t.toString());
                assertTrue(HEX.matcher(t.path("new").asText()).matches(), t.toString());
                sawAnIncrement |= Long.parseUnsignedLong(t.path("new").asText().substring(2), 16)
                        > Long.parseUnsignedLong(t.path("old").asText().substring(2), 16);
                assertTrue(FUNCTION_PLUS_OFFSET.matcher(t.path("rip_symbol").asText()).matches(), t.toString());
                assertTrue(t.path("vcpu").asInt() >= 0 && t.path("vcpu").asInt() < 2, t.toString());
                assertEquals("scx_simple".substring(4), report.path("sched_ext").path("opsName").asText(),
                        "the snapshot holds the scheduler's state");
                hitNumbers.add(t.path("hit").asLong());
            }
            assertEquals(hitNumbers.stream().distinct().count(), hitNumbers.size(),
                    "one snapshot per hit: " + hitNumbers);
            assertTrue(sawAnIncrement, "a fork counts total_forks up, old -> new");
            assertTrue(snapshots.size() <= 10, "at most 10 snapshots per watch: " + snapshots.size());

            // jiffies_64 is written every tick: disarmed as hot, with its event
            List<RunEvent> auto = of(events, "auto_disarmed");
            assertTrue(auto.stream().anyMatch(e -> e.text().startsWith("jiffies_64 was hit ")
                    && e.text().contains(" times in 1 s; disarmed so the guest is not drowned")), events.toString());

            System.out.println("watchpoint timings (scx_simple): " + timings(archive, runId, hits));
        }
    }

    /**
     * The benchmark: hit → snapshot handed to the archive, under scx_qmap (its maps make a full capture) with a policy
     * that lets {@code total_forks} take 40 snapshots. Through the launcher's API, as the UI will drive it. Writes
     * {@code target/watchpoint-bench.json}; asserts no timing.
     */
    @Test
    void hitToArchivedTimingsUnderScxQmap() throws Exception {
        WatchPolicy policy = new WatchPolicy(1000, Duration.ofSeconds(1), 40);
        RunLauncher launcher = new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT, policy);
        RunConfig config = new RunConfig("scx_qmap", List.of(), "fork-churn", 2, 1024, "kit", 0,
                List.of("total_forks"));
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            RunResult result = launcher.run(config, GuestKitForTests.require(), ScenarioLoader.load("fork-churn"),
                    archive, e -> { });
            assertEquals(Verdict.PASSED, result.outcome().decision().verdict(), result.outcome().decision().reason());
            assertTrue(launcher.watchSlots().isDone(), "the slots came up (or failed) with the run");
            List<RunEvent> hits = of(archive.runs().events(result.runId(), Lane.WATCHPOINTS, 0, Long.MAX_VALUE,
                    100_000), "hit");
            ObjectNode bench = timings(archive, result.runId(), hits);
            bench.put("benchmark", "watchpoint hit -> snapshot handed to the archive: scx_qmap, fork-churn,"
                    + " total_forks, 2 vCPUs, TCG");
            bench.put("target_ms", 100);
            Path file = Path.of("target", "watchpoint-bench.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(bench));
            System.out.println("watchpoint benchmark: " + bench);
            assertTrue(bench.path("hit_to_archived_ms").path("n").asInt() >= 1, "hits with snapshots were timed");
            for (SnapshotInfo s : archive.runs().snapshots(result.runId())) {
                if (s.kind() != SnapshotKind.WATCH) continue;
                JsonNode maps = JSON.readTree(archive.runs().snapshotReport(s.id())).path("maps");
                assertTrue(maps.size() > 0, "scx_qmap's maps are in " + s.tag());
            }
        }
    }

    private static void assertAnswer(String answer, String start, String... parts) {
        assertTrue(answer.startsWith(start), "expected '" + start + "...', got: " + answer);
        for (String p : parts) assertTrue(answer.contains(p), "expected '" + p + "' in: " + answer);
    }

    private static List<RunEvent> of(List<RunEvent> events, String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    private static Predicate<RunEvent> watching(String symbol) {
        return e -> detail(e).path("symbol").asText().equals(symbol);
    }

    private static JsonNode detail(RunEvent e) {
        try {
            return JSON.readTree(e.detailJson());
        } catch (Exception ex) {
            throw new AssertionError("event " + e.seq() + " has no JSON detail: " + e.detailJson(), ex);
        }
    }

    /** Hit → snapshot handed to the archive, over every hit of the run that took a snapshot. */
    private static ObjectNode timings(Archive archive, long runId, List<RunEvent> hits) throws Exception {
        List<Long> hitToArchived = new ArrayList<>();
        List<Long> stopToArchived = new ArrayList<>();
        for (RunEvent e : hits) {
            JsonNode d = detail(e);
            if (!d.path("snapshot").asBoolean()) continue;
            hitToArchived.add(d.path("hit_to_archived_us").asLong());
            stopToArchived.add(d.path("stop_to_archived_us").asLong());
        }
        List<Long> read = new ArrayList<>();
        for (SnapshotInfo s : archive.runs().snapshots(runId)) {
            if (s.kind() != SnapshotKind.WATCH || s.placeholder()) continue;
            read.add(JSON.readTree(archive.runs().snapshotReport(s.id())).path("freeze").path("read_us").asLong());
        }
        ObjectNode bench = JSON.createObjectNode();
        bench.set("hit_to_archived_ms", stats(hitToArchived));
        bench.set("stop_to_archived_ms", stats(stopToArchived));
        bench.set("capture_read_ms", stats(read));
        return bench;
    }

    private static ObjectNode stats(List<Long> micros) {
        List<Long> sorted = micros.stream().sorted().toList();
        ObjectNode s = JSON.createObjectNode();
        s.put("n", sorted.size());
        if (sorted.isEmpty()) return s;
        s.put("median", percentile(sorted, 50) / 1000.0);
        s.put("p95", percentile(sorted, 95) / 1000.0);
        s.put("min", sorted.getFirst() / 1000.0);
        s.put("max", sorted.getLast() / 1000.0);
        ArrayNode all = s.putArray("all");
        micros.forEach(v -> all.add(v / 1000.0));
        return s;
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
