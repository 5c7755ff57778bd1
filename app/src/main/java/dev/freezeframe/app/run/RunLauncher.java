package dev.freezeframe.app.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.run.RunOutcome;
import dev.freezeframe.coordinator.run.RunSession;
import dev.freezeframe.coordinator.capture.SnapshotCapturer;
import dev.freezeframe.coordinator.capture.SnapshotStore;
import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.run.CapturePlan;
import dev.freezeframe.coordinator.run.RunCaptures;
import dev.freezeframe.coordinator.run.RunInput;
import dev.freezeframe.coordinator.run.RunLoop;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.watch.RunWatches;
import dev.freezeframe.coordinator.watch.WatchPolicy;
import dev.freezeframe.coordinator.watch.WatchSlots;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.kit.Kit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
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
    private volatile RunSession session;
    private volatile CompletableFuture<WatchSlots> watchSlots = new CompletableFuture<>();

    public RunLauncher(VmBackend backend, RunFold.Limits limits) {
        this(backend, limits, WatchPolicy.DEFAULT);
    }

    /** @param watchPolicy what a watch may cost the guest (hot-watch limit, snapshots per watch) */
    public RunLauncher(VmBackend backend, RunFold.Limits limits, WatchPolicy watchPolicy) {
        this.backend = backend;
        this.limits = limits;
        this.watchPolicy = watchPolicy;
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
        if (watchSlots.isDone()) watchSlots = new CompletableFuture<>(); // a previous run's
        CompletableFuture<WatchSlots> slots = watchSlots;
        Path workDir = createWorkDir();
        try {
            VmSpec spec = GuestPlan.prepare(config, kit, scenario, workDir);
            long runId = archive.createRun(config, Instant.now(), Optional.of(kit.kernelVersion()));
            RunOutcome outcome;
            try (EventIngest ingest = archive.startIngest(runId)) {
                CapturePlan plan = new CapturePlan(config.snapshots(), scenario.totalDurationMs());
                session = new RunSession(backend, limits, loop -> captures(kit, config, plan, ingest, loop, slots));
                outcome = session.run(spec, describe(config, scenario), event -> {
                    ingest.append(event);
                    onEvent.accept(event);
                });
                ingest.flush();
                archive.finishRun(runId, outcome.decision().verdict(), outcome.decision().reason(), Instant.now());
                return new RunResult(runId, outcome, ingest.committedSnapshots());
            }
        } finally {
            slots.completeExceptionally(new CoordinatorException("The run has ended: watches can no longer be armed."));
            deleteQuietly(workDir);
        }
    }

    /**
     * The run's capture engine: needs the kernel's BTF (struct layouts) to read anything out of the frozen guest. The
     * watch slots ride on it (each hit is a capture), so they come up with it; see {@link RunWatches} for when.
     */
    private Optional<RunCaptures> captures(Kit kit, RunConfig config, CapturePlan plan, EventIngest ingest,
                                           RunLoop loop, CompletableFuture<WatchSlots> slots) {
        try {
            KernelTypes types = new KernelTypes(Btf.fromElf(kit.vmlinux()));
            RunCaptures captures = new RunCaptures(new SnapshotCapturer(types, config.vcpus()), plan,
                    new SnapshotStore(), ingest::append, loop);
            RunWatches.start(loop, captures, config.watches(), watchPolicy).whenComplete((ready, failed) -> {
                if (failed == null) slots.complete(ready);
                else slots.completeExceptionally(failed);
            });
            return Optional.of(captures);
        } catch (BtfException e) {
            LOG.warn("no snapshots for this run: the kernel's BTF cannot be read from {}", kit.vmlinux(), e);
            String why = "the kernel's type information (BTF) cannot be read: " + e.getMessage();
            loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, "unavailable", "snapshots are off for this run: "
                    + why, null));
            String off = "Watchpoints are off for this run (each hit is a snapshot): " + why;
            for (String watch : config.watches()) {
                ObjectNode detail = JsonNodeFactory.instance.objectNode().put("request", "watch " + watch)
                        .put("reason", off);
                loop.submit(new RunInput.HarnessNote(Lane.WATCHPOINTS, "refused", off, detail.toString()));
            }
            slots.completeExceptionally(new CoordinatorException(off));
            return Optional.empty();
        }
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
