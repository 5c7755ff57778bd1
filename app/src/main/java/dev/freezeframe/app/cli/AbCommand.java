package dev.freezeframe.app.cli;

import dev.freezeframe.app.AppException;
import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.app.run.RunResult;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code freezeframe ab --scheduler A --scheduler B}: runs the same scenario under two schedulers (or two
 * configurations of one) N times each, alternating A and B so a machine that gets busier part-way hurts both sides
 * alike, then compares their workload metrics as {@code freezeframe compare} does.
 */
@Command(name = "ab", mixinStandardHelpOptions = true,
        description = {"Run one scenario under scheduler A and scheduler B, --repeat times each (alternating), then"
                + " compare their workload metrics: per metric the change, Welch's t-test and a verdict (better,"
                + " worse, no change, noisy).",
                "Exit code: 0 nothing got worse, 1 some metric got worse or B's scheduler failed, 2 a run could not"
                        + " be judged (an error, or A's scheduler failed), 64 usage error."})
public final class AbCommand implements Callable<Integer> {
    static final int MAX_REPEAT = 50;

    @Spec
    CommandSpec spec;

    @Option(names = "--scheduler", required = true, paramLabel = "\"NAME [ARGS]\"",
            description = "Give it twice: A (the baseline) then B. A kit scheduler or a binary's path, optionally"
                    + " followed by its arguments in the same word, e.g. --scheduler scx_qmap --scheduler"
                    + " \"scx_qmap -s 100\".")
    List<String> schedulers = new ArrayList<>();

    @Option(names = "--scenario", paramLabel = "NAME|FILE", defaultValue = "latency",
            description = "Built-in scenario or a scenario JSON file. Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--include", paramLabel = "PATH[:NAME]",
            description = "Ship this file into the guest as NAME (default: its file name) for the scenario's exec"
                    + " workloads, in every run of both sides. A statically linked binary or a #! script; up to 8"
                    + " files of at most 16 MiB each. Repeatable.")
    List<String> includes = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "Runs per side. Default: ${DEFAULT-VALUE} (from 3, Welch's test is used).")
    int repeat;

    @Mixin
    MachineOptions machine;

    @Mixin
    ComparisonOptions comparison;

    /** One side: what runs and the runs it made. */
    private record Plan(String label, RunOptions.Valid valid, List<Long> runs) {
    }

    @Override
    public Integer call() {
        if (schedulers.size() != 2) {
            throw AppException.usage("Give --scheduler exactly twice (A, the baseline, then B); got "
                    + schedulers.size() + ".");
        }
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw AppException.usage("--repeat must be between 1 and " + MAX_REPEAT + "; got " + repeat + ".");
        }
        MetricComparison.Thresholds t = comparison.thresholds();
        boolean json = comparison.json;
        Duration watchdog = RunCommand.checkedWatchdog(machine.watchdogSeconds);
        FreezeframeCommand root = (FreezeframeCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json ? spec.commandLine().getErr() : out;
        KitCache cache = RunCommand.kitCache(root);
        List<Plan> sides = new ArrayList<>();
        for (String s : schedulers) {
            sides.add(new Plan(s.strip().replaceAll("\\s+", " "),
                    sideOptions(s).checked(RunOptions.kitSchedulers(cache.current())), new ArrayList<>()));
        }
        Kit kit = RunCommand.readyKit(cache, progress);
        int worstExit = FreezeframeCommand.EXIT_OK;
        try (Archive archive = Archive.open(root.archivePath())) {
            for (int i = 1; i <= repeat; i++) {
                for (int s = 0; s < 2; s++) {
                    Plan side = sides.get(s);
                    String name = s == 0 ? "A" : "B";
                    progress.printf("%s %d/%d: %s under %s …%n", name, i, repeat, side.label(), side.valid().scenario()
                            .name());
                    progress.flush();
                    RunLauncher launcher = new RunLauncher(new QemuBackend(), new RunFold.Limits(watchdog,
                            Duration.ofSeconds(15)));
                    RunResult result = launcher.run(side.valid().config(), kit, side.valid().scenario(), archive,
                            event -> { });
                    Verdict verdict = result.outcome().decision().verdict();
                    progress.printf("%s %d/%d: run %d %s (%.1f s)%s%n", name, i, repeat, result.runId(),
                            verdict.wireName(), result.outcome().durationNs() / 1e9,
                            verdict == Verdict.PASSED ? "" : " — " + result.outcome().decision().reason());
                    progress.flush();
                    side.runs().add(result.runId());
                    worstExit = Math.max(worstExit, exitFor(s == 1, verdict));
                }
            }
            if (worstExit != FreezeframeCommand.EXIT_OK) {
                progress.println("Not compared: " + (worstExit == CompareCommand.EXIT_WORSE
                        ? "B's scheduler failed where A's did not." : "a run could not be judged (see above)."));
                progress.flush();
                return worstExit;
            }
            CompareCommand.Side a = CompareCommand.side(archive, sides.get(0).runs(), "A");
            CompareCommand.Side b = CompareCommand.side(archive, sides.get(1).runs(), "B");
            return CompareCommand.report(out, a, b, t, json);
        }
    }

    /** What one side runs: its scheduler word ({@code "NAME [ARGS]"}) with the options both sides share. */
    RunOptions sideOptions(String schedulerWord) {
        List<String> words = Arrays.stream(schedulerWord.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) throw AppException.usage("--scheduler needs a scheduler name or path.");
        return new RunOptions(words.getFirst(), String.join(" ", words.subList(1, words.size())), scenario,
                machine.vcpus, machine.memory, null, 0, List.of(), false, includes);
    }

    /** A side's run that did not pass: B's scheduler failing is a regression (1); anything else cannot be judged (2). */
    private static int exitFor(boolean sideB, Verdict verdict) {
        return switch (verdict) {
            case PASSED, FAILED_EXPECTATION -> FreezeframeCommand.EXIT_OK;
            case SCHEDULER_FAILED -> sideB ? CompareCommand.EXIT_WORSE : FreezeframeCommand.EXIT_FAILURE;
            case ERROR, INCONCLUSIVE -> FreezeframeCommand.EXIT_FAILURE;
        };
    }
}
