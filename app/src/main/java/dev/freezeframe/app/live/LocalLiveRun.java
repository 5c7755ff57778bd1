package dev.freezeframe.app.live;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.app.run.RunResult;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.coordinator.live.LiveRefusals;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.live.LiveRunState;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunCaptures;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.run.RunLoop;
import dev.freezeframe.coordinator.run.RunPhase;
import dev.freezeframe.coordinator.run.RunStatus;
import dev.freezeframe.coordinator.run.UserHold;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.watch.ArmedWatch;
import dev.freezeframe.coordinator.watch.WatchControl;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.coordinator.watch.WatchSlots;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.kit.Kit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's {@link LiveRun}: one run of the guest kit, recorded live into an archive, driven from the workbench.
 * {@link #start} creates the run's row at once (so {@link #runId()} is known before the guest boots) and runs it on a
 * thread of its own through {@link RunLauncher}; a publisher thread hands the run's events to subscribers in batches
 * and its state whenever it changes (and a few times a second while the clock runs). Controls run one at a time on a
 * control thread, so a freeze, a capture and an arm never race each other; each answers with a sentence or fails with
 * the engine's refusal ({@link LiveRefusals}, {@link WatchSlots}).
 */
public final class LocalLiveRun implements LiveRun {
    private static final Logger LOG = LoggerFactory.getLogger(LocalLiveRun.class);
    private static final long PUBLISH_EVERY_MS = 100;
    /** While nothing else changes, the state is still published this often so the run's clock moves. */
    private static final long CLOCK_EVERY_NS = 250_000_000L;
    private static final String STOPPED_BY_USER = "stopped by the user";

    /**
     * @param limits        the run's watchdog and exit grace
     * @param watchPolicy   what a watch may cost the guest
     * @param symbolsCache  where the guest's kallsyms are kept for launch forms, empty to keep none
     */
    public record Options(RunFold.Limits limits, WatchPolicy watchPolicy, Optional<KallsymsCache> symbolsCache,
                          boolean forkable) {
        public Options {
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(watchPolicy, "watchPolicy");
            Objects.requireNonNull(symbolsCache, "symbolsCache");
        }

        /** Snapshots keep no VM state. */
        public Options(RunFold.Limits limits, WatchPolicy watchPolicy, Optional<KallsymsCache> symbolsCache) {
            this(limits, watchPolicy, symbolsCache, false);
        }

        /** @param keep every snapshot also keeps the whole VM state ({@code run --forkable}) */
        public Options withForkable(boolean keep) {
            return new Options(limits, watchPolicy, symbolsCache, keep);
        }

        /** Default limits and policy; symbols cached under the user's cache folder. */
        public static Options defaults(AppDirs dirs) {
            return new Options(RunFold.Limits.DEFAULT, WatchPolicy.DEFAULT, Optional.of(KallsymsCache.in(dirs)));
        }
    }

    private final RunConfig config;
    private final Kit kit;
    private final Scenario scenario;
    private final Archive archive;
    private final RunLauncher launcher;
    private final RunLauncher.Prepared prepared;
    private final Options options;
    private final LiveRunListeners listeners = new LiveRunListeners();
    private final WatchSlotStates slotStates = new WatchSlotStates();
    private final ConcurrentLinkedQueue<RunEvent> pending = new ConcurrentLinkedQueue<>();
    private final ExecutorService controls;
    private final ScheduledExecutorService publisher;
    private final CompletableFuture<LiveRunState> finished = new CompletableFuture<>();
    private final CompletableFuture<KernelSymbolTable> kernelSymbols = new CompletableFuture<>();
    private final AtomicInteger manualCaptures = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong recordedEvents = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicBoolean symbolsCached = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile LiveRunState state;
    private volatile RunResult result;
    private volatile String failure;
    private long lastPublishedNs;

    private LocalLiveRun(RunConfig config, Kit kit, Scenario scenario, Archive archive, RunLauncher launcher,
                         RunLauncher.Prepared prepared, Options options) {
        this.config = config;
        this.kit = kit;
        this.scenario = scenario;
        this.archive = archive;
        this.launcher = launcher;
        this.prepared = prepared;
        this.options = options;
        long id = prepared.runId();
        this.controls = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon(true)
                .name("live-run-" + id + "-control").factory());
        this.publisher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon(true)
                .name("live-run-" + id + "-publish").factory());
        this.state = compute();
    }

    /** Starts a run with the default options (symbols cached under the user's cache folder). */
    public static LocalLiveRun start(RunConfig config, Kit kit, Scenario scenario, Path archivePath,
                                     VmBackend backend) {
        return start(config, kit, scenario, archivePath, backend, Options.defaults(AppDirs.fromEnvironment()));
    }

    /**
     * Creates the run's row in the archive at {@code archivePath} and starts the run in the background; returns at
     * once.
     *
     * @throws dev.freezeframe.app.AppException           when the configuration cannot run (unknown scheduler, ...)
     * @throws dev.freezeframe.persistence.ArchiveException when the archive cannot be opened or written
     */
    public static LocalLiveRun start(RunConfig config, Kit kit, Scenario scenario, Path archivePath,
                                     VmBackend backend, Options options) {
        return start(config, kit, scenario, archivePath, backend, options,
                (launcher, archive) -> launcher.prepare(config, kit, scenario, archive));
    }

    /**
     * Starts a fork: a new run whose guest goes on from the forkable snapshot {@code tag} of run {@code parentId}
     * (see {@link RunLauncher#prepareFork}), with {@code config}'s watches and snapshots; returns at once.
     *
     * @throws dev.freezeframe.app.AppException (usage) when the snapshot is unknown or its state was not kept
     */
    public static LocalLiveRun startFork(long parentId, String tag, RunConfig config, Kit kit, Scenario scenario,
                                         Path archivePath, VmBackend backend, Options options) {
        return startFork(parentId, tag, config, kit, scenario, false, archivePath, backend, options);
    }

    /** @param newScenario {@code scenario} replaces the rest of the parent's from the fork instant (fork --scenario) */
    public static LocalLiveRun startFork(long parentId, String tag, RunConfig config, Kit kit, Scenario scenario,
                                         boolean newScenario, Path archivePath, VmBackend backend, Options options) {
        return start(config, kit, scenario, archivePath, backend, options, (launcher, archive) -> {
            dev.freezeframe.persistence.SnapshotInfo snapshot = archive.runs().snapshots(parentId).stream()
                    .filter(s -> s.tag().equals(tag)).findFirst()
                    .orElseThrow(() -> dev.freezeframe.app.AppException.usage("Run " + parentId + " has no snapshot '"
                            + tag + "'."));
            return launcher.prepareFork(config, kit, scenario, archive, parentId, snapshot, newScenario);
        });
    }

    private static LocalLiveRun start(RunConfig config, Kit kit, Scenario scenario, Path archivePath,
                                      VmBackend backend, Options options,
                                      java.util.function.BiFunction<RunLauncher, Archive, RunLauncher.Prepared> prepare) {
        Archive archive = Archive.open(archivePath);
        try {
            RunLauncher launcher = new RunLauncher(backend, options.limits(), options.watchPolicy(), true)
                    .forkable(options.forkable());
            RunLauncher.Prepared prepared = prepare.apply(launcher, archive);
            LocalLiveRun run = new LocalLiveRun(config, kit, scenario, archive, launcher, prepared, options);
            run.begin();
            return run;
        } catch (RuntimeException e) {
            archive.close();
            throw e;
        }
    }

    private void begin() {
        publisher.scheduleWithFixedDelay(this::publish, PUBLISH_EVERY_MS, PUBLISH_EVERY_MS, TimeUnit.MILLISECONDS);
        Thread.ofPlatform().name("live-run-" + runId()).daemon(true).start(this::runToEnd);
    }

    private void runToEnd() {
        try {
            result = launcher.run(prepared, this::recorded);
        } catch (RuntimeException e) {
            LOG.error("live run {} failed", runId(), e);
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
        } finally {
            controls.shutdown();
            publisher.shutdown();
            try {
                publisher.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flushEvents();
            LiveRunState last = compute();
            state = last;
            listeners.state(last);
            archive.close();
            offerSymbols();
            kernelSymbols.completeExceptionally(new CoordinatorException("The run ended before the guest sent its"
                    + " symbol table."));
            if (failure != null) finished.completeExceptionally(new CoordinatorException(failure));
            else finished.complete(last);
        }
    }

    /** On the run loop's thread: must be quick. */
    private void recorded(RunEvent event) {
        slotStates.apply(event);
        recordedEvents.incrementAndGet();
        pending.add(event);
    }

    // ---- the LiveRun API ----

    @Override
    public long runId() {
        return prepared.runId();
    }

    @Override
    public RunConfig config() {
        return config;
    }

    @Override
    public boolean forkable() {
        return options.forkable();
    }

    /** Read fresh, so a control's effect shows as soon as its future completes. */
    @Override
    public LiveRunState state() {
        return compute();
    }

    @Override
    public Subscription onState(java.util.function.Consumer<LiveRunState> listener) {
        return listeners.onState(listener);
    }

    @Override
    public Subscription onEvents(java.util.function.Consumer<List<RunEvent>> listener) {
        return listeners.onEvents(listener);
    }

    /**
     * Completes with "Frozen; freeze_NNN captured." once the snapshot is committed to the archive (the tag is the
     * snapshot's there).
     */
    @Override
    public CompletableFuture<String> freeze() {
        return control(() -> {
            SnapshotRecord record = hold().freeze();
            committed();
            return record.placeholder()
                    ? "Frozen; " + record.tag() + " could not be captured: " + record.placeholderReason().orElse("")
                    : "Frozen; " + record.tag() + " captured.";
        });
    }

    @Override
    public CompletableFuture<String> resume() {
        return control(() -> {
            long heldNs = hold().resume();
            return "Resumed after " + String.format("%.1f", heldNs / 1e9) + " s frozen.";
        });
    }

    /** Refused while frozen: the state has not changed since the freeze's own snapshot. */
    @Override
    public CompletableFuture<String> captureNow() {
        return control(() -> {
            UserHold hold = hold();
            if (hold.frozen()) throw new CoordinatorException(LiveRefusals.unchangedSinceFreeze(hold.lastTag()));
            String tag = String.format("manual_%03d", manualCaptures.getAndIncrement());
            SnapshotRecord record = captures().captureNow(tag, SnapshotKind.REQUESTED);
            committed();
            if (record.placeholder()) {
                throw new CoordinatorException(tag + " could not be captured: " + record.placeholderReason()
                        .orElse("no reason given") + ".");
            }
            return tag;
        });
    }

    @Override
    public CompletableFuture<String> arm(String watchSpec) {
        return control(() -> {
            ArmedWatch armed = slots().arm(watchSpec);
            return "armed slot " + armed.slot() + ": " + armed.describe();
        });
    }

    @Override
    public CompletableFuture<String> setStayFrozen(int slot, boolean stay) {
        return control(() -> WatchControl.onHitAnswer(slots().setStayFrozen(slot, stay)));
    }

    @Override
    public CompletableFuture<String> runToNextHit() {
        return control(() -> {
            String waiting = WatchControl.runToHitAnswer(slots().holdOnNextHit());
            UserHold hold = hold();
            if (hold.frozen()) hold.resume();
            return waiting;
        });
    }

    /** Completed by the publisher once the guest's kallsyms have arrived; failed if the run ends without them. */
    @Override
    public CompletableFuture<KernelSymbolTable> kernelSymbols() {
        return kernelSymbols;
    }

    @Override
    public CompletableFuture<String> disarm(int slot) {
        return control(() -> {
            ArmedWatch gone = slots().disarm(slot);
            return "disarmed slot " + gone.slot() + ": " + gone.label() + " after " + gone.hits() + " hit"
                    + (gone.hits() == 1 ? "" : "s") + " (" + gone.snapshots() + " with a snapshot)";
        });
    }

    /**
     * Resumes a frozen guest (closing its span), then ends the run with {@code inconclusive}. Returns at once; the
     * end is {@link #finished()}.
     */
    @Override
    public void stop(String reason) {
        String why = reason == null || reason.isBlank() ? STOPPED_BY_USER : reason;
        if (finished.isDone() || !stopping.compareAndSet(false, true)) return;
        Thread.ofPlatform().name("live-run-" + runId() + "-stop").daemon(true).start(() -> {
            // the loop exists only once the run thread got going; a stop right after start waits for it
            while (launcher.loop().isEmpty() && !finished.isDone()) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
            launcher.captures().ifPresent(c -> c.userHold().release());
            launcher.cancel(why);
            publishSoon();
        });
    }

    @Override
    public CompletableFuture<LiveRunState> finished() {
        return finished;
    }

    // ---- controls ----

    /** Runs a control on the control thread after the checks every control shares. */
    private CompletableFuture<String> control(Supplier<String> action) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        try {
            controls.execute(() -> {
                try {
                    requireControllable();
                    answer.complete(action.get());
                } catch (CoordinatorException e) {
                    answer.completeExceptionally(e);
                } catch (RuntimeException e) {
                    LOG.error("live run {}: a control failed", runId(), e);
                    answer.completeExceptionally(new CoordinatorException("The engine failed to carry this out ("
                            + e.getMessage() + "); details are in the log.", e));
                }
                publishSoon();
            });
        } catch (java.util.concurrent.RejectedExecutionException ended) {
            answer.completeExceptionally(new CoordinatorException(LiveRefusals.ended()));
        }
        return answer;
    }

    private void requireControllable() {
        LiveRunState now = compute();
        if (now.ended() || finished.isDone() || stopping.get()) throw new CoordinatorException(LiveRefusals.ended());
        if (!now.phase().atLeast(RunPhase.READY)) throw new CoordinatorException(LiveRefusals.notReady());
        if (now.phase().atLeast(RunPhase.POWERING_OFF)) throw new CoordinatorException(LiveRefusals.poweringOff());
    }

    /** A control that took a snapshot answers once the archive has it, so the view can show it at once. */
    private void committed() {
        try {
            launcher.flushArchive();
        } catch (RuntimeException e) {
            LOG.warn("live run {}: the archive did not confirm the snapshot: {}", runId(), e.getMessage());
        }
    }

    private RunCaptures captures() {
        return launcher.captures().orElseThrow(() -> new CoordinatorException("Freezes and snapshots are off for this"
                + " run: the kernel's type information (BTF) could not be read; see the snapshots lane."));
    }

    private UserHold hold() {
        return captures().userHold();
    }

    private WatchSlots slots() {
        CompletableFuture<WatchSlots> slots = launcher.watchSlots();
        if (!slots.isDone()) throw new CoordinatorException(LiveRefusals.watchesNotUp());
        try {
            // no deadline: done (checked above): join only unwraps its result or failure
            return slots.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CoordinatorException refusal) throw refusal;
            throw new CoordinatorException("Watchpoints are unavailable for this run: " + cause.getMessage(), cause);
        }
    }

    // ---- state ----

    private LiveRunState compute() {
        Optional<RunLoop> loop = launcher.loop();
        RunStatus status = loop.map(RunLoop::status).orElse(RunStatus.INITIAL);
        long elapsed = loop.map(RunLoop::elapsedNanos).orElse(0L);
        Optional<UserHold> hold = launcher.captures().map(RunCaptures::userHold);
        long frozenSince = hold.map(UserHold::frozenSinceNs).orElse(-1L);
        RunResult done = result;
        Optional<Verdict> verdict;
        String reason;
        RunPhase phase = status.phase();
        if (done != null) {
            verdict = Optional.of(done.outcome().decision().verdict());
            reason = done.outcome().decision().reason();
            phase = RunPhase.ENDED;
            elapsed = done.outcome().durationNs();
        } else if (failure != null) {
            verdict = Optional.of(Verdict.ERROR);
            reason = failure;
            phase = RunPhase.ENDED;
        } else {
            verdict = status.decision().map(d -> d.verdict());
            reason = status.decision().map(d -> d.reason()).orElse("");
        }
        return new LiveRunState(phase, frozenSince >= 0, frozenSince, elapsed, status.stepIndex(), status.stepName(),
                scenario.steps().size(), recordedEvents.get(), launcher.committedSnapshots(), launcher.committedSeq(),
                verdict, reason, slotStates.slots(), frozenSince >= 0 ? hold.map(UserHold::lastTag).orElse("") : "");
    }

    private void publishSoon() {
        try {
            publisher.execute(this::publish);
        } catch (java.util.concurrent.RejectedExecutionException ended) {
            // the run has ended: its last state is published by the run thread
        }
    }

    /** On the publisher thread: the events since the last batch, then the state if it changed. */
    private void publish() {
        try {
            flushEvents();
            LiveRunState next = compute();
            LiveRunState previous = state;
            state = next;
            long now = System.nanoTime();
            if (!sameButClock(previous, next) || now - lastPublishedNs >= CLOCK_EVERY_NS) {
                lastPublishedNs = now;
                listeners.state(next);
            }
            offerSymbols();
            cacheSymbolsOnce();
        } catch (RuntimeException e) {
            LOG.warn("live run {}: publishing failed", runId(), e);
        }
    }

    private void flushEvents() {
        List<RunEvent> batch = new ArrayList<>();
        RunEvent e;
        while ((e = pending.poll()) != null) batch.add(e);
        listeners.events(batch);
    }

    private static boolean sameButClock(LiveRunState a, LiveRunState b) {
        return a.phase() == b.phase() && a.frozen() == b.frozen() && a.frozenSinceNs() == b.frozenSinceNs()
                && a.frozenTag().equals(b.frozenTag())
                && a.stepIndex() == b.stepIndex() && a.events() == b.events() && a.snapshots() == b.snapshots()
                && a.committedSeq() == b.committedSeq() && a.verdict().equals(b.verdict())
                && a.slots().equals(b.slots());
    }

    private void offerSymbols() {
        if (kernelSymbols.isDone()) return;
        launcher.loop().map(l -> l.status().symbols()).filter(t -> t.size() > 0).ifPresent(kernelSymbols::complete);
    }

    /** Once the guest's kallsyms have arrived, keep them for launch forms (written off the publisher thread). */
    private void cacheSymbolsOnce() {
        if (options.symbolsCache().isEmpty() || symbolsCached.get()) return;
        Optional<RunLoop> loop = launcher.loop();
        if (loop.isEmpty() || loop.get().status().symbols().size() == 0) return;
        if (!symbolsCached.compareAndSet(false, true)) return;
        var symbols = loop.get().status().symbols();
        KallsymsCache cache = options.symbolsCache().get();
        Thread.ofVirtual().name("live-run-" + runId() + "-kallsyms").start(() -> {
            if (cache.saveIfAbsent(KallsymsCache.key(kit), symbols)) {
                LOG.info("cached {} kernel symbols for {}", symbols.size(), kit.kernelVersion());
            }
        });
    }
}
