package dev.freezeframe.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.live.LiveRefusals;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.kit.Kit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's live run without a guest: a backend that holds the boot until the test lets it fail, so the run sits in
 * BOOTING. Refusals before SYS_RDY and after the end, a stop before the guest is up, and what reaches the archive.
 */
class LocalLiveRunTest {
    @TempDir
    Path dir;

    /** Blocks in start() until released, then fails as a missing QEMU would. */
    private static final class HeldBackend implements VmBackend {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String name() {
            return "held";
        }

        @Override
        public RunningVm start(VmSpec spec) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new VmmException(VmmException.Kind.BAD_SPEC, "No VM in this test.");
        }
    }

    private Kit kit() throws Exception {
        Path kitDir = Files.createDirectories(dir.resolve("kit"));
        Files.writeString(kitDir.resolve(Kit.LOCK_FILE), """
                {"formatVersion":1,"kitVersion":2,"kernelVersion":"7.3.4-test","kernelOrigin":"test",
                 "createdAt":"2026-12-07T00:00:00Z","packages":[],"hostPackages":{},"artifacts":{},
                 "agentSourceSha256":"0","schedulers":{"scx_qmap":"/sbin/scx_qmap"}}""");
        Files.write(kitDir.resolve(Kit.BZIMAGE), new byte[] {1});
        Files.write(kitDir.resolve(Kit.BASE_INITRAMFS), new byte[] {1});
        return Kit.load(kitDir);
    }

    private static String refusal(CompletableFuture<String> control) throws Exception {
        try {
            throw new AssertionError("expected a refusal, got: " + control.get(10, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            assertInstanceOf(CoordinatorException.class, e.getCause());
            return e.getCause().getMessage();
        }
    }

    private LocalLiveRun start(HeldBackend backend) throws Exception {
        RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu", 2, 1024, "kit", 2, List.of());
        return LocalLiveRun.start(config, kit(), ScenarioLoader.load("cpu"), dir.resolve("archive.db"), backend,
                new LocalLiveRun.Options(RunFold.Limits.DEFAULT, WatchPolicy.DEFAULT, Optional.empty()));
    }

    @Test
    void beforeSysRdyEveryControlIsRefusedAndAStopEndsTheRunInconclusive() throws Exception {
        HeldBackend backend = new HeldBackend();
        LocalLiveRun run = start(backend);
        List<RunEvent> streamed = new CopyOnWriteArrayList<>();
        run.onEvents(streamed::addAll);
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            assertTrue(archive.runs().detail(run.runId()).isPresent(), "the run's row exists before the boot");
        }
        LiveRunState booting = run.state();
        assertEquals(RunPhase.BOOTING, booting.phase());
        assertEquals(1, booting.stepCount());
        assertEquals(List.of(WatchSlotState.free(0), WatchSlotState.free(1), WatchSlotState.free(2),
                WatchSlotState.free(3)), booting.slots());
        assertEquals(LiveRefusals.notReady(), refusal(run.freeze()));
        assertEquals(LiveRefusals.notReady(), refusal(run.resume()));
        assertEquals(LiveRefusals.notReady(), refusal(run.captureNow()));
        assertEquals(LiveRefusals.notReady(), refusal(run.arm("total_forks")));
        assertEquals(LiveRefusals.notReady(), refusal(run.disarm(1)));

        run.stop("stopped by the user");
        assertEquals(LiveRefusals.ended(), refusal(run.freeze()), "a stopping run takes no more controls");
        // the stop reaches the run loop on its own thread: only once it has decided may the boot fail, or the
        // failure (verdict error) could be folded first
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (streamed.stream().noneMatch(e -> e.kind().equals("verdict"))) {
            if (System.nanoTime() > deadline) throw new AssertionError("the stop never reached the run: " + streamed);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        backend.release.countDown();
        LiveRunState end = run.finished().get(60, TimeUnit.SECONDS);
        assertEquals(Optional.of(Verdict.INCONCLUSIVE), end.verdict());
        assertEquals("stopped by the user", end.reason());
        assertEquals(RunPhase.ENDED, end.phase());
        assertEquals(LiveRefusals.ended(), refusal(run.captureNow()));
        assertTrue(streamed.stream().anyMatch(e -> e.kind().equals("verdict")), "the verdict was streamed");
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            var row = archive.runs().detail(run.runId()).orElseThrow();
            assertEquals(Optional.of(Verdict.INCONCLUSIVE), row.run().verdict());
            assertEquals(end.events(), row.eventCount());
        }
    }

    @Test
    void aVmThatDoesNotStartEndsInErrorWithItsReason() throws Exception {
        HeldBackend backend = new HeldBackend();
        backend.release.countDown();
        LocalLiveRun run = start(backend);
        LiveRunState end = run.finished().get(60, TimeUnit.SECONDS);
        assertEquals(Optional.of(Verdict.ERROR), end.verdict());
        assertTrue(end.reason().contains("No VM in this test."), end.reason());
        assertEquals(end.events() - 1, end.committedSeq(), "everything committed");
    }

    @Test
    void aPlainRunRefusesForkableCapturesAndAForkOfAnUnknownSnapshotIsRefusedBeforeAnythingIsRecorded()
            throws Exception {
        HeldBackend backend = new HeldBackend();
        LocalLiveRun parent = start(backend);
        assertEquals(false, parent.forkable());
        assertEquals(dev.freezeframe.coordinator.live.LiveRun.NOT_FORKABLE, refusal(parent.captureForkable()));

        RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu", 2, 1024, "kit", 1, List.of());
        var refused = org.junit.jupiter.api.Assertions.assertThrows(dev.freezeframe.app.AppException.class,
                () -> LocalLiveRun.startFork(parent.runId(), "periodic_000", config, kit(),
                        ScenarioLoader.load("cpu"), dir.resolve("archive.db"), backend,
                        new LocalLiveRun.Options(RunFold.Limits.DEFAULT, WatchPolicy.DEFAULT, Optional.empty())
                                .withForkable(true)));
        assertEquals("Run " + parent.runId() + " has no snapshot 'periodic_000'.", refused.getMessage());
        assertTrue(refused.isUsageError());
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            assertEquals(1, archive.runs().list(dev.freezeframe.persistence.RunFilter.ALL).size(),
                    "a refused fork leaves no run behind");
            assertTrue(archive.forkLinks().isEmpty());
        }
        parent.stop("test over");
        backend.release.countDown();
        parent.finished().handle((state, failure) -> null).get(60, TimeUnit.SECONDS);
    }
}
