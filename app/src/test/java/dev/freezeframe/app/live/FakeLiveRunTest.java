package dev.freezeframe.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.live.LiveRefusals;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scripted live run the UI tests drive: its script, its clock, its controls and what it leaves in the archive. */
class FakeLiveRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;
    private Archive archive;

    @BeforeEach
    void open() {
        archive = Archive.open(dir.resolve("archive.db"));
    }

    @AfterEach
    void close() {
        archive.close();
    }

    private static String refusal(CompletableFuture<String> control) throws Exception {
        assertTrue(control.isDone(), "the fake answers at once");
        try {
            throw new AssertionError("expected a refusal, got: " + control.get());
        } catch (ExecutionException e) {
            assertInstanceOf(CoordinatorException.class, e.getCause());
            return e.getCause().getMessage();
        }
    }

    private static void advanceTo(FakeLiveRun run, long atMs) {
        run.advance(Duration.ofNanos(atMs * MS - run.nowNs()));
    }

    private List<RunEvent> archived(FakeLiveRun run, Lane lane) {
        run.flush();
        return archive.runs().events(run.runId(), lane, 0, Long.MAX_VALUE, 1_000_000);
    }

    private List<String> archivedTags(FakeLiveRun run) {
        run.flush();
        return archive.runs().snapshots(run.runId()).stream().map(SnapshotInfo::tag).toList();
    }

    @Test
    void theStandardScriptBootsRunsItsStepsWithSnapshotsEvery500MsAndPassesIntoTheArchive() throws Exception {
        FakeLiveRun run = FakeLiveRun.start(archive, FakeLiveRun.config(false), FakeScript.standard());
        List<RunEvent> streamed = new ArrayList<>();
        List<LiveRunState> states = new ArrayList<>();
        run.onEvents(streamed::addAll);
        run.onState(states::add);

        assertEquals(RunPhase.BOOTING, run.state().phase());
        assertEquals(LiveRefusals.notReady(), refusal(run.freeze()));
        advanceTo(run, 1000);
        assertEquals(RunPhase.SCHEDULER_STARTING, run.state().phase());
        assertEquals(LiveRefusals.watchesNotUp(), refusal(run.arm("total_forks")));
        advanceTo(run, 1300);
        assertEquals(1, run.state().stepIndex());
        assertEquals("cpu", run.state().stepName());
        assertEquals(2, run.state().stepCount());
        advanceTo(run, 3400);
        assertEquals("pingpong", run.state().stepName());
        advanceTo(run, 10_000);

        LiveRunState end = run.finished().getNow(null);
        assertEquals(Optional.of(Verdict.PASSED), end.verdict());
        assertEquals(RunPhase.ENDED, end.phase());
        assertEquals(LiveRefusals.ended(), refusal(run.captureNow()));
        assertEquals(Optional.of(Verdict.PASSED), archive.runs().detail(run.runId()).orElseThrow().run().verdict());

        List<SnapshotInfo> periodic = archive.runs().snapshots(run.runId()).stream()
                .filter(s -> s.tag().startsWith("periodic_")).toList();
        assertEquals(7, periodic.size(), "every 500 ms over the 4 s of steps");
        for (int i = 0; i < periodic.size(); i++) {
            assertEquals(String.format("periodic_%03d", i), periodic.get(i).tag());
            assertEquals((1800 + 500L * i) * MS, periodic.get(i).atNanos());
        }
        assertEquals(List.of("cpu", "pingpong"), archived(run, Lane.STEPS).stream().map(RunEvent::text).toList());
        assertFalse(archived(run, Lane.CONSOLE).isEmpty());
        assertTrue(archived(run, Lane.SCHEDULER).stream().anyMatch(e -> e.kind().equals("stderr")));
        assertTrue(archived(run, Lane.STATS).size() > 20, "stats series");
        long first = streamed.getFirst().seq(); // what came before subscribing is in the archive only
        for (int i = 0; i < streamed.size(); i++) assertEquals(first + i, streamed.get(i).seq(), "in order, once");
        assertEquals(end.events() - 1, streamed.getLast().seq());
        assertEquals(end.events(), archive.runs().detail(run.runId()).orElseThrow().eventCount());
        assertTrue(states.getLast().ended());
    }

    @Test
    void aFreezeIsAHatchedSpanOfExactlyTheTimeHeldAndTheGuestsScriptWaitsForTheResume() throws Exception {
        FakeLiveRun run = FakeLiveRun.start(archive, FakeLiveRun.config(false), FakeScript.standard());
        advanceTo(run, 2000);
        assertEquals("Frozen; freeze_000 captured.", run.freeze().get());
        assertEquals(LiveRefusals.alreadyFrozen("freeze_000"), refusal(run.freeze()));
        assertEquals(LiveRefusals.unchangedSinceFreeze("freeze_000"), refusal(run.captureNow()));
        long stepsBefore = archived(run, Lane.STEPS).size();
        run.advance(Duration.ofMillis(1500));
        LiveRunState frozen = run.state();
        assertTrue(frozen.frozen());
        assertEquals(2000 * MS, frozen.frozenSinceNs());
        assertEquals(3500 * MS, frozen.elapsedNs());
        assertEquals("Resumed after 1.5 s frozen.", run.resume().get());
        assertEquals(LiveRefusals.notFrozen(), refusal(run.resume()));
        assertEquals(stepsBefore, archived(run, Lane.STEPS).size(), "nothing ran while frozen");

        advanceTo(run, 4799);
        assertEquals("cpu", run.state().stepName());
        advanceTo(run, 4800);
        assertEquals("pingpong", run.state().stepName(), "the second step starts 1.5 s late");
        assertEquals("manual_000", run.captureNow().get());

        List<RunEvent> lifecycle = archived(run, Lane.LIFECYCLE);
        RunEvent frozeAt = lifecycle.stream().filter(e -> e.kind().equals("frozen")).findFirst().orElseThrow();
        RunEvent resumedAt = lifecycle.stream().filter(e -> e.kind().equals("resumed")).findFirst().orElseThrow();
        assertEquals(2000 * MS, frozeAt.atNanos());
        assertEquals(3500 * MS, resumedAt.atNanos());
        JsonNode detail = JSON.readTree(resumedAt.detailJson());
        assertEquals(2000 * MS, detail.get("frozen_at_ns").asLong());
        assertEquals(1500 * MS, detail.get("frozen_ns").asLong());
        assertEquals("paused", detail.get("guest_clock").asText());
        assertTrue(archivedTags(run).containsAll(List.of("freeze_000", "manual_000")), archivedTags(run).toString());
    }

    @Test
    void armingUsesTheEnginesSlotsAndRefusalsAndAScriptedHitTakesAWatchSnapshot() throws Exception {
        FakeScript script = FakeScript.standard().withHits("total_forks", 1500, 1, 0);
        FakeLiveRun run = FakeLiveRun.start(archive, FakeLiveRun.config(false, "total_forks"), script);
        advanceTo(run, 1250);
        List<WatchSlotState> slots = run.state().slots();
        assertEquals(WatchSlotState.State.ARMED, slots.get(0).state());
        assertEquals("scx_root->exit_kind", slots.get(0).label());
        assertEquals(new WatchSlotState(1, WatchSlotState.State.ARMED, "total_forks",
                "write, 8 bytes at 0xffffffff83a00010", 0, 0), slots.get(1));

        assertTrue(refusal(run.arm("schedule")).startsWith("schedule is a function"));
        assertTrue(refusal(run.arm("runqueues")).startsWith("runqueues is a per-CPU variable"));
        assertTrue(refusal(run.arm("total_forks+4:8")).contains("must be 8-byte aligned"));
        assertEquals("armed slot 2: nr_threads (write, 4 bytes at 0xffffffff83a00018)", run.arm("nr_threads").get());
        assertTrue(run.arm("big_struct").get().startsWith("armed slot 3: big_struct"));
        assertTrue(refusal(run.arm("jiffies_64")).startsWith("All 3 user watch slots are in use (1: total_forks, "
                + "2: nr_threads, 3: big_struct)"));

        advanceTo(run, 1600);
        WatchSlotState hit = run.state().slots().get(1);
        assertEquals(1, hit.hits());
        assertEquals(1, hit.snapshots());
        assertTrue(archivedTags(run).contains("watch:total_forks"), archivedTags(run).toString());

        assertEquals("disarmed slot 1: total_forks after 1 hit (1 with a snapshot)", run.disarm(1).get());
        assertEquals(WatchSlotState.State.DISARMED, run.state().slots().get(1).state());
        assertTrue(refusal(run.disarm(0)).startsWith("Slot 0 is the scheduler-error trigger"));
        assertTrue(archived(run, Lane.WATCHPOINTS).stream().anyMatch(e -> e.kind().equals("refused")),
                "refusals are events too");
    }

    @Test
    void aHotWatchIsDisarmedAfter21HitsWithinOneSecond() throws Exception {
        FakeScript script = FakeScript.standard().withHits("jiffies_64", 1500, 21, 40);
        FakeLiveRun run = FakeLiveRun.start(archive, FakeLiveRun.config(false, "jiffies_64"), script);
        advanceTo(run, 1499);
        assertEquals(WatchSlotState.State.ARMED, run.state().slots().get(1).state());
        advanceTo(run, 2400);
        WatchSlotState slot = run.state().slots().get(1);
        assertEquals(WatchSlotState.State.AUTO_DISARMED, slot.state(), slot.toString());
        assertEquals(21, slot.hits());
        assertEquals(10, slot.snapshots(), "only the first 10 hits of a watch get a snapshot");
    }

    @Test
    void freezeOnEnableHoldsTheGuestWithTheWatchesAlreadyArmedAndStopResumesFirst() throws Exception {
        FakeLiveRun run = FakeLiveRun.start(archive, FakeLiveRun.config(true, "total_forks"),
                FakeScript.standard());
        advanceTo(run, 5000);
        LiveRunState held = run.state();
        assertTrue(held.frozen());
        assertEquals(1200 * MS, held.frozenSinceNs());
        assertEquals(RunPhase.SCHEDULER_ENABLED, held.phase(), "the workload waits for the resume");
        assertEquals(WatchSlotState.State.ARMED, held.slots().get(1).state());
        assertTrue(run.arm("nr_threads").get().startsWith("armed slot 2"), "arming works while stopped");

        List<RunEvent> lifecycle = archived(run, Lane.LIFECYCLE);
        long frozenSeq = lifecycle.stream().filter(e -> e.kind().equals("frozen")).findFirst().orElseThrow().seq();
        long armedSeq = archived(run, Lane.WATCHPOINTS).getFirst().seq();
        assertTrue(armedSeq < frozenSeq, "armed before the freeze");

        run.stop("stopped by the user");
        LiveRunState end = run.finished().getNow(null);
        assertEquals(Optional.of(Verdict.INCONCLUSIVE), end.verdict());
        assertEquals("stopped by the user", end.reason());
        assertFalse(end.frozen());
        List<String> kinds = archived(run, Lane.LIFECYCLE).stream().map(RunEvent::kind).toList();
        assertTrue(kinds.indexOf("resumed") >= 0 && kinds.indexOf("resumed") < kinds.indexOf("verdict"),
                kinds.toString());
    }

    @Test
    void aFailingScriptEndsWithTheErrorSnapshotAndSlot0Fired() {
        FakeLiveRun run = FakeLiveRun.start(archive, FakeLiveRun.config(false),
                FakeScript.standard().failingAt(2600, "scx_bpf_error: test triggering error"));
        advanceTo(run, 5000);
        LiveRunState end = run.state();
        assertEquals(Optional.of(Verdict.SCHEDULER_FAILED), end.verdict());
        assertEquals(WatchSlotState.State.DISARMED, end.slots().get(0).state());
        assertEquals(1, end.slots().get(0).snapshots());
        assertTrue(archivedTags(run).contains("error"));
    }

    @Test
    void playedInRealTimeTheScriptRunsToItsVerdictOnItsOwn() throws Exception {
        FakeLiveRun run = FakeLiveRun.start(archive, FakeLiveRun.config(false), FakeScript.standard());
        run.playInRealTime(20); // the 5.7 s script in about 0.3 s
        LiveRunState end = run.finished().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(Optional.of(Verdict.PASSED), end.verdict());
        assertTrue(end.elapsedNs() >= 5_700 * MS, "the clock ran through the script: " + end.elapsedNs());
    }

    @Test
    void theKallsymsFixtureHasTwoThousandSymbolsWithTheOnesTheUiTestsUse() {
        var symbols = FakeKernel.symbols();
        assertEquals(FakeKernel.SYMBOL_COUNT, symbols.size());
        for (String name : List.of("total_forks", "jiffies_64", "schedule", "runqueues")) {
            assertTrue(symbols.resolve(name).isPresent(), name);
        }
        assertEquals(FakeKernel.TOTAL_FORKS, symbols.resolve("total_forks").orElseThrow().address());
    }
}
