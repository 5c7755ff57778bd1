package dev.freezeframe.app.run;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.watch.WatchSlots;
import dev.freezeframe.coordinator.watch.WatchSpec;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.kit.BzImage;
import dev.freezeframe.vmm.kit.GuestContract;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitBuilder;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a user asks {@code freezeframe run} (or the launch form) for, as typed, and the one place it is checked: the
 * command line and the launch form both turn these fields into a {@link RunConfig} here, so both refuse the same
 * mistakes with the same sentences.
 *
 * @param scheduler      a kit scheduler's name or the path of the user's own binary
 * @param schedulerArgs  the scheduler's arguments as one string, split on blanks
 * @param scenario       a built-in scenario's name or a scenario file
 * @param vcpus          guest vCPUs
 * @param memory         guest memory as typed: {@code 1G}, {@code 768M}, {@code 1024} (MiB)
 * @param kernel         null for the guest kit's kernel, else the path of a bzImage (blank: not chosen yet)
 * @param snapshots      periodic snapshots over the workload
 * @param watches        watch specs as typed ({@code SYMBOL[+OFF][:SIZE][:KIND]})
 * @param freezeOnEnable freeze the guest as soon as the scheduler is enabled
 * @param includes       files to ship into the guest as typed ({@code PATH[:NAME]}), for the scenario's exec workloads
 */
