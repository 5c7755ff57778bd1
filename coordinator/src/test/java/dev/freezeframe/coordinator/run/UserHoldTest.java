package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.capture.SnapshotCapturer;
import dev.freezeframe.coordinator.capture.SnapshotStore;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.testing.SyntheticVmlinux;
import dev.freezeframe.coordinator.live.LiveRefusals;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.Console;
import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VcpuRegisters;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.WatchHitListener;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The user's hold on a run's guest, on a fake VM and a fake clock: tags, refusals and the span's exact ends. */
class UserHoldTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private final List<SnapshotRecord> archived = new CopyOnWriteArrayList<>();
    private final FakeVm vm = new FakeVm();
    private final RunLoop loop = new RunLoop(new RunFold(RunFold.Limits.DEFAULT), events::add, action -> { },
            clock::get, Duration.ofMillis(5));
    private RunCaptures captures;
    private volatile boolean archiveFails;

    private UserHold hold() {
        loop.start("test run");
        captures = new RunCaptures(new SnapshotCapturer(new KernelTypes(SyntheticVmlinux.build()), 1),
                CapturePlan.NONE, new SnapshotStore(), record -> {
                    if (archiveFails) throw new IllegalStateException("disk full");
                    archived.add(record);
                }, loop);
        captures.start(vm);
        return captures.userHold();
    }

    @AfterEach
    void stop() {
        if (captures != null) captures.stop();
        loop.submit(new RunInput.Cancel("test over"));
    }

    private RunEvent awaitEvent(String kind) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000 * MS; // generous: a loaded machine
        while (System.nanoTime() < deadline) {
            Optional<RunEvent> found = events.stream().filter(e -> e.kind().equals(kind)).findFirst();
            if (found.isPresent()) return found.get();
            Thread.sleep(5);
        }
        throw new AssertionError("no " + kind + " event in " + events);
    }

    /** Issue 12, "no lost error": a captured snapshot the archive rejects is an event and leaves the record incomplete. */
    @Test
    void aSnapshotTheArchiveRejectsIsAnEventAndTheOutcomeSaysTheRecordIsIncomplete() throws Exception {
        archiveFails = true;
        UserHold hold = hold();
        assertEquals("freeze_000", hold.freeze().tag());
        hold.resume();
        RunEvent failed = awaitEvent(RunLoop.ARCHIVE_FAILED);
        assertTrue(failed.text().startsWith("snapshot freeze_000 was captured but could not be archived: disk full"),
                failed.text());
        loop.submit(new RunInput.VmEnded(new VmEnd("the VMM crashed (signal 9)")));
        String reason = loop.outcome().get(60, TimeUnit.SECONDS).decision().reason();
        assertTrue(reason.endsWith("(the record is incomplete: 1 snapshot could not be archived: snapshot freeze_000"
                + " was captured but could not be archived: disk full)"), reason);
    }

    @Test
    void aHoldKeepsTheGuestStoppedCapturesFreezeNnnAndRecordsTheSpanWhereItReallyBeganAndEnded() throws Exception {
        UserHold hold = hold();
        assertFalse(hold.frozen());
        assertEquals(LiveRefusals.notFrozen(), assertThrows(CoordinatorException.class, hold::resume).getMessage());

        vm.stoppedFor = 40 * MS; // the vCPUs stopped 40 ms before freeze() returned
        clock.set(3_000 * MS);
        SnapshotRecord first = hold.freeze();
        assertEquals("freeze_000", first.tag());
        assertEquals(SnapshotKind.REQUESTED, first.kind());
        assertEquals(List.of("freeze_000"), archived.stream().map(SnapshotRecord::tag).toList());
        assertTrue(hold.frozen());
        assertEquals(1, vm.open.get(), "the stop is held");
        long start = (3_000 - 1_000 - 40) * MS;
        assertEquals(start, hold.frozenSinceNs());
        assertEquals(LiveRefusals.alreadyFrozen("freeze_000"),
                assertThrows(CoordinatorException.class, hold::freeze).getMessage());

        clock.set(8_000 * MS);
        assertEquals(5_040 * MS, hold.heldNanos());
        assertEquals(5_040 * MS, hold.resume());
        assertEquals(0, vm.open.get(), "the guest runs again");
        assertFalse(hold.frozen());

        RunEvent frozen = awaitEvent("frozen");
        RunEvent resumed = awaitEvent("resumed");
        assertEquals(start, frozen.atNanos());
        assertEquals(7_000 * MS, resumed.atNanos());
        assertEquals("{\"frozen_at_ns\":" + start + ",\"frozen_ns\":" + 5_040 * MS
                + ",\"guest_clock\":\"paused\",\"tag\":\"freeze_000\"}", resumed.detailJson());

        vm.stoppedFor = 0;
        assertEquals("freeze_001", hold.freeze().tag());
        clock.addAndGet(1_000 * MS);
        assertEquals(6_040 * MS, hold.heldNanos(), "the time held adds up over holds");
        hold.release();
        assertFalse(hold.frozen());
        hold.release(); // nothing held: nothing happens
    }

    /** Counts open stops; the first handle's stop began {@code stoppedFor} before it was returned. */
    private static final class FakeVm implements RunningVm {
        final AtomicInteger open = new AtomicInteger();
        volatile long stoppedFor;

        @Override
        public FrozenVm freeze() {
            open.incrementAndGet();
            long since = stoppedFor;
            return new FrozenVm() {
                private boolean closed;

                @Override
                public List<VcpuRegisters> vcpus() {
                    throw new UnsupportedOperationException("no registers in this test");
                }

                @Override
                public VcpuRegisters vcpu(int index) {
                    throw new UnsupportedOperationException("no registers in this test");
                }

                @Override
                public GuestMemory memory() {
                    throw new UnsupportedOperationException("no memory in this test");
                }

                @Override
                public Duration timeToStop() {
                    return Duration.ZERO;
                }

                @Override
                public Duration duration() {
                    return Duration.ofNanos(since);
                }

                @Override
                public synchronized boolean isOpen() {
                    return !closed;
                }

                @Override
                public synchronized void close() {
                    if (!closed) open.decrementAndGet();
                    closed = true;
                }
            };
        }

        @Override
        public VmSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public AcceleratorDetector.Decision accelerator() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Console console() {
            throw new UnsupportedOperationException();
        }

        @Override
        public GuestMemory memory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<DataChannel> dataChannel() {
            return Optional.empty();
        }

        @Override
        public VmRunState runState() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<WatchKind> supportedWatchKinds() {
            return Set.of();
        }

        @Override
        public void arm(Watchpoint watchpoint) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean disarm(Watchpoint watchpoint) {
            return false;
        }

        @Override
        public List<Watchpoint> armedWatchpoints() {
            return List.of();
        }

        @Override
        public void setWatchHitListener(WatchHitListener listener) {
        }

        @Override
        public VmExit shutdown() {
            throw new UnsupportedOperationException();
        }

        @Override
        public VmExit kill() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<VmExit> exit() {
            return new CompletableFuture<>();
        }

        @Override
        public Optional<VmExit> awaitExit(Duration timeout) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
