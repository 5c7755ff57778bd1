package dev.freezeframe.app.cli;

import dev.freezeframe.app.run.RunFindings;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.AppException;
import dev.freezeframe.app.run.JunitReport;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.app.run.GuestPlan;
import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.app.run.RunResult;
import dev.freezeframe.coordinator.findings.Findings;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.MonitorConfig;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.monitor.MonitorSpec;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitBuilder;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.kit.KitOptions;
import dev.freezeframe.vmm.kit.KitProgress;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code freezeframe run}: one headless run to its verdict, archived live; the exit code is the verdict. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Boot the guest kit with a sched_ext scheduler under a workload scenario, stream what happens,"
                + " decide a verdict and archive the run.",
                "Exit code: 0 passed, 1 scheduler failed, 2 error or inconclusive, 64 usage error."})
public final class RunCommand implements Callable<Integer> {
    public static final int EXIT_SCHEDULER_FAILED = 1;
    static final int MAX_WATCHDOG_SECONDS = 3600;
    private static final String ERROR_TAG = "error";
    /** The verdict reason of a run ended with Ctrl-C (SIGINT) or a plain kill (SIGTERM). */
    public static final String STOPPED_BY_USER = "stopped by the user";
    /** How long Ctrl-C waits for the run to stop the VM, decide and archive before the JVM exits regardless. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Option(names = "--scheduler", required = true, paramLabel = "NAME|PATH",
            description = "A kit scheduler (scx_simple, scx_qmap, scx_central) or the path of your own binary.")
    String scheduler;

    @Option(names = "--sched-args", paramLabel = "ARGS", defaultValue = "",
            description = "Arguments for the scheduler, split on spaces (e.g. \"-e 50\").")
    String schedulerArgs;

    @Option(names = "--scenario", paramLabel = "NAME|FILE", defaultValue = "cpu-pingpong",
            description = "Built-in scenario (${COMPLETION-CANDIDATES}) or a scenario JSON file. Default: ${DEFAULT-VALUE}.",
            completionCandidates = BuiltInScenarios.class)
    String scenario;

    @Mixin
    MachineOptions machine;

    @Option(names = "--kernel", paramLabel = "BZIMAGE", description = "Boot this kernel instead of the kit's.")
    Path kernel;

    @Option(names = "--include", paramLabel = "PATH[:NAME]",
            description = "Ship this file into the guest as NAME (default: its file name) for the scenario's exec"
                    + " workloads. A statically linked binary (the guest has no dynamic loader) or a #! script;"
                    + " up to 8 files of at most 16 MiB each. Repeatable.")
    List<String> includes = new java.util.ArrayList<>();

    @Option(names = "--snapshots", paramLabel = "N", defaultValue = "0",
            description = "Take N periodic snapshots spread over the workload (tags periodic_000...). Default: ${DEFAULT-VALUE}.")
    int snapshots;

    @Option(names = "--watch", paramLabel = "SYMBOL[+OFF][:SIZE][@LABEL]",
            description = {"Watch writes to a kernel symbol from the moment the scheduler is enabled; each hit"
                    + " freezes the guest and takes a snapshot tagged watch:SYMBOL. Repeatable, up to 3 (slot 0 is the"
                    + " scheduler-error trigger). OFF is hex (0x40) or decimal; SIZE is 1, 2, 4 or 8 (default 8 when"
                    + " 8-byte aligned and the symbol spans 8 bytes, else 4); append :read or :access for other kinds."
                    + " A kernel address works too (0xADDR[:SIZE], e.g. a BPF map value's field); @LABEL names the"
                    + " watch in its tag (watch:LABEL).",
                    "The first 10 hits of a watch get snapshots, later ones are counted; a watch hit more than 20 times"
                    + " within 1 s is disarmed."})
    List<String> watches = new java.util.ArrayList<>();

    @Option(names = "--control", paramLabel = "stdin",
            description = "Read watch commands from standard input during the run, one per line: watch"
                    + " SYMBOL[+OFF][:SIZE][@LABEL] (or 0xADDR[:SIZE][@LABEL]), unwatch SLOT|SYMBOL,"
                    + " on-hit SLOT stay|continue, watches (list), help. Each gets one answer line on"
                    + " standard error, starting 'control: '.")
    String control;

    @Option(names = "--freeze-on-enable",
            description = "Freeze the guest as soon as the scheduler is enabled, before the workload starts, so watches"
                    + " can be armed on a still guest; the workload runs when the guest is resumed.")
    boolean freezeOnEnable;

    @Option(names = "--forkable", description = "Keep the whole VM state of every snapshot (device state and the RAM "
            + "pages that differ from the boot template, compressed), so a later fork can start from it.")
    boolean forkable;

    @Option(names = "--cold-boot", description = "Boot the guest from scratch instead of starting it from the boot"
            + " template of its machine (kernel, kit, vCPUs, memory); the first run of a machine makes its template.")
    boolean coldBoot;

    @Option(names = "--monitor", paramLabel = "MAP[KEY]:FIELD_PATH",
            description = "Also sample this scheduler map field live (no freeze), e.g. arena:qa.nr_enqueued or"
                    + " stats[0]:cnt: arrays, per-CPU arrays (one series per CPU plus a sum) and arena globals; KEY is"
                    + " the array index (default 0). Repeatable. See `freezeframe series`.")
    List<String> monitorFields = new java.util.ArrayList<>();

    @Option(names = "--monitor-interval", paramLabel = "DURATION", defaultValue = "100ms",
            description = "How often the live monitor reads run queues, DSQs, event counters and --monitor fields from"
                    + " the running guest (e.g. 100ms, 1s; at least 10ms). Default: ${DEFAULT-VALUE}.")
    String monitorInterval;

    @Option(names = "--no-monitor", description = "Turn the live monitor off.")
    boolean noMonitor;

    @Option(names = "--json", description = "Print one JSON object with the result at the end (progress goes to stderr).")
    boolean json;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the result as a JUnit XML report.")
    Path junit;

    /** picocli lists the built-in scenarios in the help from here. */
    static final class BuiltInScenarios extends java.util.ArrayList<String> {
        BuiltInScenarios() {
            super(ScenarioLoader.BUILT_INS);
        }
    }

