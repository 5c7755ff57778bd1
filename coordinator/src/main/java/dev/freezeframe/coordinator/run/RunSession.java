package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.metrics.GroupLayout;
import dev.freezeframe.coordinator.scenario.Expectation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.wire.AssemblerStats;
import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.DispatchCounts;
import dev.freezeframe.coordinator.wire.DispatchOutcome;
import dev.freezeframe.coordinator.wire.Dispatcher;
import dev.freezeframe.coordinator.wire.Frame;
import dev.freezeframe.coordinator.wire.FrameAssembler;
import dev.freezeframe.coordinator.wire.FrameEncoder;
import dev.freezeframe.coordinator.wire.SnapshotStatus;
import dev.freezeframe.coordinator.wire.VerdictEntry;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one run end to end: boots the guest, feeds its console and its framed data channel into the {@link RunLoop},
 * carries out the loop's actions (stop the VM, answer snapshot requests) and returns the outcome once the verdict has
 * settled. Whatever fails, the run still ends with a verdict, and every event before the failure has reached the sink.
 */
public final class RunSession {
    private static final Logger LOG = LoggerFactory.getLogger(RunSession.class);
    private static final Duration TICK = Duration.ofMillis(250);
    private static final int READ_CHUNK = 64 * 1024;
    private static final ObjectMapper DETAIL_JSON = new ObjectMapper();

    /** Makes the run's capture engine once its loop exists; empty when the run takes no snapshots at all. */
    @FunctionalInterface
    public interface CaptureFactory {
        Optional<RunCaptures> create(RunLoop loop);

        CaptureFactory NONE = loop -> Optional.empty();
    }

    private final VmBackend backend;
    private final RunFold.Limits limits;
    private final CaptureFactory captureFactory;
    private final List<Expectation> expectations;
    private final GroupLayout groups;
    private volatile RunLoop current;
    private volatile RunCaptures captures;
    private volatile String cancelled;

    public RunSession(VmBackend backend, RunFold.Limits limits, CaptureFactory captureFactory) {
        this(backend, limits, List.of(), captureFactory);
    }

    /** @param expectations the scenario's assertions on workload metrics, checked when the run would pass */
    public RunSession(VmBackend backend, RunFold.Limits limits, List<Expectation> expectations,
                      CaptureFactory captureFactory) {
        this(backend, limits, expectations, GroupLayout.NONE, captureFactory);
    }

    /** @param groups the scenario's cgroups, which name and weigh the workers placed in them */
    public RunSession(VmBackend backend, RunFold.Limits limits, List<Expectation> expectations, GroupLayout groups,
                      CaptureFactory captureFactory) {
        this.groups = groups;
        this.backend = backend;
        this.limits = limits;
        this.expectations = List.copyOf(expectations);
        this.captureFactory = captureFactory;
    }

    /** The run's event loop once {@link #run} has started it (its status, its clock). */
    public Optional<RunLoop> loop() {
        return Optional.ofNullable(current);
    }

    /** The running capture engine (live snapshots, watchpoints), once the VM is up. */
    public Optional<RunCaptures> captures() {
        return Optional.ofNullable(captures);
    }

    /** Runs the guest described by {@code spec} to its verdict, booting it cold; blocks until then. */
    public RunOutcome run(VmSpec spec, String description, RunEventSink sink) {
        return run(new GuestBoot.Cold(spec), description, sink);
    }

