package dev.freezeframe.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.AppException;
import dev.freezeframe.app.run.ForkScenario;
import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.RunDetail;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freezeframe fork RUN TAG}: a new run that starts from the forkable snapshot TAG of run RUN — the same guest,
 * scheduler and tasks, mid-flight — with its own watches and snapshots; archived linked to its parent.
 */
@Command(name = "fork", mixinStandardHelpOptions = true,
        description = {"Start a new run from a forkable snapshot of an archived run (one started with --forkable): the"
                + " guest goes on from that instant with the same scheduler and tasks, under new watches and snapshot"
                + " settings, and with --scenario under another scenario. Its wall clock is set to the host's and its"
                + " random pool reseeded, so forks of one snapshot do not share random numbers. The fork is archived"
                + " as its own run, linked to its parent.",
                "Exit code: 0 passed, 1 scheduler failed, 2 error or inconclusive (also: the state could not be"
                + " restored), 64 usage error."})
public final class ForkCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The parent run's id (see `freezeframe runs list`).")
    long parentId;

    @Parameters(index = "1", paramLabel = "TAG", description = "The parent's snapshot to start from (see "
            + "`freezeframe snapshots RUN`).")
    String tag;

    @Option(names = "--snapshots", paramLabel = "N", defaultValue = "0",
            description = "Take N periodic snapshots spread over the scenario, counted from the fork. Default: 0.")
    int snapshots;

    @Option(names = "--watch", paramLabel = "SYMBOL[+OFF][:SIZE][@LABEL]",
            description = "Watch writes to a kernel symbol in the fork, as for `freezeframe run --watch`. Repeatable.")
    List<String> watches = new ArrayList<>();

    @Option(names = "--forkable", description = "Keep the fork's snapshots forkable too.")
    boolean forkable;

    @Option(names = "--watchdog", paramLabel = "SECONDS", defaultValue = "60",
            description = "End the fork as hung after this long without a sign of life from the guest. Default: 60.")
    int watchdogSeconds;

    @Option(names = "--json", description = "Print one JSON object with the result at the end.")
    boolean json;

    @Option(names = "--scenario", paramLabel = "NAME|FILE",
            description = "Run this scenario from the fork instant instead of the rest of the parent's: the step that"
                    + " runs is cut short (its workers stopped) and the scenario's steps follow, under the scheduler"
                    + " already running. A built-in (${COMPLETION-CANDIDATES}) or a scenario JSON file. It must fit"
                    + " the parent's guest: its vCPUs, its cgroups (or none), the kit's schedulers for swaps, the files"
                    + " the parent shipped with --include for exec workloads; and the snapshot must have been taken"
                    + " while the parent's scenario ran. Default: the parent's scenario goes on where it was.",
            completionCandidates = RunCommand.BuiltInScenarios.class)
    String scenario;

    @Option(names = "--sched-args", paramLabel = "ARGS",
            description = "Only the parent's own arguments are accepted: the scheduler is already running at the fork"
                    + " instant and is not started again, so other arguments cannot be applied.")
    String schedulerArgs;

    @Override
    public Integer call() {
        FreezeframeCommand root = (FreezeframeCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json ? spec.commandLine().getErr() : out;
        RunOptions.snapshotsProblem(snapshots).ifPresent(problem -> {
            throw AppException.usage(problem);
        });
        RunConfig parent;
        SnapshotInfo snapshot;
        RunConfig config;
        Scenario loaded;
        boolean newScenario = scenario != null;
        KitCache cache = RunCommand.kitCache(root);
        try (Archive archive = Archive.open(root.archivePath())) {
            RunDetail detail = archive.runs().detail(parentId).orElseThrow(() -> AppException.usage("There is no run "
                    + parentId + " in " + root.archivePath() + "."));
            parent = JSON.readValue(detail.configJson(), RunConfig.class);
            schedulerArgsProblem(parent).ifPresent(problem -> {
                throw AppException.usage(problem);
            });
            RunConfig inherited = new RunConfig(parent.scheduler(), parent.schedulerArgs(), parent.scenario(),
                    parent.vcpus(), parent.memoryMib(), parent.kernel(), snapshots, watches, false)
                    .withSwapsAndIncludes(parent.swaps(), parent.includes());
            if (newScenario) {
                ForkScenario.Checked checked = ForkScenario.check(parentId, parent, scenario,
                        RunOptions.kitSchedulers(cache.current()), inherited);
                config = checked.config();
                loaded = checked.scenario();
            } else {
                config = inherited;
                loaded = ScenarioLoader.load(parent.scenario());
            }
            snapshot = archive.runs().snapshots(parentId).stream().filter(s -> s.tag().equals(tag)).findFirst()
                    .orElseThrow(() -> AppException.usage("Run " + parentId + " has no snapshot '" + tag + "'; see "
                            + "`freezeframe snapshots " + parentId + "`."));
            RunLauncher.requireForkable(archive, parentId, tag);
        } catch (IOException e) {
            throw new AppException("The configuration of run " + parentId + " cannot be read (" + e.getMessage()
                    + ").", e);
        }
        Kit kit = RunCommand.readyKit(cache, progress);
        RunFold.Limits limits = new RunFold.Limits(Duration.ofSeconds(watchdogSeconds), Duration.ofSeconds(15));
        RunLauncher launcher = new RunLauncher(new QemuBackend(), limits).forkable(forkable);
        CountDownLatch runEnded = new CountDownLatch(1);
        Thread cancelOnCtrlC = new Thread(() -> RunCommand.stopAndWait(launcher, runEnded), "stop-on-ctrl-c");
        Runtime.getRuntime().addShutdownHook(cancelOnCtrlC);
        try {
            progress.printf("fork: run %d from snapshot %s (%.2f s into it)%s%n", parentId, tag,
                    snapshot.atNanos() / 1e9, newScenario ? ", then scenario " + loaded.name() : "");
            return RunCommand.runAndReport(root, launcher, config, loaded, out, progress, cancelOnCtrlC,
                    archive -> launcher.prepareFork(config, kit, loaded, archive, parentId, snapshot, newScenario),
                    json, (Path) null);
        } finally {
            runEnded.countDown();
        }
    }

    /** A fork keeps the parent's scheduler as it runs: other arguments are refused, in a sentence saying why. */
    private java.util.Optional<String> schedulerArgsProblem(RunConfig parent) {
        if (schedulerArgs == null || RunOptions.splitArgs(schedulerArgs).equals(parent.schedulerArgs())) {
            return java.util.Optional.empty();
        }
        String was = parent.schedulerArgs().isEmpty() ? "no arguments" : "'" + String.join(" ", parent
                .schedulerArgs()) + "'";
        return java.util.Optional.of("A fork cannot change the scheduler's arguments: " + parent.scheduler()
                + " is already running at the fork instant (started by run " + parentId + " with " + was + ") and a"
                + " fork never starts it again, so '" + schedulerArgs.strip() + "' cannot be applied live. Fork"
                + " without --sched-args, or start a new run with them.");
    }
}
