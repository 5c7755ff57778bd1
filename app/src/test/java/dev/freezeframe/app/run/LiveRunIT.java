package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.live.KallsymsCache;
import dev.freezeframe.app.live.LocalLiveRun;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.live.LiveRefusals;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-run engine on the real kit under QEMU: freeze and resume from outside the run (as the workbench does), the
 * span it records, the snapshot taken while held, the refusals, and "freeze when the scheduler is enabled". Needs the
 * kit (skipped on a developer's machine without one, failed under CI).
 */
class LiveRunIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOOT = Duration.ofMinutes(4);
    private static final Duration END = Duration.ofMinutes(4);
    private static Kit kit;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        kit = GuestKitForTests.require();
    }

    private LocalLiveRun start(RunConfig config) {
        KallsymsCache cache = new KallsymsCache(dir.resolve("cache/symbols"));
        return LocalLiveRun.start(config, kit, ScenarioLoader.load(config.scenario()), dir.resolve("archive.db"),
                new QemuBackend(), new LocalLiveRun.Options(RunFold.Limits.DEFAULT, WatchPolicy.DEFAULT,
                        Optional.of(cache)));
    }

    private static LiveRunState await(LiveRun run, Predicate<LiveRunState> condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            LiveRunState s = run.state();
            if (condition.test(s)) return s;
            if (s.ended()) throw new AssertionError("the run ended before " + what + ": " + s);
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + ": " + run.state());
    }

    private static String answer(CompletableFuture<String> control) throws Exception {
        return control.get(2, TimeUnit.MINUTES);
    }

    private static String refusal(CompletableFuture<String> control) throws Exception {
        try {
            String unexpected = control.get(2, TimeUnit.MINUTES);
            throw new AssertionError("expected a refusal, got: " + unexpected);
        } catch (ExecutionException e) {
            assertInstanceOf(CoordinatorException.class, e.getCause());
            return e.getCause().getMessage();
        }
    }

    private List<RunEvent> events(long runId, Lane lane) {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            return archive.runs().events(runId, lane, 0, Long.MAX_VALUE, 100_000);
        }
    }

    private List<SnapshotInfo> snapshots(long runId) {
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            return archive.runs().snapshots(runId);
        }
    }

    @Test
    void aUserFreezeHoldsTheGuestCapturesFreeze000AndIsRecordedAsOneSpan() throws Exception {
        RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu", 2, 1024, "kit", 2, List.of());
        LocalLiveRun run = start(config);
        assertTrue(run.runId() > 0);
        assertEquals(LiveRefusals.notReady(), refusal(run.freeze()), "nothing to freeze before SYS_RDY");

        await(run, s -> s.phase().atLeast(RunPhase.SCENARIO_RUNNING), BOOT, "the workload");
        String frozeAnswer = answer(run.freeze());
        long heldFrom = System.nanoTime();
        assertEquals("Frozen; freeze_000 captured.", frozeAnswer);
        LiveRunState frozen = run.state();
        assertTrue(frozen.frozen() && frozen.frozenSinceNs() > 0, frozen.toString());
        SnapshotInfo snapshot = snapshots(run.runId()).stream().filter(s -> s.tag().equals("freeze_000"))
                .findFirst().orElseThrow(() -> new AssertionError("freeze_000 is archived while still frozen"));
        assertFalse(snapshot.placeholder(), snapshot.placeholderReason().orElse(""));

        assertEquals(LiveRefusals.alreadyFrozen("freeze_000"), refusal(run.freeze()));
        assertEquals(LiveRefusals.unchangedSinceFreeze("freeze_000"), refusal(run.captureNow()));
        Thread.sleep(1500); // the user looks at the frozen state
        answer(run.resume());
        long heldNs = System.nanoTime() - heldFrom;
        assertFalse(run.state().frozen());
        assertEquals(LiveRefusals.notFrozen(), refusal(run.resume()));

        LiveRunState end = run.finished().get(END.toMinutes(), TimeUnit.MINUTES);
        assertEquals(Optional.of(Verdict.PASSED), end.verdict(), end.reason());
        assertEquals(RunPhase.ENDED, end.phase());
        assertEquals(LiveRefusals.ended(), refusal(run.freeze()));

        List<RunEvent> lifecycle = events(run.runId(), Lane.LIFECYCLE);
        RunEvent frozeAt = lifecycle.stream().filter(e -> e.kind().equals("frozen")).findFirst().orElseThrow();
        RunEvent resumedAt = lifecycle.stream().filter(e -> e.kind().equals("resumed")).findFirst().orElseThrow();
        JsonNode detail = JSON.readTree(resumedAt.detailJson());
        assertEquals(frozeAt.atNanos(), detail.get("frozen_at_ns").asLong());
        assertEquals(resumedAt.atNanos() - frozeAt.atNanos(), detail.get("frozen_ns").asLong());
        assertTrue(detail.get("frozen_ns").asLong() >= heldNs, "the span " + detail + " covers the " + heldNs
                + " ns the test held the guest");
        assertEquals("paused", detail.get("guest_clock").asText());
        List<String> tags = snapshots(run.runId()).stream().map(SnapshotInfo::tag).toList();
        assertTrue(tags.containsAll(List.of("freeze_000", "periodic_000", "periodic_001")), tags + "; snapshots lane: "
                + events(run.runId(), Lane.SNAPSHOTS).stream().map(e -> e.atNanos() / 1_000_000 + " ms " + e.kind()
                        + " " + e.text()).toList() + "; lifecycle: " + lifecycle.stream().map(e -> e.atNanos()
                        / 1_000_000 + " ms " + e.kind()).toList());
        assertTrue(Files.isRegularFile(new KallsymsCache(dir.resolve("cache/symbols")).file(KallsymsCache.key(kit))),
                "the guest's kallsyms are cached for launch forms");
    }

    @Test
    void freezeOnEnableStopsTheGuestBeforeTheWorkloadWithTheWatchesArmedAndArmingWorksWhileStopped() throws Exception {
        RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu", 2, 1024, "kit", 0, List.of("total_forks"),
                true);
        LocalLiveRun run = start(config);
        LiveRunState held = await(run, LiveRunState::frozen, BOOT, "the freeze on enable");
        assertEquals(WatchSlotState.State.ARMED, held.slots().get(0).state(), held.slots().toString());
        assertEquals("total_forks", held.slots().get(1).label());
        assertEquals(WatchSlotState.State.ARMED, held.slots().get(1).state());

        assertTrue(answer(run.arm("nr_threads")).startsWith("armed slot 2: nr_threads"), "armed while stopped");
        await(run, s -> s.slots().get(2).state() == WatchSlotState.State.ARMED, Duration.ofSeconds(10),
                "slot 2 in the state");
        long hitsWhenArmed = run.state().slots().get(1).hits();
        Thread.sleep(500);
        assertEquals(hitsWhenArmed, run.state().slots().get(1).hits(), "the guest stays stopped: no hit");
        assertEquals(1, run.state().stepIndex(), "held at the start of the first step");
        answer(run.resume());

        LiveRunState end = run.finished().get(END.toMinutes(), TimeUnit.MINUTES);
        assertEquals(Optional.of(Verdict.PASSED), end.verdict(), end.reason());
        List<RunEvent> lifecycle = events(run.runId(), Lane.LIFECYCLE);
        long enabledAt = lifecycle.stream().filter(e -> e.kind().equals("scheduler_enabled")).findFirst()
                .orElseThrow().atNanos();
        RunEvent frozeAt = lifecycle.stream().filter(e -> e.kind().equals("frozen")).findFirst().orElseThrow();
        assertTrue(frozeAt.atNanos() > enabledAt, "frozen after the scheduler was enabled");
        assertTrue(lifecycle.stream().anyMatch(e -> e.kind().equals("resumed")));
        assertTrue(snapshots(run.runId()).stream().anyMatch(s -> s.tag().equals("freeze_000") && !s.placeholder()),
                "the freeze on enable captured freeze_000");
        assertTrue(end.slots().get(1).hits() > 0, "the workload forked after the resume: " + end.slots());
        assertTrue(Files.getPosixFilePermissions(new KallsymsCache(dir.resolve("cache/symbols"))
                .file(KallsymsCache.key(kit))).equals(PosixFilePermissions.fromString("rw-------")));
    }
}
