package dev.freezeframe.app.live;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.live.LiveRefusals;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.coordinator.watch.ArmedWatch;
import dev.freezeframe.coordinator.watch.WatchControl;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.coordinator.watch.WatchSlots;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A scripted {@link LiveRun} for UI tests: no guest, a virtual clock the test advances ({@link #advance}), and real
 * events and snapshots written into a real {@link Archive} through {@link Archive#startIngest}, so views that read the
 * archive see the run as they would see the engine's. The {@link FakeScript} plays boot → SYS_RDY → scheduler
 * enabled → named steps, with console lines (some on stderr), stats series and periodic snapshots every 500 ms,
 * scripted watch hits, and an end with a verdict. Freeze, resume, capture, arm, disarm and stop answer at once, emit the engine's
 * events (a {@code frozen}/{@code resumed} span, {@code armed}, {@code hit}, ...) and refuse with the engine's own
 * sentences: arming goes through the real {@link WatchSlots} over {@link FakeKernel}'s symbols.
 *
 * <p>Time: events carry run time (the virtual clock). The script runs on the guest's clock, which stands still while
 * the guest is frozen (as under QEMU), so a freeze of 1.5 s delays everything after it by 1.5 s.
 *
 * <p>{@link #playInRealTime} advances the clock from a thread for demos; tests call {@link #advance} and need no
 * sleeps. Listeners are called on the thread that advanced the clock (or called the control), outside the fake's lock.
 */
public final class FakeLiveRun implements LiveRun {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long MS = 1_000_000L;

    private record Item(long guestNs, long order, Runnable action) {
    }

    private final Archive archive;
    private final EventIngest ingest;
    private final long runId;
    private final RunConfig config;
    private final FakeScript script;
    private final LiveRunListeners listeners = new LiveRunListeners();
    private final WatchSlotStates slotStates = new WatchSlotStates();
    private final PriorityQueue<Item> items = new PriorityQueue<>((a, b) -> a.guestNs != b.guestNs
            ? Long.compare(a.guestNs, b.guestNs) : Long.compare(a.order, b.order));
    private final CompletableFuture<LiveRunState> finished = new CompletableFuture<>();
    private final CompletableFuture<KernelSymbolTable> kernelSymbols = new CompletableFuture<>();
    private final List<Watchpoint> armedInVm = new ArrayList<>();
    private final Map<Watchpoint, long[]> watchCounters = new HashMap<>(); // hit number, value
    private final WatchSlots slots;

    // guarded by this
    private List<RunEvent> batch = new ArrayList<>();
    private long nowNs;
    private long heldBeforeNs;
    private long frozenSinceNs = -1;
    private String freezeTag = "";
    private int freezes;
    private int manuals;
    private int periodic;
    private long seq;
    private long order;
    private long snapshots;
    private RunPhase phase = RunPhase.BOOTING;
    private int stepIndex = -1;
    private String stepName = "";
    private Optional<Verdict> verdict = Optional.empty();
    private String reason = "";
    private boolean slotsUp;
    private Optional<Watchpoint> errorTrigger = Optional.empty();
    private long consoleLines;
    private Thread player;

    private volatile boolean forkable;

    private FakeLiveRun(Archive archive, RunConfig config, FakeScript script) {
        this.archive = archive;
        this.config = config;
        this.script = script;
        this.runId = archive.createRun(config, Instant.now(), Optional.of("7.3.4+deb13-cloud-amd64 (fake)"));
        this.ingest = archive.startIngest(runId);
        this.slots = new WatchSlots(FakeKernel.target(armedInVm, () -> errorTrigger), host(),
                FakeKernel.symbols(), WatchPolicy.DEFAULT, this::virtualNow);
    }

    /** Records a new run into {@code archive} (which the caller owns and closes after {@link #finished()}). */
    public static FakeLiveRun start(Archive archive, RunConfig config, FakeScript script) {
        FakeLiveRun run = new FakeLiveRun(archive, config, script);
        synchronized (run) {
            run.plan();
            run.emit(Lane.LIFECYCLE, "run_started", config.scheduler() + " under " + config.scenario() + " (fake)",
                    null, null);
            run.emit(Lane.LIFECYCLE, "vm_started", "fake backend started the guest (none)", null, null);
        }
        run.publish();
        return run;
    }

    /** A run of {@code scx_qmap} under {@code cpu-pingpong} with the given watches, on the standard script. */
    public static RunConfig config(boolean freezeOnEnable, String... watches) {
        return new RunConfig("scx_qmap", List.of(), "cpu-pingpong", 2, 1024, "kit", 8, List.of(watches),
                freezeOnEnable);
    }

    // ---- the clock ----

    /** Run time now (virtual). */
    public synchronized long nowNs() {
        return nowNs;
    }

    private synchronized long virtualNow() {
        return nowNs;
    }

    /** Moves the clock on by {@code by}, playing everything due meanwhile, then publishes. */
    public void advance(Duration by) {
        synchronized (this) {
            long target = nowNs + by.toNanos();
            while (!items.isEmpty() && frozenSinceNs < 0 && verdict.isEmpty()) {
                Item next = items.peek();
                long at = next.guestNs + heldBeforeNs;
                if (at > target) break;
                items.poll();
                nowNs = Math.max(nowNs, at);
                next.action.run();
            }
            if (verdict.isEmpty()) nowNs = Math.max(nowNs, target); // the run's clock stops at its end
        }
        publish();
    }

    /** Advances in steps of {@code step} until {@code condition} holds or {@code limit} of virtual time has passed. */
    public boolean advanceUntil(java.util.function.Predicate<LiveRunState> condition, Duration step, Duration limit) {
        long end = nowNs() + limit.toNanos();
        while (!condition.test(state())) {
            if (nowNs() >= end) return false;
            advance(step);
        }
        return true;
    }

    /** Plays the script in real time (scaled by {@code speed}) from a daemon thread until the run ends. */
    public synchronized void playInRealTime(double speed) {
        if (player != null) return;
        player = Thread.ofPlatform().daemon(true).name("fake-live-run-" + runId).start(() -> {
            long last = System.nanoTime();
            while (!finished.isDone() && !Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(16);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                advance(Duration.ofNanos((long) ((now - last) * speed)));
                last = now;
            }
        });
    }

    /** Stops {@link #playInRealTime}. */
    public synchronized void stopPlaying() {
        if (player != null) player.interrupt();
        player = null;
    }

    // ---- the script ----

    private void at(long guestMs, Runnable action) {
        atNs(guestMs * MS, action);
    }

    private void atNs(long guestNs, Runnable action) {
        items.add(new Item(guestNs, order++, action));
    }

    /** {@code action} every {@code everyNs} from {@code fromNs} while before {@code untilNs}; one item at a time. */
    private void every(long fromNs, long everyNs, long untilNs, Runnable action) {
        if (everyNs <= 0 || fromNs >= untilNs) return;
        atNs(fromNs, () -> {
            action.run();
            every(fromNs + everyNs, everyNs, untilNs, action);
        });
    }

    private void plan() {
        long endMs = script.failAtMs() >= 0 ? script.failAtMs() : script.scenarioEndMs();
        every(0, script.consoleEveryMs() * MS, (endMs + 500) * MS, this::consoleLine);
        at(script.sysReadyMs(), () -> {
            phase = RunPhase.READY;
            emit(Lane.LIFECYCLE, "sys_ready", "guest agent ready", null, null);
        });
        at(script.sysReadyMs() + 50, () -> {
            emit(Lane.HARNESS, "kernel_symbols", FakeKernel.SYMBOL_COUNT + " kernel symbols received",
                    (double) FakeKernel.SYMBOL_COUNT, null);
            kernelSymbols.complete(FakeKernel.symbols());
        });
        at(script.sysReadyMs() + 100, () -> {
            phase = RunPhase.SCHEDULER_STARTING;
            emit(Lane.LIFECYCLE, "scheduler_starting", "/sbin/" + config.scheduler(), null, null);
        });
        at(script.enabledMs(), this::enabled);
        long t = script.scenarioStartMs();
        at(t, () -> {
            phase = RunPhase.SCENARIO_RUNNING;
            emit(Lane.LIFECYCLE, "scenario_started", "", null, null);
        });
        for (int i = 0; i < script.steps().size(); i++) {
            FakeScript.Step step = script.steps().get(i);
            int index = i + 1;
            at(t, () -> {
                stepIndex = index;
                stepName = step.name();
                emit(Lane.STEPS, "step", step.name(), (double) index, null);
            });
            t += step.durationMs();
        }
        every(script.scenarioStartMs() * MS + script.periodicEveryMs() * MS, script.periodicEveryMs() * MS,
                endMs * MS, this::periodicSnapshot);
        every(script.enabledMs() * MS, script.statsEveryMs() * MS, endMs * MS, this::statsPoint);
        if (script.extraLinesPerSec() > 0) {
            every(script.scenarioStartMs() * MS, 1_000_000_000L / script.extraLinesPerSec(), endMs * MS,
                    this::consoleLine);
        }
        for (FakeScript.Hit hit : script.hits()) at(hit.atMs(), () -> deliverHit(hit.symbol()));
        if (script.failAtMs() >= 0) {
            at(script.failAtMs(), this::schedulerError);
        } else {
            at(script.scenarioEndMs(), () -> {
                phase = RunPhase.SCENARIO_FINISHED;
                emit(Lane.LIFECYCLE, "scenario_finished", "", null, null);
            });
            at(script.scenarioEndMs() + 100, () -> {
                phase = RunPhase.SCHEDULER_STOPPING;
                emit(Lane.LIFECYCLE, "scheduler_stopping", "", null, null);
                emit(Lane.SNAPSHOTS, "error_trigger", "scheduler exiting cleanly (exit kind 64): no error snapshot",
                        null, triggerDetail("disarmed"));
                errorTrigger = Optional.empty();
                emit(Lane.SCHEDULER, "exit", "scheduler ended: exit code 0, kernel exit kind 64", 64.0, null);
            });
            at(script.scenarioEndMs() + 300, () -> {
                phase = RunPhase.POWERING_OFF;
                emit(Lane.LIFECYCLE, "powering_off", "", null, null);
                emit(Lane.LIFECYCLE, "agent_exit", "agent finished", null, null);
            });
            at(script.scenarioEndMs() + 400, () -> end(script.verdict(), script.reason()));
        }
    }

    private void enabled() {
        phase = RunPhase.SCHEDULER_ENABLED;
        emit(Lane.LIFECYCLE, "scheduler_enabled", "qmap", null, null);
        errorTrigger = Optional.of(Watchpoint.write(FakeKernel.EXIT_KIND, 4));
        emit(Lane.SNAPSHOTS, "error_trigger", "error trigger armed on scx_root->exit_kind at "
                + String.format("0x%016x", FakeKernel.EXIT_KIND), null, triggerDetail("armed"));
        slotsUp = true;
        for (String watch : config.watches()) {
            try {
                slots.arm(watch);
            } catch (CoordinatorException refused) {
                // a refused event is on the stream already
            }
        }
        if (config.freezeOnEnable()) holdNow();
    }

    private ObjectNode triggerDetail(String state) {
        ObjectNode d = NODES.objectNode();
        d.put("slot", 0);
        d.put("state", state);
        d.put("watch", "scx_root->exit_kind");
        if (state.equals("armed") || state.equals("latched")) {
            d.put("address", String.format("0x%016x", FakeKernel.EXIT_KIND));
            d.put("size", 4);
            d.put("kind", WatchKind.WRITE.word());
        }
        return d;
    }

    private void consoleLine() {
        long n = consoleLines++;
        double t = nowNs / 1e9;
        String text = phase == RunPhase.BOOTING
                ? String.format("[%12.6f] fake kernel: boot message %d", t, n)
                : String.format("[%12.6f] sched_ext: %s line %d", t, config.scheduler(), n);
        emit(Lane.CONSOLE, "line", text, null, null);
        if (phase.atLeast(RunPhase.SCHEDULER_ENABLED) && n % 4 == 0) {
            emit(Lane.SCHEDULER, "stderr", String.format("%s: warning %d: dispatch queue long (fake)",
                    config.scheduler(), n), null, null);
        } else if (phase.atLeast(RunPhase.SCHEDULER_ENABLED) && n % 10 == 1) {
            emit(Lane.SCHEDULER, "stdout", "enq=" + 100 * n + " deq=" + 90 * n + " core=" + n, null, null);
        }
    }

    private void statsPoint() {
        double x = nowNs / 1e9;
        emit(Lane.STATS, "nr_enqueued", "", Math.floor(1000 * x), null);
        emit(Lane.STATS, "nr_dispatched", "", Math.floor(900 * x + 50 * Math.sin(x)), null);
    }

    private void periodicSnapshot() {
        int i = periodic++;
        snapshot(String.format("periodic_%03d", i), SnapshotKind.PERIODIC, report(100L * (i + 1), 10 + i, null));
    }

    private void schedulerError() {
        emit(Lane.SCHEDULER, "error", "scheduler ended: exit code 0, kernel exit kind 1025, " + script.reason(),
                1025.0, null);
        emit(Lane.SNAPSHOTS, "error_trigger", "error exit kind 1025 latched; capturing when the teardown begins",
                null, triggerDetail("latched"));
        ObjectNode trigger = NODES.objectNode().put("trigger", "scheduler error").put("exit_kind", 1025);
        snapshot("error", SnapshotKind.ERROR, report(100L * (periodic + 1), 10 + periodic, trigger));
        emit(Lane.SNAPSHOTS, "error_trigger", "error trigger fired: error snapshot captured as the teardown began",
                null, triggerDetail("fired"));
        errorTrigger = Optional.empty();
        emit(Lane.CONSOLE, "line", String.format("[%12.6f] sched_ext: BPF scheduler \"qmap\" disabled (runtime error)",
                nowNs / 1e9), null, null);
        end(Verdict.SCHEDULER_FAILED, script.reason());
    }

    /** Scripted write to {@code symbol}: a hit if a slot watches it (the engine's path: snapshot, event, hot guard). */
    private void deliverHit(String symbol) {
        if (!slotsUp || verdict.isPresent()) return;
        Optional<ArmedWatch> watch = slots.armed().stream().filter(w -> w.spec().symbol().equals(symbol)).findFirst();
        if (watch.isEmpty()) return;
        Watchpoint w = watch.get().watchpoint();
        long[] counter = watchCounters.computeIfAbsent(w, k -> new long[] {0, 1000});
        long number = ++counter[0];
        long old = counter[1];
        long now = ++counter[1];
        slots.onHit(new WatchHit(w, number, 0, w.address(), FakeKernel.registers(0, 0xffffffff81100123L),
                OptionalLong.of(old), OptionalLong.of(now), new FakeKernel.Stop()));
    }

    /** Waits until everything recorded so far is committed to the archive (test hook; no-op once ended). */
    public void flush() {
        synchronized (this) {
            if (verdict.isPresent()) return;
        }
        ingest.flush();
    }

    /** Delivers a write to {@code symbol} now, as a scripted hit would (test hook). */
    public void hit(String symbol) {
        synchronized (this) {
            deliverHit(symbol);
        }
        publish();
    }

    private WatchSlots.Host host() {
        return new WatchSlots.Host() {
            @Override
            public void event(String kind, String text, ObjectNode detail) {
                synchronized (FakeLiveRun.this) {
                    emit(Lane.WATCHPOINTS, kind, text, null, detail);
                }
            }

            @Override
            public SnapshotRecord capture(FrozenVm frozen, String tag, ObjectNode trigger) {
                synchronized (FakeLiveRun.this) {
                    return snapshot(tag, SnapshotKind.WATCH, report(100L * (periodic + 1), 10 + periodic, trigger));
                }
            }

            @Override
            public Optional<Watchpoint> errorTrigger() {
                synchronized (FakeLiveRun.this) {
                    return errorTrigger;
                }
            }

            /** As the engine's hold: the guest's clock stops on the hit, with the hit's snapshot as the freeze's. */
            @Override
            public void holdAfterHit(FrozenVm frozen, String tag) {
                synchronized (FakeLiveRun.this) {
                    if (frozenSinceNs >= 0) throw new CoordinatorException(LiveRefusals.alreadyFrozen(freezeTag));
                    hold(tag);
                }
            }
        };
    }

    // ---- recording ----

    private void emit(Lane lane, String kind, String text, Double value, ObjectNode detail) {
        RunEvent event = new RunEvent(seq++, nowNs, lane, kind, text, value, detail == null ? null
                : detail.toString());
        ingest.append(event);
        slotStates.apply(event);
        batch.add(event);
    }

    private SnapshotRecord snapshot(String tag, SnapshotKind kind, String reportJson) {
        Optional<Integer> step = stepIndex >= 0 ? Optional.of(stepIndex) : Optional.empty();
        SnapshotRecord record = new SnapshotRecord(tag, kind, nowNs, step, false, Optional.empty(), reportJson);
        ingest.append(record);
        snapshots++;
        ObjectNode detail = NODES.objectNode().put("tag", tag).put("kind", kind.wireName()).put("freeze_us", 30_000)
                .put("placeholder", false);
        emit(Lane.SNAPSHOTS, kind.wireName(), tag + " captured (guest frozen 30 ms)", null, detail);
        return record;
    }

    /** A report shaped like the engine's: scx_qmap's .bss with a counter and a gauge, and a 2-CPU per-CPU map. */
    private static String report(long nrEnqueued, long nrQueued, ObjectNode trigger) {
        return """
                {"schema":"single","maps":[
                  {"name":"scx_qmap.bss","map_type":2,"value_size":16,"max_entries":1,
                   "value":{"kind":"struct","type_name":"bss","members":[
                     {"name":"nr_enqueued","value":{"kind":"uint","bits":64,"value":%d}},
                     {"name":"nr_queued","value":{"kind":"uint","bits":64,"value":%d}}]}},
                  {"name":"cpu_ctx_stor","map_type":6,"value_size":8,"max_entries":1,
                   "percpu":[{"cpu":0,"value":{"kind":"uint","bits":64,"value":%d}},
                             {"cpu":1,"value":{"kind":"uint","bits":64,"value":%d}}]}
                ],"vcpu_regs":[]%s}""".formatted(nrEnqueued, nrQueued, nrEnqueued / 2, nrEnqueued - nrEnqueued / 2,
                trigger == null ? "" : ",\"trigger\":" + trigger);
    }

    private void end(Verdict v, String why) {
        if (verdict.isPresent()) return;
        if (frozenSinceNs >= 0) release();
        emit(Lane.LIFECYCLE, "verdict", v.wireName() + ": " + why, null, null);
        emit(Lane.LIFECYCLE, "vm_ended", "the VM powered off", null, null);
        verdict = Optional.of(v);
        reason = why;
        kernelSymbols.completeExceptionally(new CoordinatorException("The run ended before the guest sent its symbol"
                + " table."));
        phase = RunPhase.ENDED;
        items.clear();
        ingest.flush();
        archive.finishRun(runId, v, why, Instant.now());
        ingest.close();
    }

    // ---- freeze ----

    private String holdNow() {
        hold(String.format("freeze_%03d", freezes++));
        snapshot(freezeTag, SnapshotKind.REQUESTED, report(100L * (periodic + 1), 10 + periodic, null));
        return freezeTag;
    }

    private void hold(String tag) {
        frozenSinceNs = nowNs;
        freezeTag = tag;
        ObjectNode detail = NODES.objectNode().put("frozen_at_ns", nowNs).put("tag", freezeTag)
                .put("guest_clock", "paused");
        emit(Lane.LIFECYCLE, "frozen", "guest frozen by the user (" + freezeTag + ")", null, detail);
    }

    private long release() {
        long frozenNs = nowNs - frozenSinceNs;
        ObjectNode detail = NODES.objectNode().put("frozen_at_ns", frozenSinceNs).put("frozen_ns", frozenNs)
                .put("guest_clock", "paused").put("tag", freezeTag);
        emit(Lane.LIFECYCLE, "resumed", "guest resumed after " + frozenNs / 1_000_000 + " ms frozen (" + freezeTag
                + ")", (double) frozenNs, detail);
        heldBeforeNs += frozenNs;
        frozenSinceNs = -1;
        return frozenNs;
    }

    // ---- the LiveRun API ----

    @Override
    public long runId() {
        return runId;
    }

    @Override
    public RunConfig config() {
        return config;
    }

    /**
     * Says the run keeps forkable snapshots. The fake has no VM: its "forkable" captures are ordinary captures, enough
     * for the window's enabling and answers; what a forkable capture keeps is the engine's (ForkRunIT).
     */
    public FakeLiveRun forkable(boolean keeps) {
        forkable = keeps;
        return this;
    }

    @Override
    public boolean forkable() {
        return forkable;
    }

    @Override
    public synchronized LiveRunState state() {
        return new LiveRunState(phase, frozenSinceNs >= 0, frozenSinceNs, nowNs, stepIndex, stepName,
                script.steps().size(), seq, snapshots, ingest.lastCommittedSeq(), verdict, reason,
                slotStates.slots(), frozenSinceNs >= 0 ? freezeTag : "");
    }

    @Override
    public Subscription onState(Consumer<LiveRunState> listener) {
        return listeners.onState(listener);
    }

    @Override
    public Subscription onEvents(Consumer<List<RunEvent>> listener) {
        return listeners.onEvents(listener);
    }

    @Override
    public CompletableFuture<String> freeze() {
        return control(() -> {
            if (frozenSinceNs >= 0) throw new CoordinatorException(LiveRefusals.alreadyFrozen(freezeTag));
            return "Frozen; " + holdNow() + " captured.";
        });
    }

    @Override
    public CompletableFuture<String> resume() {
        return control(() -> {
            if (frozenSinceNs < 0) throw new CoordinatorException(LiveRefusals.notFrozen());
            long heldNs = release();
            return "Resumed after " + String.format("%.1f", heldNs / 1e9) + " s frozen.";
        });
    }

    @Override
    public CompletableFuture<String> captureNow() {
        return control(() -> {
            if (frozenSinceNs >= 0) throw new CoordinatorException(LiveRefusals.unchangedSinceFreeze(freezeTag));
            String tag = String.format("manual_%03d", manuals++);
            snapshot(tag, SnapshotKind.REQUESTED, report(100L * (periodic + 1), 10 + periodic, null));
            return tag;
        });
    }

    @Override
    public CompletableFuture<String> arm(String watchSpec) {
        return control(() -> {
            if (!slotsUp) throw new CoordinatorException(LiveRefusals.watchesNotUp());
            ArmedWatch armed = slots.arm(watchSpec);
            return "armed slot " + armed.slot() + ": " + armed.describe();
        });
    }

    @Override
    public CompletableFuture<String> setStayFrozen(int slot, boolean stay) {
        return control(() -> {
            if (!slotsUp) throw new CoordinatorException(LiveRefusals.watchesNotUp());
            return WatchControl.onHitAnswer(slots.setStayFrozen(slot, stay));
        });
    }

    @Override
    public CompletableFuture<String> runToNextHit() {
        return control(() -> {
            if (!slotsUp) throw new CoordinatorException(LiveRefusals.watchesNotUp());
            String waiting = WatchControl.runToHitAnswer(slots.holdOnNextHit());
            if (frozenSinceNs >= 0) release();
            return waiting;
        });
    }

    /** The fixture's 2 000 symbols, sent as the engine's are: shortly after SYS_RDY. */
    @Override
    public CompletableFuture<KernelSymbolTable> kernelSymbols() {
        return kernelSymbols;
    }

    @Override
    public CompletableFuture<String> disarm(int slot) {
        return control(() -> {
            if (!slotsUp) throw new CoordinatorException(LiveRefusals.watchesNotUp());
            ArmedWatch gone = slots.disarm(slot);
            return "disarmed slot " + gone.slot() + ": " + gone.label() + " after " + gone.hits() + " hit"
                    + (gone.hits() == 1 ? "" : "s") + " (" + gone.snapshots() + " with a snapshot)";
        });
    }

    @Override
    public void stop(String reason) {
        synchronized (this) {
            if (verdict.isEmpty()) {
                end(Verdict.INCONCLUSIVE, reason == null || reason.isBlank() ? "stopped by the user" : reason);
            }
        }
        publish();
    }

    @Override
    public CompletableFuture<LiveRunState> finished() {
        return finished;
    }

    /** Carries out a control now, after the checks every control shares; refusals fail the future. */
    private CompletableFuture<String> control(Supplier<String> action) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        synchronized (this) {
            try {
                if (verdict.isPresent()) throw new CoordinatorException(LiveRefusals.ended());
                if (!phase.atLeast(RunPhase.READY)) throw new CoordinatorException(LiveRefusals.notReady());
                if (phase.atLeast(RunPhase.POWERING_OFF)) throw new CoordinatorException(LiveRefusals.poweringOff());
                answer.complete(action.get());
            } catch (CoordinatorException e) {
                answer.completeExceptionally(e);
            }
        }
        publish();
        return answer;
    }

    /** Hands the events recorded since the last call, then the state, to the listeners (outside the lock). */
    private void publish() {
        List<RunEvent> events;
        LiveRunState now;
        synchronized (this) {
            events = batch;
            batch = new ArrayList<>();
            now = state();
        }
        listeners.events(events);
        listeners.state(now);
        if (now.ended() && !finished.isDone()) finished.complete(now);
    }
}
