package dev.freezeframe.app.run;

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
    private volatile RunSession session;

    public RunLauncher(VmBackend backend, RunFold.Limits limits) {
        this.backend = backend;
        this.limits = limits;
    }

    /**
     * @param onEvent sees every event as it is recorded (on the run loop thread: must be quick)
     */
    public RunResult run(RunConfig config, Kit kit, Scenario scenario, Archive archive, Consumer<RunEvent> onEvent) {
        Path workDir = createWorkDir();
        try {
            VmSpec spec = GuestPlan.prepare(config, kit, scenario, workDir);
            long runId = archive.createRun(config, Instant.now(), Optional.of(kit.kernelVersion()));
            RunOutcome outcome;
            try (EventIngest ingest = archive.startIngest(runId)) {
                CapturePlan plan = new CapturePlan(config.snapshots(), scenario.totalDurationMs());
                session = new RunSession(backend, limits, loop -> captures(kit, config, plan, ingest, loop));
                outcome = session.run(spec, describe(config, scenario), event -> {
                    ingest.append(event);
                    onEvent.accept(event);
                });
                ingest.flush();
                archive.finishRun(runId, outcome.decision().verdict(), outcome.decision().reason(), Instant.now());
                return new RunResult(runId, outcome, ingest.committedSnapshots());
            }
        } finally {
            deleteQuietly(workDir);
        }
    }

    /** The run's capture engine: needs the kernel's BTF (struct layouts) to read anything out of the frozen guest. */
    private Optional<RunCaptures> captures(Kit kit, RunConfig config, CapturePlan plan, EventIngest ingest,
                                           RunLoop loop) {
        try {
            KernelTypes types = new KernelTypes(Btf.fromElf(kit.vmlinux()));
            return Optional.of(new RunCaptures(new SnapshotCapturer(types, config.vcpus()), plan, new SnapshotStore(),
                    ingest::append, loop));
        } catch (BtfException e) {
            LOG.warn("no snapshots for this run: the kernel's BTF cannot be read from {}", kit.vmlinux(), e);
            loop.submit(new RunInput.HarnessNote(Lane.SNAPSHOTS, "unavailable", "snapshots are off for this run: the "
                    + "kernel's type information (BTF) cannot be read: " + e.getMessage(), null));
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
