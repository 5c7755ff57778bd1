package dev.freezeframe.app.run;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.run.RunOutcome;
import dev.freezeframe.coordinator.run.RunSession;
import dev.freezeframe.coordinator.capture.SnapshotCapturer;
import dev.freezeframe.coordinator.capture.SnapshotStore;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.run.CapturePlan;
import dev.freezeframe.coordinator.run.ForkInstant;
import dev.freezeframe.coordinator.run.ForkableSnapshots;
import dev.freezeframe.coordinator.run.GuestBoot;
import dev.freezeframe.coordinator.run.LiveMonitor;
import dev.freezeframe.coordinator.run.RunCaptures;
import dev.freezeframe.coordinator.run.RunLoop;
import dev.freezeframe.coordinator.run.UserHold;
import dev.freezeframe.coordinator.metrics.GroupLayout;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.Step;
import dev.freezeframe.coordinator.scenario.StepAction;
import dev.freezeframe.coordinator.watch.RunWatches;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.coordinator.watch.WatchSlots;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.persistence.ForkLink;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.BootTemplates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one configuration end to end and archives it live: the run row is created before the VM boots, every event is
 * appended as it happens, and the verdict is written at the end, so a crash at any point keeps what was recorded.
 */
public final class RunLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(RunLauncher.class);

    private final VmBackend backend;
    private final RunFold.Limits limits;
    private final WatchPolicy watchPolicy;
    private final boolean interactive;
    private final GuestKernelCache kernelCache = GuestKernelCache.in(dev.freezeframe.app.AppDirs.fromEnvironment());
    private volatile RunSession session;
    private volatile EventIngest ingest;
    /** {@code -Dfreezeframe.coldBoot=true} boots every run cold (the integration suite's cold-boot pass). */
    public static final String COLD_BOOT_PROPERTY = "freezeframe.coldBoot";
    private final BootTemplates templates;
    private volatile boolean coldBoot = Boolean.getBoolean(COLD_BOOT_PROPERTY);
    private volatile boolean forkable;
    /** The tag of a fork's first snapshot, taken as soon as it runs: the parent's snapshot as the fork sees it. */
    public static final String FORK_START_TAG = "fork_start";
    private volatile CompletableFuture<WatchSlots> watchSlots = new CompletableFuture<>();

    public RunLauncher(VmBackend backend, RunFold.Limits limits) {
        this(backend, limits, WatchPolicy.DEFAULT);
    }

    /** @param watchPolicy what a watch may cost the guest (hot-watch limit, snapshots per watch) */
    public RunLauncher(VmBackend backend, RunFold.Limits limits, WatchPolicy watchPolicy) {
        this(backend, limits, watchPolicy, false);
    }

    /**
     * @param interactive a person drives the run and may hold it frozen at will: the VM's lifetime is not bounded by
     *                    the scenario's length (see {@link GuestPlan#prepare(RunConfig, Kit, Scenario, Path, boolean)})
     */
    public RunLauncher(VmBackend backend, RunFold.Limits limits, WatchPolicy watchPolicy, boolean interactive) {
        this(backend, limits, watchPolicy, interactive, BootTemplates.inCache());
    }

    /** @param templates where boot templates are kept */
    public RunLauncher(VmBackend backend, RunFold.Limits limits, WatchPolicy watchPolicy, boolean interactive,
                       BootTemplates templates) {
        this.templates = templates;
        this.backend = backend;
        this.limits = limits;
        this.watchPolicy = watchPolicy;
        this.interactive = interactive;
    }

    /**
     * A run ready to start: its guest files are written and its row exists in the archive (so its id is known before
     * the VM boots). Hand it to {@link #run(Prepared, Consumer)}.
     */
    public record Prepared(long runId, RunConfig config, Kit kit, Scenario scenario, Archive archive, GuestBoot boot,
                           Path workDir) {
    }

    /** Boot every run of this launcher cold (its plan in a per-run initramfs) instead of from a boot template. */
    public RunLauncher coldBoot(boolean value) {
        coldBoot = value;
        return this;
    }

    /** Keep the whole VM state of every snapshot of this launcher's runs ({@code --forkable}). */
    public RunLauncher forkable(boolean value) {
        forkable = value;
        return this;
    }

    /**
     * The watch slots of the run this launcher runs (or is about to run): completes once the guest's symbol table has
     * arrived and the scheduler is enabled, after {@link RunConfig#watches()} were armed; completes exceptionally (a
     * {@link CoordinatorException}) when the run ends without them. Arm and disarm through it while the run goes on.
     */
    public CompletableFuture<WatchSlots> watchSlots() {
        return watchSlots;
    }

    /**
     * @param onEvent sees every event as it is recorded (on the run loop thread: must be quick)
     */
    public RunResult run(RunConfig config, Kit kit, Scenario scenario, Archive archive, Consumer<RunEvent> onEvent) {
        return run(prepare(config, kit, scenario, archive), onEvent);
    }

    /**
     * Writes the guest's files and creates the run's row; nothing boots yet.
     *
     * @throws dev.freezeframe.app.AppException when the configuration cannot run (unknown scheduler, unwritable temp)
     */
    public Prepared prepare(RunConfig config, Kit kit, Scenario scenario, Archive archive) {
        Path workDir = createWorkDir();
        try {
            GuestBoot boot = GuestPlan.prepareBoot(config, kit, guestScenario(config, scenario), workDir, interactive,
                    coldBoot, templates);
            long runId = archive.createRun(config, Instant.now(), Optional.of(GuestPlan.kernelRelease(config, kit)));
            return new Prepared(runId, config, kit, scenario, archive, boot, workDir);
        } catch (RuntimeException e) {
            deleteQuietly(workDir);
            throw e;
        }
    }

    /**
     * The folder of the complete VM state of snapshot {@code tag} of run {@code parentId}.
     *
     * @throws dev.freezeframe.app.AppException (usage) when it was not kept
     */
    public static Path requireForkable(Archive archive, long parentId, String tag) {
        Path folder = ForkableSnapshots.folderOf(ForkableFolders.of(archive, parentId), tag);
        if (!new BootTemplate(folder, null).exists()) {
            throw dev.freezeframe.app.AppException.usage("Snapshot " + tag + " of run " + parentId + " is not "
                    + "forkable: its VM state is not in " + folder + " (start the run with --forkable; its 'forkable' "
                    + "events say when a state could not be kept).");
        }
        return folder;
    }

    /**
     * Prepares a fork: a new run whose guest starts from the forkable snapshot {@code tag} of run {@code parentId}
     * (same machine, scheduler and tasks), with {@code config}'s watches and snapshot settings; archived with its link
     * to the parent. The parent's guest must have started from a boot template: the fork's VM must be launched exactly
     * as the parent's was.
     *
     * @throws dev.freezeframe.app.AppException (usage) when that snapshot's state was not kept or cannot be used
     */
    public Prepared prepareFork(RunConfig config, Kit kit, Scenario scenario, Archive archive, long parentId,
                                SnapshotInfo snapshot) {
        return prepareFork(config, kit, scenario, archive, parentId, snapshot, false);
    }

    /**
     * @param newScenario {@code scenario} is not the parent's: the fork's guest runs it from the fork instant instead
     *                    of the rest of its plan ({@code fork --scenario}; checked with {@link ForkScenario}). Refused
     *                    (usage) when the snapshot's guest was not running its steps under a scheduler then.
     */
    public Prepared prepareFork(RunConfig config, Kit kit, Scenario scenario, Archive archive, long parentId,
                                SnapshotInfo snapshot, boolean newScenario) {
        Path folder = requireForkable(archive, parentId, snapshot.tag());
        if (newScenario) requireNewScenarioCanContinue(folder, "snapshot " + snapshot.tag() + " of run " + parentId);
        Path workDir = createWorkDir();
        try {
            GuestBoot boot = GuestPlan.prepareBoot(config, kit, guestScenario(config, scenario), workDir, interactive,
                    false, templates);
            if (!(boot instanceof GuestBoot.FromTemplate templated)) {
                throw dev.freezeframe.app.AppException.usage("Run " + parentId + " booted cold (its own kernel or "
                        + "scheduler binary): its snapshots cannot be forked.");
            }
            Optional<GuestBoot.Fork.NewPlan> newPlan = newScenario ? Optional.of(new GuestBoot.Fork.NewPlan(
                    scenario.name(), GuestPlan.forkPlan(config, kit, guestScenario(config, scenario))))
                    : Optional.empty();
            GuestBoot fork = new GuestBoot.Fork(templated.spec(), folder, "run " + parentId + ", snapshot "
                    + snapshot.tag(), snapshot.tag(), newPlan);
            long runId = archive.createRun(config, Instant.now(), Optional.of(GuestPlan.kernelRelease(config, kit)));
            archive.recordFork(new ForkLink(runId, parentId, snapshot.tag(), snapshot.atNanos()));
            return new Prepared(runId, config, kit, scenario, archive, fork, workDir);
        } catch (RuntimeException e) {
            deleteQuietly(workDir);
            throw e;
        }
    }

    /** A new scenario takes over from the agent while it runs its steps under a scheduler (ForkInstant). */
    private static void requireNewScenarioCanContinue(Path folder, String what) {
        try {
            ForkInstant.of(folder).newScenarioProblem(what).ifPresent(problem -> {
                throw dev.freezeframe.app.AppException.usage(problem);
            });
        } catch (IOException e) {
            throw new dev.freezeframe.app.AppException("The channel log of " + what + " cannot be read ("
                    + e.getMessage() + ").", e);
        }
    }

    /** Boots and runs a prepared run to its verdict, archiving it live; blocks until then. */
    public RunResult run(Prepared prepared, Consumer<RunEvent> onEvent) {
        if (watchSlots.isDone()) watchSlots = new CompletableFuture<>(); // a previous run's
        CompletableFuture<WatchSlots> slots = watchSlots;
        RunConfig config = prepared.config();
        Scenario scenario = prepared.scenario();
        Archive archive = prepared.archive();
        long runId = prepared.runId();
        try {
            RunOutcome outcome;
            try (EventIngest live = archive.startIngest(runId)) {
                ingest = live;
                CapturePlan plan = new CapturePlan(config.snapshots(), scenario.totalDurationMs());
                session = new RunSession(backend, limits, scenario.expect(), GroupLayout.of(scenario),
                        loop -> captures(prepared, plan, live, loop, slots));
                outcome = session.run(prepared.boot(), describe(config, scenario), event -> {
                    live.append(event);
                    onEvent.accept(event);
                });
                live.flush();
                archive.recordMetrics(runId, outcome.metrics());
                archive.finishRun(runId, outcome.decision().verdict(), withHeadline(archive, runId,
                        outcome.decision().reason()), Instant.now());
                return new RunResult(runId, outcome, live.committedSnapshots());
            }
        } finally {
            slots.completeExceptionally(new CoordinatorException("The run has ended: watches can no longer be armed."));
            deleteQuietly(prepared.workDir());
        }
    }

    /**
     * The verdict reason as archived: the run loop's reason and, when the findings say something went wrong, their
     * headline (issue 13). A record whose findings cannot be read costs the headline, not the run.
     */
    static String withHeadline(Archive archive, long runId, String reason) {
        try {
            String base = reason == null ? "" : reason;
            return dev.freezeframe.coordinator.findings.Findings.headline(RunFindings.of(archive, runId))
                    .filter(h -> !base.contains(h)).map(h -> base.isEmpty() ? "headline: " + h
                            : base + " — headline: " + h).orElse(reason);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("run {}: findings not read for the verdict's headline", runId, e);
            return reason;
        }
    }

    /**
     * What the guest runs: the scenario, and for "freeze when the scheduler is enabled" a request at the start of the
     * first step that the host answers once it holds the guest (see {@link UserHold}), so the workload waits for it.
     */
    static Scenario guestScenario(RunConfig config, Scenario scenario) {
        if (!config.freezeOnEnable() || scenario.steps().isEmpty()) return scenario;
        List<Step> steps = new ArrayList<>(scenario.steps());
        Step first = steps.getFirst();
        List<StepAction> actions = new ArrayList<>();
        actions.add(new StepAction(UserHold.ON_ENABLE_TAG, null));
        actions.addAll(first.actions());
        steps.set(0, new Step(first.name(), first.durationMs(), first.workload(), first.workloads(), actions));
        return new Scenario(scenario.schema(), scenario.name(), scenario.description(), scenario.cgroups(), steps,
                scenario.expect());
    }

    /** The run's event loop, once it runs. */
    public Optional<RunLoop> loop() {
        RunSession current = session;
        return current == null ? Optional.empty() : current.loop();
    }

    /** The run's capture engine (snapshots, the user's hold, slot 0), once the VM is up. */
    public Optional<RunCaptures> captures() {
        RunSession current = session;
        return current == null ? Optional.empty() : current.captures();
    }

    /**
     * The user's hold on the guest once the VM is up: {@link UserHold#resume()} lets a run frozen by
     * {@link RunConfig#freezeOnEnable()} go on (a headless run has nobody else to do it).
     */
    public Optional<UserHold> userHold() {
        return captures().map(RunCaptures::userHold);
    }

    /** The seq of the last event committed to the archive, -1 before any. */
    public long committedSeq() {
        EventIngest live = ingest;
        return live == null ? -1 : live.lastCommittedSeq();
    }

    /** Waits until everything the run has recorded so far is committed to the archive (readers see it). */
    public void flushArchive() {
        EventIngest live = ingest;
        if (live != null) live.flush();
    }

    /** Snapshots committed to the archive so far. */
    public long committedSnapshots() {
        EventIngest live = ingest;
        return live == null ? 0 : live.committedSnapshots();
    }

    /**
     * The run's capture engine. It decodes with the types of the kernel the guest really runs, which its agent sends
     * right after it is up (KERNEL_BTF), so the kit's vmlinux is never assumed: until they arrive, or if the kernel has
     * none, a capture says why it has no kernel state. The watch slots ride on it (each hit is a capture), so they come
     * up with it; see {@link RunWatches} for when.
     */
    private Optional<RunCaptures> captures(Prepared prepared, CapturePlan plan, EventIngest ingest, RunLoop loop,
                                           CompletableFuture<WatchSlots> slots) {
        RunConfig config = prepared.config();
        AtomicBoolean kept = new AtomicBoolean();
        Supplier<Read<KernelTypes>> types = () -> loop.status().kernel().map(kernel -> {
            // kept off the capture path: the guest is frozen while this runs
            if (kept.compareAndSet(false, true)) {
                Thread.ofVirtual().name("kernel-btf-cache").start(() -> kernelCache.store(kernel));
            }
            return kernel.types();
        }).orElseGet(() -> Read.unavailable("the guest has not sent its kernel's type information (BTF)"));
        RunCaptures captures = new RunCaptures(new SnapshotCapturer(types, config.vcpus()), plan,
                new SnapshotStore(), ingest::append, loop);
        if (prepared.boot() instanceof GuestBoot.Fork) captures.captureOnStart(FORK_START_TAG);
        if (forkable) {
            captures.keepForkable(new ForkableSnapshots(ForkableFolders.of(prepared.archive(), prepared.runId()),
                    () -> baseImage(prepared.boot())));
        }
        if (config.monitor().enabled()) new LiveMonitor(loop, config.monitor(), config.vcpus()).start(captures::vm);
        CompletableFuture<WatchSlots> watches = RunWatches.start(loop, captures, config.watches(), watchPolicy);
        watches.whenComplete((ready, failed) -> {
            if (failed == null) slots.complete(ready);
            else slots.completeExceptionally(failed);
        });
        if (config.freezeOnEnable()) {
            // slot 0 and the configured watches go in first, so the user arms more on a guest already stopped
            captures.userHold().holdOnEnable(CompletableFuture.allOf(captures.errorTriggerSettled(),
                    watches.exceptionally(failed -> null)));
        }
        return Optional.of(captures);
    }

    /** The RAM image of the boot template the run's guest started from (read at its first capture, so it exists). */
    private Optional<Path> baseImage(GuestBoot boot) {
        if (!(boot instanceof GuestBoot.FromTemplate templated)) return Optional.empty();
        return backend.templateKey(templated.spec()).map(templated.store()::of).filter(BootTemplate::exists)
                .map(BootTemplate::ram);
    }

    /** Stops a run in progress (Ctrl-C, the window's stop button); the run still ends with a verdict. */
    public void cancel(String reason) {
        RunSession current = session;
        if (current != null) current.cancel(reason);
    }

    private static String describe(RunConfig config, Scenario scenario) {
        return config.scheduler() + (config.schedulerArgs().isEmpty() ? "" : " " + String.join(" ",
                config.schedulerArgs())) + " under " + scenario.name() + " on " + config.vcpus() + " vCPUs";
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("freezeframe-run-");
        } catch (IOException e) {
            throw new dev.freezeframe.app.AppException("Cannot create a temporary folder for the run (" + e.getMessage()
                    + "). Check that " + System.getProperty("java.io.tmpdir") + " is writable.", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove {}", dir, e);
        }
    }
}