    /** The findings' headline for the JUnit report; a report that cannot be read costs the headline, not the run. */
    private static String junitHeadline(Archive archive, long runId, PrintWriter progress) {
        try {
            return Findings.headline(RunFindings.of(archive, runId)).orElse(null);
        } catch (java.io.IOException e) {
            progress.println("findings: the run's snapshots could not be read for the JUnit headline ("
                    + e.getMessage() + ")");
            return null;
        }
    }

    @Override
    public Integer call() {
        // first: the backend's one-time preparation (QEMU's version, the gdbstub's parser) overlaps the checks below
        QemuBackend backend = new QemuBackend();
        FreezeframeCommand root = (FreezeframeCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = json ? spec.commandLine().getErr() : out;
        KitCache cache = kitCache(root);
        RunOptions.Valid valid = options().checked(RunOptions.kitSchedulers(cache.current()));
        Duration watchdog = checkedWatchdog(machine.watchdogSeconds);
        boolean controlFromStdin = checkedControl(control);
        if (freezeOnEnable && !controlFromStdin) {
            throw AppException.usage("--freeze-on-enable holds the guest frozen before the workload until it is resumed:"
                    + " add --control stdin and type 'resume' (after arming watches) to let it run.");
        }
        RunConfig config = valid.config().withMonitor(checkedMonitor());
        Scenario loaded = valid.scenario();
        Kit kit = readyKit(cache, progress);

        RunFold.Limits limits = new RunFold.Limits(watchdog, Duration.ofSeconds(15));
        RunLauncher launcher = new RunLauncher(backend, limits).coldBoot(coldBoot).forkable(forkable);
        // Ctrl-C starts the JVM's shutdown: the hook asks the run to stop and waits (with a deadline) until its verdict
        // is archived and printed, so the run reads "inconclusive: stopped by the user", not "interrupted".
        CountDownLatch runEnded = new CountDownLatch(1);
        Thread cancelOnCtrlC = new Thread(() -> stopAndWait(launcher, runEnded), "stop-on-ctrl-c");
        Runtime.getRuntime().addShutdownHook(cancelOnCtrlC);
        if (controlFromStdin) {
            ControlInput.start(System.in, launcher.watchSlots(), () -> resumeHeld(launcher), spec.commandLine().getErr());
        }
        try {
            return runAndReport(root, launcher, config, loaded, out, progress, cancelOnCtrlC,
                    archive -> launcher.prepare(config, kit, loaded, archive), json, junit);
        } finally {
            runEnded.countDown();
        }
    }

    static void stopAndWait(RunLauncher launcher, CountDownLatch runEnded) {
        launcher.cancel(STOPPED_BY_USER);
        try {
            if (!runEnded.await(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println("freezeframe: the run did not stop within " + STOP_DEADLINE.toSeconds()
                        + " s; exiting (the archive keeps what was recorded, the run reads as interrupted)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs what {@code prepare} makes in the archive, prints progress and the verdict; the exit code is the verdict. */
    static int runAndReport(FreezeframeCommand root, RunLauncher launcher, RunConfig config, Scenario loaded,
                            PrintWriter out, PrintWriter progress, Thread cancelOnCtrlC,
                            java.util.function.Function<Archive, RunLauncher.Prepared> prepare, boolean json,
                            Path junit) {
        RunResult result;
        boolean errorSnapshot;
        String headline = null;
        try (Archive archive = Archive.open(root.archivePath())) {
            RunLauncher.Prepared prepared = prepare.apply(archive);
            progress.printf("run: %s under %s, %d vCPUs, %d MiB, kernel %s%n", String.join(" ", config.scheduler(),
                    String.join(" ", config.schedulerArgs())).strip(), loaded.name(), config.vcpus(),
                    config.memoryMib(), GuestPlan.kernelRelease(config, prepared.kit()));
            progress.flush();
            result = launcher.run(prepared, event -> printProgress(progress, event));
            errorSnapshot = archive.runs().snapshots(result.runId()).stream()
                    .anyMatch(s -> s.kind() == SnapshotKind.ERROR && s.tag().equals(ERROR_TAG));
            if (junit != null) headline = junitHeadline(archive, result.runId(), progress);
        } finally {
            removeHook(cancelOnCtrlC);
        }
        Verdict verdict = result.outcome().decision().verdict();
        progress.printf("verdict: %s — %s (run %d in %s)%n", verdict.wireName(), result.outcome().decision().reason(),
                result.runId(), root.archivePath());
        progress.println(openLine(result.runId(), errorSnapshot));
        progress.flush();
        if (junit != null) JunitReport.write(junit, config, loaded, result, headline);
        if (json) {
            out.println(toJson(result, config));
            out.flush();
        }
        return switch (verdict) {
            case PASSED -> FreezeframeCommand.EXIT_OK;
            case SCHEDULER_FAILED, FAILED_EXPECTATION -> EXIT_SCHEDULER_FAILED;
            case ERROR, INCONCLUSIVE -> FreezeframeCommand.EXIT_FAILURE;
        };
    }

    /** The live monitor as asked for; its syntax is checked before anything boots (exit 64). */
    MonitorConfig checkedMonitor() {
        for (String field : monitorFields) {
            try {
                MonitorSpec.parse(field);
            } catch (IllegalArgumentException e) {
                throw AppException.usage(e.getMessage());
            }
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,7})\\s*(ms|s)")
                .matcher(monitorInterval.strip());
        if (!m.matches()) {
            throw AppException.usage("--monitor-interval '" + monitorInterval + "' is not a duration such as 100ms"
                    + " or 1s");
        }
        Duration interval = m.group(2).equals("s") ? Duration.ofSeconds(Long.parseLong(m.group(1)))
                : Duration.ofMillis(Long.parseLong(m.group(1)));
        if (interval.compareTo(MonitorConfig.MIN_INTERVAL) < 0) {
            throw AppException.usage("--monitor-interval " + monitorInterval + " is too short: at least "
                    + MonitorConfig.MIN_INTERVAL.toMillis() + "ms");
        }
        if (noMonitor && !monitorFields.isEmpty()) {
            throw AppException.usage("--no-monitor turns the live monitor off, so --monitor "
                    + monitorFields.getFirst() + " would never be read: drop one of them.");
        }
        return new MonitorConfig(!noMonitor, interval, monitorFields);
    }

    /** The options as typed, for {@link RunOptions#check}; nothing is looked at yet. */
    public RunOptions options() {
        return new RunOptions(scheduler, schedulerArgs, scenario, machine.vcpus, machine.memory,
                kernel == null ? null : kernel.toString(), snapshots, watches, freezeOnEnable, includes);
    }

    /** The line a headless run ends with, to look at it in the window. */
    static String openLine(long runId, boolean errorSnapshot) {
        return "open in the workbench: freezeframe open " + runId + (errorSnapshot ? " --snapshot " + ERROR_TAG : "");
    }

    static KitCache kitCache(FreezeframeCommand root) {
        return new KitCache(root.dirs().cacheDir().resolve("kit"));
    }

    static Kit readyKit(KitCache cache, PrintWriter progress) {
        Optional<Kit> current = cache.current().filter(k -> KitBuilder.problems(k).isEmpty());
        if (current.isPresent()) return current.get();
        progress.println("The guest kit is not built yet (or needs a rebuild); building it now. This takes a few"
                + " minutes once.");
        progress.flush();
        return new KitBuilder(cache, KitProgress.printingTo(progress)).build(KitOptions.defaults());
    }

    /** One line per event a person follows live: lifecycle, steps, scheduler errors and output, snapshots. */
    static void printProgress(PrintWriter progress, RunEvent event) {
        if (event.lane() == Lane.CONSOLE || event.lane() == Lane.STATS) return;
        if (event.lane() == Lane.HARNESS && event.kind().equals("wire_totals")) return;
        String what = switch (event.lane()) {
            // an exec's exit shares the steps lane: its value is the exit status, not a step number
            case STEPS -> !event.kind().equals("step") ? event.text()
                    : "step " + (event.value() == null ? "" : (long) event.value().doubleValue() + " ") + event.text();
            case WATCHPOINTS -> event.kind().equals("refused") ? "refused: " + event.text() : event.text();
            default -> event.kind().replace('_', ' ') + (event.text().isEmpty() ? "" : ": " + event.text());
        };
        progress.printf("[%7.2fs] %-10s %s%n", event.atNanos() / 1e9, event.lane().wireName(), what);
        progress.flush();
    }

    private static String toJson(RunResult result, RunConfig config) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("run_id", result.runId());
        json.put("verdict", result.outcome().decision().verdict().wireName());
        json.put("reason", result.outcome().decision().reason());
        json.put("events", result.outcome().events());
        json.put("snapshots", result.snapshots());
        json.put("duration_ms", result.outcome().durationNs() / 1_000_000);
        json.put("scheduler", config.scheduler());
        if (!config.swaps().isEmpty()) json.put("swaps", config.swaps()); // the schedulers the scenario swapped in
        json.put("scenario", config.scenario());
        json.put("metrics", MetricsText.json(result.outcome().metrics()));
        try {
            return new ObjectMapper().writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each {@code --watch} is well formed and there are at most 3 (see {@link RunOptions#checkedWatches}). */
    static List<String> checkedWatches(List<String> watches) {
        return RunOptions.checkedWatches(watches);
    }

    /** The answer to {@code resume} on the control input. */
    private static String resumeHeld(RunLauncher launcher) {
        try {
            return launcher.userHold().map(h -> "resumed after " + h.resume() / 1_000_000 + " ms frozen")
                    .orElse("refused: the guest is not up yet");
        } catch (dev.freezeframe.coordinator.CoordinatorException e) {
            return "refused: " + e.getMessage();
        }
    }

    static boolean checkedControl(String control) {
        if (control == null) return false;
        if (!control.equals("stdin")) {
            throw AppException.usage("--control takes 'stdin' (commands on standard input, answers on standard error);"
                    + " got '" + control + "'.");
        }
        return true;
    }

    static Duration checkedWatchdog(int seconds) {
        if (seconds < 1 || seconds > MAX_WATCHDOG_SECONDS) {
            throw AppException.usage("--watchdog must be between 1 and " + MAX_WATCHDOG_SECONDS + " seconds; got "
                    + seconds + ".");
        }
        return Duration.ofSeconds(seconds);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting (Ctrl-C): the hook is running and cancels the run
        }
    }
}
