package dev.freezeframe.coordinator.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.capture.CaptureRequest;
import dev.freezeframe.coordinator.capture.SnapshotCapturer;
import dev.freezeframe.coordinator.capture.SnapshotStore;
import dev.freezeframe.coordinator.capture.StoreEvent;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.wire.SnapshotStatus;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.WatchHitListener;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.VmmException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every capture of one run: periodic ones on the {@link CapturePlan}, the guest's own requests, and the snapshot at
 * the instant the scheduler errors out. Captures are serialised (one freeze at a time); each is stored in the live
 * {@link SnapshotStore}, handed to the archive, and announced on the run's timeline. Watchpoint hits that are not the
 * error trigger's go to {@code userWatches}.
 *
 * <p>The error trigger (watch slot 0, a write watch on {@code scx_root->exit_kind}) works in two stages, because the
 * kernel claims {@code exit_kind} before it writes the exit message: (1) the first write latches an error-class kind
 * (&ge; 1024; a clean unload passes and disarms); (2) the next write, where the teardown marks the exit done before it
 * tears anything down, is the capture point: the message is complete, the maps still live, {@code exit_info} holds the
 * error kind.
 */
public final class RunCaptures implements SnapshotHandler, WatchHitListener {
    private static final Logger LOG = LoggerFactory.getLogger(RunCaptures.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long POLL_MS = 20;
    private static final int WARM_UP_PASSES = 3;
    private static final long WARM_UP_BUDGET_NS = 3_000_000_000L;

    private final SnapshotCapturer capturer;
    private final CapturePlan plan;
    private final SnapshotStore store;
    private final Consumer<SnapshotRecord> archive;
    private final RunLoop loop;
    private volatile WatchHitListener userWatches = hit -> hit.close();
    private volatile RunningVm vm;
    private Thread worker;
    private Thread periodicWorker;
    private Thread stallOnsetWorker;

    private volatile Watchpoint errorWatch;
    /** Slot 0 before the scheduler attaches: a write watch on the {@code scx_root} pointer. */
    private volatile Watchpoint rootWatch;
    private volatile long latchedExitKind = -1;
    private volatile boolean errorCaptured;
    private final CompletableFuture<Void> errorTriggerSettled = new CompletableFuture<>();
    private final UserHold hold;
    private final Object keepLock = new Object();
    private volatile ForkableSnapshots forkable;
    private volatile String startTag;
    private volatile FrozenVm startHold;
    private volatile long lastFreezeToResumeNanos;
    /** Moving slot 0 from scx_root to the exit kind happens once, on the hit or on the arming thread. */
    private final Object triggerLock = new Object();

    public RunCaptures(SnapshotCapturer capturer, CapturePlan plan, SnapshotStore store, Consumer<SnapshotRecord> archive,
                       RunLoop loop) {
        this.capturer = capturer;
        this.plan = plan;
        this.store = store;
        this.archive = archive;
        this.loop = loop;
        this.hold = new UserHold(loop, this);
    }

    /** The user's freeze of this run (live runs: freeze, resume, freeze when the scheduler is enabled). */
    public UserHold userHold() {
        return hold;
    }

    /** Completes once slot 0 has been armed or found impossible to arm (or the run ended first). */
    public CompletableFuture<Void> errorTriggerSettled() {
        return errorTriggerSettled;
    }

    /** Keep the whole VM state of every snapshot from now on ({@code --forkable}). */
    public void keepForkable(ForkableSnapshots snapshots) {
        this.forkable = snapshots;
    }

    /**
     * Take a snapshot tagged {@code tag} as soon as the guest's symbols are known, before anything else (a fork's
     * first instant, to compare with the snapshot it was forked from).
     */
    public void captureOnStart(String tag) {
        this.startTag = tag;
    }

    /**
     * A stop to release once the start snapshot is taken: a fork's guest is held from its restore until then, so its
     * first snapshot is the instant it was forked from, however long folding the parent's inputs takes.
     */
    public void releaseAfterStart(FrozenVm hold) {
        this.startHold = hold;
    }

    private void releaseStartHold() {
        FrozenVm hold = startHold;
        startHold = null;
        if (hold != null) hold.close();
    }

    /** The forkable snapshots this run keeps, if it keeps them. */
    public Optional<ForkableSnapshots> forkable() {
        return Optional.ofNullable(forkable);
    }

    /** Where watchpoint hits of the user's slots go. */
    public void setUserWatchListener(WatchHitListener listener) {
        this.userWatches = listener;
    }

    public SnapshotStore store() {
        return store;
    }

    /** The VM the captures freeze, once started (live views and watchpoints act on it too). */
    public Optional<RunningVm> vm() {
        return Optional.ofNullable(vm);
    }

    /** Watch slot 0, the scheduler-error trigger on {@code scx_root->exit_kind}, while it is armed. */
    public Optional<Watchpoint> errorTriggerWatch() {
        Watchpoint watch = errorWatch;
        return Optional.ofNullable(watch != null ? watch : rootWatch);
    }

    /** The guest's symbol table as the run has it (empty until the agent sent it). */
    public dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable symbols() {
        return loop.status().symbols();
    }

    /** Starts the triggers on a started VM. */
    public void start(RunningVm running) {
        this.vm = running;
        running.setWatchHitListener(this);
        ForkableSnapshots keeping = forkable;
        if (keeping != null) Thread.ofVirtual().name("forkable-base").start(() -> keeping.prepare(running));
        worker = Thread.ofPlatform().name("run-captures").daemon(true).start(this::armTrigger);
        StallOnsetWatch stallWatch = new StallOnsetWatch(capturer, loop, this);
        stallOnsetWorker = Thread.ofPlatform().name("stall-onset").daemon(true).start(() -> stallWatch.run(running));
        // on a thread of its own: arming slot 0 takes a while under TCG, and the plan's clock starts with the workload
        if (plan.count() > 0) {
            periodicWorker = Thread.ofPlatform().name("run-periodic").daemon(true).start(this::periodic);
        }
    }

    public void stop() {
        ForkableSnapshots keeping = forkable;
        if (keeping != null) keeping.close();
        if (worker != null) worker.interrupt();
        if (periodicWorker != null) periodicWorker.interrupt();
        if (stallOnsetWorker != null) stallOnsetWorker.interrupt();
        errorTriggerSettled.complete(null);
    }

    /**
     * Freezes the guest and captures now (periodic and on-request captures). Only the reading happens while frozen: the
     * report is encoded, stored and archived after the guest has resumed.
     */
    public SnapshotRecord captureNow(String tag, SnapshotKind kind) {
        RunningVm running = vm;
        RunStatus status = loop.status();
        CaptureRequest request = CaptureRequest.of(tag, kind, loop.elapsedNanos(), status.currentStep());
        SnapshotCapturer.FrozenRead read = null;
        RuntimeException failure = null;
        long frozenMicros;
        Optional<ForkableSnapshots.Taken> state;
        long askedAt = System.nanoTime();
        try (FrozenVm frozen = running.freeze()) {
            try {
                read = readFrozen(frozen, request);
            } catch (RuntimeException e) {
                failure = e;
            }
            state = takeForkable(running, tag);
            frozenMicros = frozen.duration().toNanos() / 1000;
        } catch (VmmException e) {
            SnapshotRecord placeholder = SnapshotRecord.placeholder(tag, kind, request.atNanos(), request.stepIndex(),
                    e.getMessage());
            keep(placeholder, 0);
            return placeholder;
        }
        lastFreezeToResumeNanos = System.nanoTime() - askedAt;
        SnapshotRecord record = failure != null ? failed(request, failure) : encode(read);
        keep(record, frozenMicros); // after the resume: encoding, storing and archiving need no frozen guest
        state.ifPresent(taken -> forkable.finishLater(taken, tag, loop::submit));
        return record;
    }

    private Optional<ForkableSnapshots.Taken> takeForkable(RunningVm running, String tag) {
        ForkableSnapshots keeping = forkable;
        return keeping == null ? Optional.empty() : keeping.take(running, tag, loop::submit);
    }

    /** How long the last {@link #captureNow} held the guest: from asking for the freeze until it had resumed. */
    public long lastFreezeToResumeNanos() {
        return lastFreezeToResumeNanos;
    }

    /** Captures from a stop someone else holds (a watchpoint hit). */
    public SnapshotRecord capture(FrozenVm frozen, CaptureRequest request) {
        SnapshotRecord record;
        try {
            record = encode(readFrozen(frozen, request));
        } catch (RuntimeException e) {
            record = failed(request, e);
        }
        Optional<ForkableSnapshots.Taken> state = takeForkable(vm, request.tag());
        keep(record, frozen.duration().toNanos() / 1000);
        // written on the writer thread: the stop is someone else's and may last a while yet
        state.ifPresent(taken -> forkable.finishLater(taken, request.tag(), loop::submit));
        return record;
    }

    private synchronized SnapshotCapturer.FrozenRead readFrozen(FrozenVm frozen, CaptureRequest request) {
        RunStatus status = loop.status();
        return capturer.read(frozen, request, status.symbols(), status.schedulerOutput());
    }

    private SnapshotRecord encode(SnapshotCapturer.FrozenRead read) {
        try {
            return capturer.encode(read);
        } catch (RuntimeException e) {
            return failed(read.request(), e);
        }
    }

    private static SnapshotRecord failed(CaptureRequest request, RuntimeException e) {
        LOG.error("capture {} failed", request.tag(), e);
        return SnapshotRecord.placeholder(request.tag(), request.kind(), request.atNanos(), request.stepIndex(),
                "the capture failed unexpectedly (" + e + "); details in the log");
    }

    private void keep(SnapshotRecord record, long freezeMicros) {
        synchronized (keepLock) { // one capture's store, archive and announcement at a time, in order
            keepInOrder(record, freezeMicros);
        }
    }

    private void keepInOrder(SnapshotRecord record, long freezeMicros) {
        if (record.placeholder()) store.storeUnavailable(record);
        else store.store(record);
        try {
            archive.accept(record);
        } catch (RuntimeException e) {
            LOG.error("archiving snapshot {} failed", record.tag(), e);
            loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, RunLoop.ARCHIVE_FAILED, "snapshot " + record.tag()
                    + " was captured but could not be archived: " + e.getMessage(), null));
        }
        ObjectNode detail = NODES.objectNode();
        detail.put("tag", record.tag());
        detail.put("kind", record.kind().wireName());
        detail.put("freeze_us", freezeMicros);
        detail.put("placeholder", record.placeholder());
        record.placeholderReason().ifPresent(r -> detail.put("reason", r));
        String text = record.placeholder() ? record.tag() + " unavailable: " + record.placeholderReason().orElse("")
                : record.tag() + " captured (guest frozen " + freezeMicros / 1000 + " ms)";
        loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, record.kind().wireName(), text, detail.toString()));
        for (StoreEvent event : store.drainEvents()) {
            loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, "store", event.describe(), null));
        }
    }

    // ---- the guest's own requests (a scenario step's "capture") ----

    @Override
    public Answer handle(WireMessage.SnapshotRequest request, RunningVm running) {
        Optional<Answer> held = hold.answer(request);
        if (held.isPresent()) return held.get();
        SnapshotRecord record = captureNow(request.tag(), SnapshotKind.REQUESTED);
        return record.placeholder()
                ? new Answer(SnapshotStatus.FAILED, "snapshot '" + request.tag() + "' failed: "
                        + record.placeholderReason().orElse(""))
                : new Answer(SnapshotStatus.TAKEN, "snapshot '" + request.tag() + "' taken at the guest's request");
    }

    // ---- periodic captures and arming the error trigger ----

    private void armTrigger() {
        try {
            waitFor(s -> s.symbols().size() > 0);
            if (startTag != null) captureNow(startTag, SnapshotKind.REQUESTED);
            releaseStartHold();
            // first thing: the agent starts the scheduler right after sending the symbols, and an error during its
            // attach (ops.init, the first enqueue) must already be watched (a fork's scheduler is attached already:
            // it is found and watched at once)
            armBeforeEnable();
            // the kernel's types and names, while the scheduler loads
            warmUp();
            waitFor(s -> errorWatch != null || s.phase().atLeast(RunPhase.SCHEDULER_ENABLED));
            // the attach was not seen (no types at its hit, or the watch could not be armed): arm as it runs
            if (errorWatch == null) armErrorTrigger();
            waitFor(s -> s.phase().atLeast(RunPhase.SCHEDULER_ENABLED));
            warmUpWithMaps();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (VmmException e) {
            LOG.info("error trigger not armed: {}", e.getMessage());
        } finally {
            releaseStartHold(); // never leave the guest stopped when the start snapshot cannot be taken
            errorTriggerSettled.complete(null);
        }
    }

    private void periodic() {
        try {
            waitFor(s -> s.phase().atLeast(RunPhase.SCENARIO_RUNNING));
            long scenarioStart = loop.elapsedNanos();
            long heldBefore = hold.heldNanos(); // only holds during the workload shift the plan
            List<Long> offsets = plan.offsetsMs();
            if (offsets.size() < plan.count()) {
                note("periodic", "only " + offsets.size() + " of " + plan.count() + " periodic snapshots fit a "
                        + plan.windowMs() + " ms workload at least " + CapturePlan.MIN_SPACING.toMillis() + " ms apart");
            }
            long lastAt = Long.MIN_VALUE / 2;
            for (int i = 0; i < offsets.size(); i++) {
                // a capture that overran its slot (a cold first one) must not pull the next one closer than the plan's
                // minimum spacing
                awaitDue(Math.max(scenarioStart - heldBefore + offsets.get(i) * 1_000_000,
                        lastAt + CapturePlan.MIN_SPACING.toNanos() - hold.heldNanos()));
                RunStatus s = loop.status();
                if (s.ended() || s.phase().atLeast(RunPhase.SCENARIO_FINISHED)) {
                    note("periodic", (offsets.size() - i) + " periodic snapshots not taken: the workload ended early");
                    return;
                }
                lastAt = captureNow(CapturePlan.tag(i), SnapshotKind.PERIODIC).atNanos();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (VmmException e) {
            LOG.info("captures stopped: {}", e.getMessage());
        }
    }

    /**
     * Waits for a periodic capture's time on the workload's clock: the guest's clock stands still while the user holds
     * it frozen, so the plan shifts by the time held and no periodic capture is taken during a hold.
     */
    private void awaitDue(long dueNs) throws InterruptedException {
        while (true) {
            if (loop.status().ended()) return;
            if (hold.frozen()) {
                Thread.sleep(POLL_MS);
                continue;
            }
            long wait = dueNs + hold.heldNanos() - loop.elapsedNanos();
            if (wait <= 0) return;
            Thread.sleep(Math.clamp(wait / 1_000_000, 1, POLL_MS * 5));
        }
    }

    private void waitFor(java.util.function.Predicate<RunStatus> condition) throws InterruptedException {
        while (true) {
            RunStatus s = loop.status();
            if (s.ended()) throw new InterruptedException("the run ended");
            if (condition.test(s)) return;
            Thread.sleep(POLL_MS);
        }
    }

    /**
     * Reads the running guest as a capture would, without freezing and discarding the result, as soon as the symbols
     * arrive: the kernel's BTF name index and layout caches, the symbol map and the serialisers are ready before the
     * scheduler's maps exist.
     */
    private void warmUp() {
        long t0 = System.nanoTime();
        synchronized (this) {
            capturer.warmUp(vm.memory(), loop.status().symbols());
        }
        LOG.debug("capture warm-up took {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Once the scheduler is enabled: a few reads of everything, maps included, so their BTF is parsed into the
     * capturer's cache and their code paths are compiled before the first capture. Not under the capture lock (the
     * capturer's caches are thread-safe): a capture that comes meanwhile is not held up by a cold read of a running
     * guest, which under TCG can take seconds.
     */
    private void warmUpWithMaps() {
        long t0 = System.nanoTime();
        for (int pass = 0; pass < WARM_UP_PASSES && !loop.status().ended(); pass++) {
            capturer.warmUp(vm.memory(), loop.status().symbols());
            if (System.nanoTime() - t0 > WARM_UP_BUDGET_NS) break;
        }
        LOG.debug("capture warm-up with maps took {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Stage 0, before the scheduler is enabled: the exit kind lives in the {@code scx_sched} the attach allocates, so
     * slot 0 first watches the {@code scx_root} pointer (its address is in the symbols), and the attach's write of it
     * moves the watch to {@code scx_root->exit_kind} while the guest is still stopped on that write — before
     * {@code ops.init()} and the first enqueue run. A scheduler already attached is watched at once.
     */
    private void armBeforeEnable() {
        RunningVm running = vm;
        var symbols = loop.status().symbols();
        if (!armRootWatch(running, "waiting for the scheduler to attach")) return;
        symbols.asKernelSymbols(); // the walkers' name map, built here rather than while the guest is frozen
        // a scheduler that attached before the watch was armed is watched at once
        Read<Optional<KernelVirtAddr>> exitKind;
        try (FrozenVm frozen = running.freeze()) {
            exitKind = exitKindAddress(frozen);
            if (exitKind.isOk() && exitKind.orElse(null).isPresent()) {
                moveToExitKind(running, exitKind.orElse(null).get(), "");
            }
        }
    }

    /** Stage 0: slot 0 watches the {@code scx_root} pointer for the next attach. False if it could not. */
    private boolean armRootWatch(RunningVm running, String why) {
        Optional<KernelVirtAddr> rootSymbol = loop.status().symbols().resolve("scx_root")
                .map(sym -> KernelVirtAddr.of(sym.address()));
        if (rootSymbol.isEmpty()) return false; // a kernel without scx_root: armErrorTrigger says why once enabled
        Watchpoint watch = Watchpoint.write(rootSymbol.get().value(), 8);
        rootWatch = watch;
        try {
            running.arm(watch);
        } catch (VmmException e) {
            rootWatch = null;
            LOG.info("scx_root not watched: {}", e.getMessage());
            return false;
        }
        triggerNote("armed", "error trigger armed on scx_root (" + why + ")", watch, "scx_root");
        return true;
    }

    /** Stage 0 → 1: slot 0 leaves {@code scx_root} for the attached scheduler's exit kind (once, whoever is first). */
    private void moveToExitKind(RunningVm running, KernelVirtAddr exitKind, String when) {
        synchronized (triggerLock) {
            if (errorWatch != null) return;
            Watchpoint root = rootWatch;
            if (root != null) {
                running.disarm(root);
                rootWatch = null;
            }
            armExitKind(running, exitKind, when);
        }
    }

    /** Stage 1 once the scheduler is enabled, when stage 0 did not see the attach: watch {@code scx_root->exit_kind}. */
    private void armErrorTrigger() {
        RunningVm running = vm;
        Read<Optional<KernelVirtAddr>> exitKind;
        try (FrozenVm frozen = running.freeze()) {
            exitKind = exitKindAddress(frozen);
        }
        if (!exitKind.isOk() || exitKind.orElse(null).isEmpty()) {
            Watchpoint root = rootWatch; // slot 0 holds nothing useful then: leave the pointer alone too
            if (root != null && running.disarm(root)) rootWatch = null;
        }
        if (!exitKind.isOk()) {
            triggerNote("not_armed", "error trigger not armed: " + exitKind.reasonOrNull(), null);
        } else if (exitKind.orElse(null).isEmpty()) {
            triggerNote("not_armed", "error trigger not armed: no scheduler is attached (scx_root is NULL)", null);
        } else {
            moveToExitKind(running, exitKind.orElse(null).get(), "");
        }
    }

    /** Where {@code scx_root->exit_kind} is in the frozen guest: empty while no scheduler is attached. */
    private Read<Optional<KernelVirtAddr>> exitKindAddress(FrozenVm frozen) {
        // under the lock captures hold, one reader of the frozen guest at a time (a watch hit may be capturing right
        // now; this freeze then joins its stop)
        synchronized (this) {
            Read<KernelView> view = capturer.kernelView(frozen, loop.status().symbols(), SnapshotCapturer.paging(frozen));
            if (!view.isOk()) return Read.unavailable(view.reasonOrNull());
            ScxState scx = ScxStateReader.read(view.orElse(null));
            return Read.ok(scx.attached() ? scx.exitKindAddress() : Optional.empty());
        }
    }

    private void armExitKind(RunningVm running, KernelVirtAddr exitKind, String when) {
        Watchpoint watch = Watchpoint.write(exitKind.value(), 4);
        errorWatch = watch;
        try {
            running.arm(watch);
        } catch (VmmException e) {
            errorWatch = null;
            throw e;
        }
        triggerNote("armed", "error trigger armed on scx_root->exit_kind at " + exitKind + when, watch);
        errorTriggerSettled.complete(null);
    }

    /** Stage 0's hit: the attach (or a detach) wrote {@code scx_root}; an attach moves slot 0 to its exit kind. */
    private void onRootWritten(WatchHit hit) {
        if (hit.value().orElse(0) == 0) return; // a detach, or the value could not be read: keep waiting
        Read<Optional<KernelVirtAddr>> exitKind = exitKindAddress(hit.frozen());
        if (!exitKind.isOk() || exitKind.orElse(null).isEmpty()) {
            LOG.info("scx_root written but its exit kind is not readable yet: {}", exitKind.reasonOrNull());
            return; // armTrigger arms it once the scheduler is enabled
        }
        moveToExitKind(vm, exitKind.orElse(null).get(), " as the scheduler attached (before it was enabled)");
    }

    @Override
    public void onHit(WatchHit hit) {
        Watchpoint root = rootWatch;
        if (root != null && hit.watchpoint().equals(root)) {
            try (hit) {
                onRootWritten(hit);
            } catch (VmmException e) {
                LOG.warn("error trigger: {}", e.getMessage());
            }
            return;
        }
        Watchpoint watch = errorWatch;
        if (watch == null || !hit.watchpoint().equals(watch)) {
            userWatches.onHit(hit);
            return;
        }
        try (hit) {
            onExitKindWritten(hit);
        } catch (VmmException e) {
            LOG.warn("error trigger: {}", e.getMessage());
            triggerNote("failed", "error trigger: handling a write of scx_root->exit_kind failed: " + e.getMessage(),
                    null);
        }
    }

    private void onExitKindWritten(WatchHit hit) {
        long kind = hit.value().orElse(-1) & 0xffff_ffffL;
        if (latchedExitKind >= 0) {
            // stage 2: the teardown's first act is marking the exit done; the message is complete by now
            try {
                vm.disarm(hit.watchpoint());
            } finally {
                errorWatch = null; // the capture goes ahead even when the VM refused the disarm
                captureError(hit, null);
                reportHostExit(hit.frozen());
            }
            triggerNote("fired", "error trigger fired: error snapshot captured as the teardown began", null);
            return;
        }
        if (kind < ScxStateReader.SCX_EXIT_ERROR) {
            loop.submit(new RunInput.HostSchedulerExit(kind, null, null, null));
            vm.disarm(hit.watchpoint());
            errorWatch = null;
            triggerNote("disarmed", "scheduler exiting cleanly (exit kind " + kind + "): no error snapshot", null);
            // a scenario may swap in another scheduler: its attach writes scx_root again, and moves slot 0 to it
            if (!loop.status().phase().atLeast(RunPhase.SCHEDULER_STOPPING)) {
                synchronized (triggerLock) {
                    armRootWatch(vm, "waiting for a next scheduler to attach");
                }
            }
            return;
        }
        latchedExitKind = kind;
        loop.submit(new RunInput.HostSchedulerExit(kind, null, null, null));
        triggerNote("latched", "error exit kind " + kind + " latched; capturing when the teardown begins",
                hit.watchpoint());
    }

    private void captureError(WatchHit hit, String caveat) {
        if (errorCaptured) return;
        errorCaptured = true;
        ObjectNode trigger = NODES.objectNode();
        trigger.put("trigger", "scheduler error");
        trigger.put("exit_kind", latchedExitKind);
        trigger.put("vcpu", hit.vcpu());
        try {
            long rip = hit.registers().rip(); // throws when the stop's registers could not be read
            trigger.put("rip", String.format("0x%016x", rip));
            loop.status().symbols().symbolize(rip).ifPresent(s -> trigger.put("rip_symbol", s));
        } catch (VmmException e) {
            // the error snapshot matters more than where the write came from: capture without it
            trigger.putNull("rip");
            caveat = (caveat == null ? "" : caveat + "; ") + "the writing vCPU's registers could not be read: "
                    + e.getMessage();
            triggerNote("registers_unreadable", "error trigger: the writing vCPU's registers could not be read ("
                    + e.getMessage() + "); capturing the error snapshot without them", null);
        }
        if (caveat != null) trigger.put("caveat", caveat);
        RunStatus status = loop.status();
        capture(hit.frozen(), new CaptureRequest("error", SnapshotKind.ERROR, loop.elapsedNanos(),
                status.currentStep(), trigger));
    }

    /** Stage 2's reading of {@code scx_root->exit_info} (kind, reason, message) goes to the fold as the host's fact. */
    private void reportHostExit(FrozenVm frozen) {
        ScxState scx;
        synchronized (this) {
            Read<KernelView> view = capturer.kernelView(frozen, loop.status().symbols(),
                    SnapshotCapturer.paging(frozen));
            if (!view.isOk()) return; // the latched kind already reached the fold
            scx = ScxStateReader.read(view.orElse(null));
        }
        ScxState.ExitInfo info = scx.exitInfo();
        long kind = scx.exitKind() >= ScxStateReader.SCX_EXIT_ERROR ? scx.exitKind() : latchedExitKind;
        loop.submit(new RunInput.HostSchedulerExit(kind, info != null ? info.kindName() : scx.exitKindName(),
                info == null ? null : info.reason(), info == null ? null : info.message()));
    }

    /**
     * Slot 0's events (kind {@code error_trigger}); the detail says what the slot holds now: {@code state} is
     * {@code armed}, {@code latched} (still armed), {@code fired}, {@code disarmed} or {@code not_armed}.
     */
    private void triggerNote(String state, String text, Watchpoint watch) {
        triggerNote(state, text, watch, "scx_root->exit_kind");
    }

    private void triggerNote(String state, String text, Watchpoint watch, String watched) {
        ObjectNode detail = NODES.objectNode();
        detail.put("slot", 0);
        detail.put("state", state);
        detail.put("watch", watched);
        if (watch != null) {
            detail.put("address", String.format("0x%016x", watch.address()));
            detail.put("size", watch.length());
            detail.put("kind", watch.kind().word());
        }
        loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, "error_trigger", text, detail.toString()));
    }

    private void note(String kind, String text) {
        loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, kind, text, null));
    }
}