public record RunOptions(String scheduler, String schedulerArgs, String scenario, int vcpus, String memory,
                         String kernel, int snapshots, List<String> watches, boolean freezeOnEnable,
                         List<String> includes) {
    public static final int MIN_VCPUS = 1;
    public static final int MAX_VCPUS = 64;
    public static final int MIN_MEMORY_MIB = 256;
    public static final int MAX_MEMORY_MIB = 64 * 1024;
    public static final int MAX_SNAPSHOTS = 999;
    public static final String DEFAULT_SCENARIO = "cpu-pingpong";
    public static final int DEFAULT_VCPUS = 2;
    public static final String DEFAULT_MEMORY = "1G";
    public static final String KIT_KERNEL = "kit";

    private static final Pattern MEMORY = Pattern.compile("(\\d+)\\s*([MmGg]?)(i?[Bb])?");

    public RunOptions {
        scheduler = scheduler == null ? "" : scheduler;
        schedulerArgs = schedulerArgs == null ? "" : schedulerArgs;
        scenario = scenario == null ? "" : scenario;
        memory = memory == null ? "" : memory;
        watches = List.copyOf(watches);
        includes = includes == null ? List.of() : List.copyOf(includes);
    }

    public RunOptions(String scheduler, String schedulerArgs, String scenario, int vcpus, String memory, String kernel,
                      int snapshots, List<String> watches, boolean freezeOnEnable) {
        this(scheduler, schedulerArgs, scenario, vcpus, memory, kernel, snapshots, watches, freezeOnEnable, List.of());
    }

    /** A mistake in one field, in a sentence the user can act on. */
    public record Problem(RunOption option, String sentence) {
        public Problem {
            Objects.requireNonNull(option, "option");
            Objects.requireNonNull(sentence, "sentence");
        }
    }

    /** The outcome of {@link #check}: a config ready to run, or every problem found. */
    public sealed interface Checked permits Valid, Invalid {
    }

    /** The options make a run; {@code scenario} is the loaded scenario (its steps and durations). */
    public record Valid(RunConfig config, Scenario scenario) implements Checked {
    }

    /** What is wrong, in field order, at least one problem. */
    public record Invalid(List<Problem> problems) implements Checked {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) throw new IllegalArgumentException("an Invalid without problems");
        }

        public Optional<Problem> of(RunOption option) {
            return problems.stream().filter(p -> p.option() == option).findFirst();
        }
    }

    /**
     * Checks every field; files named (kernel, scheduler, scenario) are looked at, nothing is booted.
     *
     * @param kitSchedulers the scheduler names the guest kit provides (see {@link #kitSchedulers})
     */
    public Checked check(Collection<String> kitSchedulers) {
        List<Problem> problems = new ArrayList<>();
        String kernelChoice = checkKernel(kernel, problems);
        String schedulerChoice = scheduler.strip();
        schedulerProblem(schedulerChoice, kitSchedulers).ifPresent(s -> problems.add(new Problem(RunOption.SCHEDULER, s)));
        Scenario loaded = null;
        String scenarioChoice = scenario.strip();
        try {
            loaded = loadScenario(scenarioChoice);
        } catch (CoordinatorException | AppException e) {
            problems.add(new Problem(RunOption.SCENARIO, e.getMessage()));
        }
        vcpusProblem(vcpus).ifPresent(s -> problems.add(new Problem(RunOption.VCPUS, s)));
        if (loaded != null && loaded.highestCpuNamed() >= vcpus) {
            problems.add(new Problem(RunOption.SCENARIO, "The scenario " + scenarioChoice + " places work on CPU "
                    + loaded.highestCpuNamed() + " (a cpuset or \"cpus\" mask), but the guest has " + vcpus
                    + " vCPUs (0 to " + (vcpus - 1) + "); raise --vcpus or change the scenario."));
        }
        int memoryMib = 0;
        try {
            memoryMib = parseMemoryMib(memory);
        } catch (AppException e) {
            problems.add(new Problem(RunOption.MEMORY, e.getMessage()));
        }
        snapshotsProblem(snapshots).ifPresent(s -> problems.add(new Problem(RunOption.SNAPSHOTS, s)));
        List<String> normalisedWatches = List.of();
        try {
            normalisedWatches = checkedWatches(watches);
        } catch (AppException e) {
            problems.add(new Problem(RunOption.WATCHES, e.getMessage()));
        }
        List<RunConfig.IncludedFile> shipped = null;
        try {
            shipped = IncludedFiles.check(includes);
        } catch (AppException e) {
            problems.add(new Problem(RunOption.INCLUDES, e.getMessage()));
        }
        List<RunConfig.SchedulerSwap> swaps = List.of();
        if (loaded != null) {
            swaps = loaded.swaps().stream().map(w -> new RunConfig.SchedulerSwap(w.step(), w.scheduler(), w.args()))
                    .toList();
            scenarioReferenceProblems(scenarioChoice, schedulerChoice, loaded, kitSchedulers, shipped)
                    .forEach(s -> problems.add(new Problem(RunOption.SCENARIO, s)));
        }
        if (!problems.isEmpty()) return new Invalid(problems);
        RunConfig config = new RunConfig(schedulerChoice, splitArgs(schedulerArgs), scenarioChoice, vcpus, memoryMib,
                kernelChoice, snapshots, normalisedWatches, freezeOnEnable).withSwapsAndIncludes(swaps,
                Objects.requireNonNull(shipped));
        return new Valid(config, loaded);
    }

    /**
     * The checked config and scenario.
     *
     * @throws AppException a {@linkplain AppException#isUsageError() usage error} whose message holds every problem's
     *                      sentence, one per line
     */
    public Valid checked(Collection<String> kitSchedulers) {
        return switch (check(kitSchedulers)) {
            case Valid valid -> valid;
            case Invalid invalid -> throw AppException.usage(invalid.problems().stream().map(Problem::sentence)
                    .collect(Collectors.joining("\n")));
        };
    }

    /** The schedulers a run can name: the kit recipe's, plus any the current kit was built with. */
    public static Set<String> kitSchedulers(Optional<Kit> kit) {
        Set<String> names = new LinkedHashSet<>(KitBuilder.SCHEDULERS);
        kit.ifPresent(k -> {
            try {
                names.addAll(k.schedulers().keySet());
            } catch (VmmException | java.io.UncheckedIOException unreadableLock) {
                // a damaged kit is rebuilt before the run; its recipe's schedulers are what it will have
            }
        });
        return names;
    }

    private static String checkKernel(String kernel, List<Problem> problems) {
        if (kernel == null) return KIT_KERNEL;
        if (kernel.isBlank()) {
            problems.add(new Problem(RunOption.KERNEL, "Choose a kernel image (a bzImage), or boot the guest kit's"
                    + " kernel."));
            return KIT_KERNEL;
        }
        try {
            Path path = Path.of(kernel.strip()).toAbsolutePath();
            BzImage.read(path);
            return path.toString();
        } catch (InvalidPathException e) {
            problems.add(new Problem(RunOption.KERNEL, "'" + kernel + "' is not a file path."));
        } catch (VmmException e) {
            problems.add(new Problem(RunOption.KERNEL, e.getMessage()));
        }
        return KIT_KERNEL;
    }

    /** Why a scheduler choice cannot run, if it cannot. */
    public static Optional<String> schedulerProblem(String scheduler, Collection<String> kitSchedulers) {
        String s = scheduler.strip();
        if (s.isEmpty()) {
            return Optional.of("Choose a scheduler: one of the kit's (" + String.join(", ", kitSchedulers) + ") or the"
                    + " path of your own binary.");
        }
        if (kitSchedulers.contains(s)) return Optional.empty();
        try {
            Path path = Path.of(s);
            if (Files.isRegularFile(path)) return Optional.empty();
            if (Files.isDirectory(path)) {
                return Optional.of("The scheduler " + s + " is a directory; choose the scheduler binary in it.");
            }
        } catch (InvalidPathException notAPath) {
            // reported as unknown below
        }
        return Optional.of("Unknown scheduler '" + s + "': the guest kit has " + String.join(", ", kitSchedulers)
                + ", and no such file exists.");
    }

    /**
     * What the scenario names outside itself: the schedulers it swaps in, the included files its exec workloads run
     * ({@code shipped} null when {@code --include} has its own problem: the files it names are then not judged).
     */
    private static List<String> scenarioReferenceProblems(String scenario, String scheduler, Scenario loaded,
                                                          Collection<String> kitSchedulers,
                                                          List<RunConfig.IncludedFile> shipped) {
        List<String> found = new ArrayList<>();
        java.util.Map<String, String> shippedByName = new java.util.HashMap<>(); // a user's binaries share /run.d/bin
        if (!scheduler.isEmpty() && !kitSchedulers.contains(scheduler)) {
            try {
                Path own = Path.of(scheduler).toAbsolutePath().normalize();
                shippedByName.put(String.valueOf(own.getFileName()), own.toString());
            } catch (InvalidPathException reportedAsTheSchedulersProblem) {
                // the --scheduler problem says it
            }
        }
        for (Scenario.Swap swap : loaded.swaps()) {
            schedulerProblem(swap.scheduler(), kitSchedulers).ifPresent(p -> found.add("The scenario " + scenario
                    + ", step " + swap.step() + ": \"swap_scheduler\": " + p));
            if (kitSchedulers.contains(swap.scheduler())) continue;
            Path path = Path.of(swap.scheduler()).toAbsolutePath().normalize();
            String other = shippedByName.putIfAbsent(String.valueOf(path.getFileName()), path.toString());
            if (other != null && !other.equals(path.toString())) {
                found.add("The scenario " + scenario + ", step " + swap.step() + ": \"swap_scheduler\" " + path
                        + " has the same file name as " + other + ", and both would land in the guest's "
                        + GuestContract.USER_SCHEDULER_DIR + "; rename one.");
            }
        }
        if (shipped == null) return found; // --include's own problem says what is wrong with the files
        List<String> names = shipped.stream().map(RunConfig.IncludedFile::name).toList();
        for (String path : loaded.execPaths()) {
            if (!names.contains(path)) {
                found.add("The scenario " + scenario + " runs '" + path + "' (an exec workload's \"path\"), but no"
                        + " --include ships a file of that name (" + (names.isEmpty() ? "none is shipped"
                        : "shipped: " + String.join(", ", names)) + ").");
            }
        }
        return found;
    }

    private static Scenario loadScenario(String scenario) {
        if (scenario.isEmpty()) {
            throw AppException.usage("Choose a scenario: a built-in (" + String.join(", ", ScenarioLoader.BUILT_INS)
                    + ") or a scenario JSON file.");
        }
        return ScenarioLoader.load(scenario);
    }

    public static Optional<String> vcpusProblem(int vcpus) {
        if (vcpus >= MIN_VCPUS && vcpus <= MAX_VCPUS) return Optional.empty();
        return Optional.of("The guest needs " + MIN_VCPUS + " to " + MAX_VCPUS + " vCPUs; got " + vcpus + ".");
    }

    public static Optional<String> snapshotsProblem(int snapshots) {
        if (snapshots >= 0 && snapshots <= MAX_SNAPSHOTS) return Optional.empty();
        return Optional.of("Periodic snapshots must be between 0 and " + MAX_SNAPSHOTS + "; got " + snapshots + ".");
    }

    /**
     * Each watch is well formed and there are at most 3; what they name is checked once the guest runs.
     *
     * @return the watches in the form {@link WatchSpec#text()} writes
     * @throws AppException a usage error with the engine's sentence
     */
    public static List<String> checkedWatches(List<String> watches) {
        if (watches.size() > WatchSlots.USER_SLOTS) {
            throw AppException.usage("--watch can be given at most " + WatchSlots.USER_SLOTS + " times (watch slots 1-3;"
                    + " slot 0 is the scheduler-error trigger); got " + watches.size() + ": " + String.join(", ",
                    watches) + ".");
        }
        List<String> specs = new ArrayList<>();
        for (String w : watches) {
            try {
                specs.add(WatchSpec.parse(w).text());
            } catch (CoordinatorException e) {
                throw AppException.usage("--watch " + w + ": " + e.getMessage());
            }
        }
        return specs;
    }

    /** The scheduler's arguments as words: split on blanks. */
    public static List<String> splitArgs(String args) {
        return args.isBlank() ? List.of() : List.of(args.strip().split("\\s+"));
    }

    /**
     * Guest memory in MiB from {@code 1G}, {@code 768M}, {@code 1024} (MiB), {@code 2GiB}.
     *
     * @throws AppException a usage error saying what is accepted
     */
    public static int parseMemoryMib(String text) {
        Matcher m = MEMORY.matcher(text.strip());
        if (!m.matches()) {
            throw AppException.usage("Guest memory must look like 1G or 768M; got '" + text.strip() + "'.");
        }
        String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
        long value = digits.length() > 12 ? Long.MAX_VALUE / 2048 : Long.parseLong(digits);
        long mib = m.group(2).equalsIgnoreCase("G") ? value * 1024 : value;
        if (mib < MIN_MEMORY_MIB || mib > MAX_MEMORY_MIB) {
            throw AppException.usage("Guest memory must be between 256M and 64G; got '" + text.strip() + "'.");
        }
        return (int) mib;
    }

    /** How {@code freezeframe run} writes a memory size: whole GiB as {@code NG}, else {@code NM}. */
    public static String formatMemory(int memoryMib) {
        return memoryMib % 1024 == 0 ? memoryMib / 1024 + "G" : memoryMib + "M";
    }
}
