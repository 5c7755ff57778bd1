package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.wire.FrameEncoder;
import dev.freezeframe.coordinator.wire.SnapshotRequestKind;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.Console;
import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.WatchHitListener;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "no lost error", for the actions the run session carries out on the VM: a stop the VMM refuses, a snapshot
 * answer that cannot reach the guest, an action that fails in an unforeseen way. The real session, loop and fold; the
 * VM is an in-process guest whose operations fail the way a VMM's can (QEMU itself cannot be made to refuse a kill),
 * and whose data channel carries frames the test writes as the agent would.
 */
class RunSessionFailuresTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60); // generous: a loaded machine

    private final ScriptedVm vm = new ScriptedVm();
    private final List<RunEvent> events = new CopyOnWriteArrayList<>();
    private final RunSession session = new RunSession(new ScriptedBackend(vm), RunFold.Limits.DEFAULT,
            RunSession.CaptureFactory.NONE);
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void end() {
        vm.exit.complete(new VmExit.Killed(VmExit.KillReason.CLOSED));
        runner.shutdownNow();
    }

    private Future<RunOutcome> start() {
        VmSpec spec = VmSpec.builder().kernel(Path.of("bzImage")).memoryMiB(256).dataChannel(true).build();
        return runner.submit(() -> session.run(spec, "test run", events::add));
    }

    private RunEvent awaitEvent(String kind) throws InterruptedException {
        return awaitEvent(e -> e.kind().equals(kind), kind);
    }

    private RunEvent awaitEvent(Predicate<RunEvent> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RunEvent> found = events.stream().filter(wanted).findFirst();
            if (found.isPresent()) return found.get();
            Thread.sleep(5);
        }
        throw new AssertionError("no " + what + " event in " + events);
    }

    @Test
    void aStopTheVmmRefusesIsARunEventAndTheRunStillEndsWithItsVerdict() throws Exception {
        vm.killFailure = new VmmException(VmmException.Kind.CONTROL_FAILED, "QEMU did not answer 'quit' in time");
        Future<RunOutcome> outcome = start();
        awaitEvent("vm_started");
        session.cancel("stopped by the user");

        RunEvent failed = awaitEvent("stop_failed");
        assertEquals(Lane.HARNESS, failed.lane());
        assertEquals("the VM could not be stopped: QEMU did not answer 'quit' in time", failed.text());
        assertEquals(1, vm.kills, "the stop was tried");
        // the VM ends by itself later: the run keeps its verdict and everything recorded
        vm.exit.complete(new VmExit.Exited(0, dev.freezeframe.vmm.ShutdownCause.GUEST_POWEROFF, ""));
        VerdictDecision decision = outcome.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).decision();
        assertEquals(Verdict.INCONCLUSIVE, decision.verdict(), decision.reason());
        assertEquals("stopped by the user", decision.reason());
        assertTrue(events.indexOf(failed) < events.indexOf(awaitEvent("vm_ended")), events.toString());
    }

    @Test
    void anAnswerThatCannotReachTheGuestIsARunEvent() throws Exception {
        vm.writeFailure = () -> new IOException("the host-to-guest ring is full");
        Future<RunOutcome> outcome = start();
        awaitEvent("vm_started");
        vm.guestSends(new WireMessage.SysReady());
        vm.guestSends(new WireMessage.SnapshotRequest(7, SnapshotRequestKind.CAPTURE, "mid"));

        RunEvent failed = awaitEvent("reply_failed");
        assertEquals(Lane.SNAPSHOTS, failed.lane());
        assertEquals("the answer to snapshot request 'mid' could not be sent to the guest: the host-to-guest ring is"
                + " full", failed.text());
        // the request itself was declined visibly (this run has no capture engine), before the reply failed
        assertTrue(events.indexOf(awaitEvent("refused")) < events.indexOf(failed), events.toString());
        session.cancel("test over");
        vm.exit.complete(new VmExit.Killed(VmExit.KillReason.REQUESTED));
        assertEquals(Verdict.INCONCLUSIVE, outcome.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).decision().verdict());
    }

    @Test
    void anActionThatFailsUnforeseenIsARunEventNotOnlyALogLine() throws Exception {
        vm.writeFailure = () -> new IllegalStateException("ring index out of range");
        Future<RunOutcome> outcome = start();
        awaitEvent("vm_started");
        vm.guestSends(new WireMessage.SysReady());
        vm.guestSends(new WireMessage.SnapshotRequest(8, SnapshotRequestKind.CAPTURE, "late"));

        RunEvent failed = awaitEvent("action_failed");
        assertEquals(Lane.HARNESS, failed.lane());
        assertEquals("a run action failed: ring index out of range", failed.text());
        session.cancel("test over");
        vm.exit.complete(new VmExit.Killed(VmExit.KillReason.REQUESTED));
        assertEquals(Verdict.INCONCLUSIVE, outcome.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).decision().verdict());
    }

    /** How a failing write fails: a checked {@link IOException} or any unchecked exception. */
    @FunctionalInterface
    private interface WriteFailure {
        Exception make();
    }

    private record ScriptedBackend(ScriptedVm vm) implements VmBackend {
        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public RunningVm start(VmSpec spec) {
            return vm;
        }
    }

    /** A guest in the test's hands: its channel bytes come from {@link #guestSends}; kill and writes fail on demand. */
    private static final class ScriptedVm implements RunningVm {
        private static final byte[] END = new byte[0];
        final CompletableFuture<VmExit> exit = new CompletableFuture<>();
        final BlockingQueue<byte[]> fromGuest = new LinkedBlockingQueue<>();
        volatile RuntimeException killFailure;
        volatile WriteFailure writeFailure;
        volatile int kills;

        ScriptedVm() {
            exit.whenComplete((e, t) -> fromGuest.add(END)); // the channel ends with the VM
        }

        void guestSends(WireMessage message) {
            fromGuest.add(FrameEncoder.encode(message));
        }

        private final InputStream in = new InputStream() {
            private byte[] current = new byte[0];
            private int at;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    while (at == current.length) {
                        if (current == END) return -1;
                        current = fromGuest.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                        if (current == null) throw new IOException("no guest bytes for " + DEADLINE.toSeconds() + " s");
                        at = 0;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                int n = Math.min(len, current.length - at);
                System.arraycopy(current, at, b, off, n);
                at += n;
                return n;
            }
        };

        private final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                WriteFailure failure = writeFailure;
                if (failure == null) return;
                Exception e = failure.make();
                if (e instanceof IOException io) throw io;
                throw (RuntimeException) e;
            }
        };

        private final DataChannel channel = new DataChannel() {
            @Override
            public InputStream fromGuest() {
                return in;
            }

            @Override
            public OutputStream toGuest() {
                return out;
            }

            @Override
            public boolean guestAttached() {
                return true;
            }

            @Override
            public long bytesFromGuest() {
                return 0;
            }

            @Override
            public long bytesToGuest() {
                return 0;
            }
        };

        @Override
        public VmExit kill() {
            kills++;
            RuntimeException failure = killFailure;
            if (failure != null) throw failure;
            VmExit killed = new VmExit.Killed(VmExit.KillReason.REQUESTED);
            exit.complete(killed);
            return exit.getNow(killed);
        }

        @Override
        public Optional<DataChannel> dataChannel() {
            return Optional.of(channel);
        }

        @Override
        public Console console() {
            return new Console() {
                @Override
                public Subscription subscribe(Consumer<ConsoleLine> listener) {
                    return () -> { };
                }

                @Override
                public List<ConsoleLine> lines() {
                    return List.of();
                }

                @Override
                public long droppedFromHistory() {
                    return 0;
                }

                @Override
                public CompletableFuture<Void> ended() {
                    return exit.thenApply(e -> null);
                }

                @Override
                public Optional<ConsoleLine> awaitLine(Predicate<String> predicate, Duration timeout) {
                    return Optional.empty();
                }
            };
        }

        @Override
        public AcceleratorDetector.Decision accelerator() {
            return new AcceleratorDetector.Decision(dev.freezeframe.vmm.Accelerator.TCG, "scripted");
        }

        @Override
        public CompletableFuture<VmExit> exit() {
            return exit;
        }

        @Override
        public Optional<VmExit> awaitExit(Duration timeout) throws InterruptedException {
            try {
                return Optional.of(exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                return Optional.empty();
            }
        }

        @Override
        public VmExit shutdown() {
            return kill();
        }

        @Override
        public VmSpec spec() {
            throw new UnsupportedOperationException("not used by the session");
        }

        @Override
        public GuestMemory memory() {
            throw new UnsupportedOperationException("no memory in this test");
        }

        @Override
        public VmRunState runState() {
            throw new UnsupportedOperationException("not used by the session");
        }

        @Override
        public FrozenVm freeze() {
            throw new UnsupportedOperationException("no freezes in this test");
        }

        @Override
        public Set<WatchKind> supportedWatchKinds() {
            return Set.of();
        }

        @Override
        public void arm(Watchpoint watchpoint) {
            throw new UnsupportedOperationException("no watches in this test");
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
        public void close() {
        }
    }
}