    /** Runs the guest to its verdict, from a boot template where {@code boot} asks for one; blocks until then. */
    public RunOutcome run(GuestBoot boot, String description, RunEventSink sink) {
        ExecutorService actions = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("run-actions")
                .daemon(true).factory());
        Wiring wiring = new Wiring();
        RunLoop loop = new RunLoop(new RunFold(limits, expectations, groups), sink, action -> actions.execute(() -> wiring.act(action)),
                System::nanoTime, TICK);
        wiring.loop = loop;
        current = loop;
        loop.start(description);
        String early = cancelled;
        if (early != null) loop.submit(new RunInput.Cancel(early)); // stopped before the loop existed
        try {
            RunningVm vm;
            try {
                vm = switch (boot) {
                    case GuestBoot.Cold cold -> backend.start(cold.spec());
                    case GuestBoot.FromTemplate templated -> TemplateBoot.start(backend, templated, loop::submit);
                    case GuestBoot.Fork fork -> {
                        byte[] parent = ForkBoot.channelLog(fork);
                        RunningVm restored = ForkBoot.restore(backend, fork);
                        RunInput.ForkReplay replay = wiring.replay(parent, fork.from());
                        wiring.forkedRequest = ForkBoot.pendingRequest(replay, fork.tag()).orElse(null);
                        loop.submit(replay); // before the reader: the parent's bytes first
                        yield restored;
                    }
                };
            } catch (VmmException e) {
                LOG.warn("VM did not start", e);
                loop.submit(new RunInput.HarnessFailure(e.getMessage()));
                loop.submit(new RunInput.VmEnded(new VmEnd("the VM did not start")));
                return await(loop);
            }
            try (vm) {
                wiring.vm = vm;
                wiring.answerForkedRequest();
                if (boot instanceof GuestBoot.Fork fork) wiring.sendForkPlan(fork);
                captures = captureFactory.create(loop).orElse(null);
                if (captures != null) {
                    byte[] earlier = wiring.replayed;
                    captures.forkable().ifPresent(keeping -> vm.dataChannel()
                            .ifPresent(channel -> wiring.log = keeping.recordChannel(channel, earlier)));
                    if (boot instanceof GuestBoot.Fork) holdForkUntilItsFirstSnapshot(vm, captures);
                    captures.start(vm);
                }
                loop.submit(new RunInput.HarnessNote(Lane.LIFECYCLE, "vm_started", backend.name() + " started the guest"
                        + " (" + vm.accelerator().accelerator().name().toLowerCase() + ")", null));
                var console = vm.console().subscribe(line -> loop.submit(new RunInput.ConsoleLine(line.text())));
                Thread reader = vm.dataChannel()
                        .map(channel -> Thread.ofPlatform().name("channel-reader").daemon(true)
                                .start(() -> wiring.readFrames(channel)))
                        .orElse(null);
                Thread.ofPlatform().name("vm-exit").daemon(true).start(() -> {
                    // no deadline: this thread watches the VM, which always ends (the session closes it at the latest)
                    VmExit exit = vm.exit().join();
                    joinQuietly(reader);
                    console.close();
                    wiring.noteDispatchTotals();
                    // a stop asked while the VM went down (Ctrl-C: the VMM's own shutdown hook kills QEMU at the same
                    // time) is the reason it ended: it goes first, so the verdict says so
                    String stop = cancelled;
                    if (stop != null) loop.submit(new RunInput.Cancel(stop));
                    loop.submit(new RunInput.VmEnded(new VmEnd(exit.describe())));
                });
                return await(loop);
            } finally {
                if (captures != null) captures.stop();
            }
        } finally {
            actions.shutdownNow();
        }
    }

    /** A fork's guest stays stopped until its first snapshot shows the instant it was forked from. */
    private static void holdForkUntilItsFirstSnapshot(RunningVm vm, RunCaptures captures) {
        try {
            captures.releaseAfterStart(vm.freeze());
        } catch (VmmException e) {
            LOG.warn("the fork's guest could not be held for its first snapshot: {}", e.getMessage());
        }
    }

    /** Ends the run in progress with an inconclusive verdict; the VM is stopped and everything recorded is kept. */
    public void cancel(String reason) {
        cancelled = reason;
        RunLoop loop = current;
        if (loop != null) loop.submit(new RunInput.Cancel(reason));
    }

    private static RunOutcome await(RunLoop loop) {
        try {
            // no deadline: the loop settles by itself (the watchdog and the settle timeout bound the run)
            return loop.outcome().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run to end", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the run loop failed", e.getCause());
        }
    }

    private static void joinQuietly(Thread thread) {
        if (thread == null) return;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Connects the loop to one VM: the frame reader, the action executor, the host → guest writer. */
    private final class Wiring {
        private final FrameAssembler assembler = new FrameAssembler();
        private final Dispatcher dispatcher = new Dispatcher();
        private volatile RunLoop loop;
        private volatile RunningVm vm;
        private volatile boolean corruptionNoted;
        private volatile String broken;
        private volatile ChannelLog log;
        /** A fork's parent's channel bytes, which its own log starts with. */
        private volatile byte[] replayed = new byte[0];
        /** The guest's own snapshot request a fork's state was frozen in, still to be answered; or null. */
        private volatile WireMessage.SnapshotRequest forkedRequest;

        /** Decodes a parent's channel bytes with this run's assembler, so the live bytes continue its frames. */
        RunInput.ForkReplay replay(byte[] parentBytes, String from) {
            replayed = parentBytes;
            return new RunInput.ForkReplay(ordered(dispatcher.dispatch(assembler.push(parentBytes, 0,
                    parentBytes.length))), from);
        }

        void readFrames(DataChannel channel) {
            byte[] buffer = new byte[READ_CHUNK];
            try (InputStream in = channel.fromGuest()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        ChannelLog recording = log;
                        if (recording != null) recording.append(buffer, 0, n);
                        submit(dispatcher.dispatch(assembler.push(buffer, 0, n)));
                        if (!corruptionNoted && corrupted()) {
                            corruptionNoted = true;
                            loop.submit(channelCorrupt());
                        }
                    }
                }
            } catch (VmmException e) {
                LOG.info("data channel closed: {}", e.getMessage());
                if (e.kind() == VmmException.Kind.CHANNEL_CORRUPT) {
                    // the guest (root there) broke the ring itself: nothing more can come through it
                    corruptionNoted = true;
                    broken = "the channel stopped: " + e.getMessage();
                    loop.submit(channelCorrupt());
                }
            } catch (IOException e) {
                LOG.info("data channel closed: {}", e.getMessage());
            }
            submit(dispatcher.dispatch(assembler.finish()));
        }

        private boolean corrupted() {
            AssemblerStats stats = assembler.stats();
            return stats.garbageBytes() > 0 || stats.crcFailures() > 0 || dispatcher.totals().total() > 0;
        }

        private RunInput.ChannelCorrupt channelCorrupt() {
            AssemblerStats stats = assembler.stats();
            return new RunInput.ChannelCorrupt(stats.garbageBytes(), stats.crcFailures(), dispatcher.totals().total(),
                    broken);
        }

        /** Reports and signals interleave in frame order, so the fold sees the guest's own sequence. */
        private void submit(DispatchOutcome outcome) {
            for (RunInput input : ordered(outcome)) loop.submit(input);
        }

        private static List<RunInput> ordered(DispatchOutcome outcome) {
            record Ordered(long frameSeq, RunInput input) {
            }
            List<Ordered> inputs = new ArrayList<>();
            for (VerdictEntry entry : outcome.verdictEntries()) {
                inputs.add(new Ordered(entry.frameSeq(), new RunInput.GuestReport(entry)));
            }
            for (ControlSignal signal : outcome.signals()) {
                inputs.add(new Ordered(signal.frameSeq(), new RunInput.GuestControl(signal)));
            }
            inputs.sort(Comparator.comparingLong(Ordered::frameSeq));
            return inputs.stream().map(Ordered::input).toList();
        }

        /** What the wire dropped or repaired over the whole run: evidence of a misbehaving (or lying) guest. */
        void noteDispatchTotals() {
            AssemblerStats stats = assembler.stats();
            DispatchCounts dropped = dispatcher.totals();
            String text = stats.frames() + " frames from the guest; " + stats.garbageBytes() + " garbage bytes, "
                    + stats.crcFailures() + " CRC failures; dropped " + dropped.unknownTypes() + " of unknown type, "
                    + dropped.malformed() + " malformed";
            String detail;
            try {
                detail = DETAIL_JSON.writeValueAsString(Map.of("assembler", stats, "dispatch", dropped));
            } catch (JsonProcessingException e) {
                detail = null;
            }
            loop.submit(new RunInput.HarnessNote(Lane.HARNESS, "wire_totals", text, detail));
            if (corrupted() || broken != null) loop.submit(channelCorrupt()); // the final counts, for the reason
        }

        /** Runs on the action thread: whatever fails here becomes a run event rather than a log line only. */
        void act(RunAction action) {
            try {
                switch (action) {
                    case RunAction.StopVm stop -> {
                        RunningVm running = vm;
                        if (running != null) {
                            LOG.info("stopping the VM: {}", stop.reason());
                            running.kill();
                        }
                    }
                    case RunAction.AnswerSnapshotRequest answer -> answer(answer.request(), null);
                    case RunAction.RefuseSnapshotRequest refuse -> answer(refuse.request(),
                            new SnapshotHandler.Answer(SnapshotStatus.REFUSED, refuse.reason()));
                }
            } catch (RuntimeException e) {
                LOG.error("run action {} failed", action, e);
                String what = action instanceof RunAction.StopVm ? "stop_failed" : "action_failed";
                loop.submit(new RunInput.HarnessNote(Lane.HARNESS, what, (action instanceof RunAction.StopVm
                        ? "the VM could not be stopped: " : "a run action failed: ") + e.getMessage(), null));
            }
        }

        private void answer(WireMessage.SnapshotRequest request, SnapshotHandler.Answer given) {
            RunningVm running = vm;
            SnapshotHandler handler = captures != null ? captures : SnapshotHandler.DECLINE;
            SnapshotHandler.Answer result = given != null ? given : handler.handle(request, running);
            if (result.status() != SnapshotStatus.TAKEN && given == null) {
                // a taken snapshot is announced by the capture itself; a refusal or failure is only known here
                loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, result.status().name().toLowerCase(),
                        result.note(), null));
            }
            reply(running, request, result.status());
        }

        /**
         * A fork from the snapshot of a scenario step's capture: its guest was frozen waiting for the answer, which the
         * parent sent after the freeze. The fork answers it (its {@code fork_start} snapshot holds that state).
         */
        void answerForkedRequest() {
            WireMessage.SnapshotRequest request = forkedRequest;
            if (request == null) return;
            forkedRequest = null;
            loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, "fork_answer", "answered the guest's snapshot request '"
                    + request.tag() + "': the fork was taken while the guest waited for it", null));
            reply(vm, request, SnapshotStatus.TAKEN);
        }

        /**
         * A fork's guest gets the host's wall clock and fresh randomness, and its new plan when it has one (after the
         * answer to the request it was frozen in, if any: its agent reads them in that order).
         */
        void sendForkPlan(GuestBoot.Fork fork) {
            String scenario = fork.newPlan().map(GuestBoot.Fork.NewPlan::scenario).orElse(null);
            try {
                OutputStream out = vm.dataChannel().orElseThrow(() -> new VmmException(VmmException.Kind.START_FAILED,
                        "a fork's guest has no data channel")).toGuest();
                out.write(FrameEncoder.encode(ForkBoot.planUpdate(fork.newPlan())));
                out.flush();
                loop.submit(new RunInput.ForkPlanSent(scenario));
            } catch (IOException | VmmException e) {
                LOG.warn("cannot send the fork's plan update", e);
                String why = "the fork's plan update could not be sent to the guest: " + e.getMessage();
                loop.submit(scenario == null ? new RunInput.HarnessNote(Lane.HARNESS, "fork_plan_failed", why + "; it"
                        + " keeps the snapshot's wall clock and random state", null) : new RunInput.HarnessFailure(why));
            }
        }

        private void reply(RunningVm running, WireMessage.SnapshotRequest request, SnapshotStatus status) {
            running.dataChannel().ifPresent(channel -> {
                try {
                    OutputStream out = channel.toGuest();
                    out.write(FrameEncoder.encode(new WireMessage.SnapshotReply(request.requestId(), status)));
                    out.flush();
                } catch (IOException | VmmException e) {
                    LOG.warn("cannot answer snapshot request {}", request.requestId(), e);
                    loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, "reply_failed", "the answer to snapshot request '"
                            + request.tag() + "' could not be sent to the guest: " + e.getMessage(), null));
                }
            });
        }
    }
}
