package dev.freezeframe.app.run;

import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link RunConfig} as the {@code freezeframe run} command that asks for the same run, so what the window
 * starts can be repeated from a shell or CI (parsing it back yields an equal config).
 */
public final class RunCommandLine {
    public static final String PROGRAM = "freezeframe";

    private RunCommandLine() {
    }

    /** The words after the program name, starting with {@code run}. */
    public static List<String> arguments(RunConfig config, Path archiveOrNull) {
        List<String> args = new ArrayList<>();
        args.add("run");
        args.add(RunOption.SCHEDULER.flag());
        args.add(config.scheduler());
        if (!config.schedulerArgs().isEmpty()) {
            args.add(RunOption.SCHEDULER_ARGS.flag());
            args.add(String.join(" ", config.schedulerArgs()));
        }
        args.add(RunOption.SCENARIO.flag());
        args.add(config.scenario());
        args.add(RunOption.VCPUS.flag());
        args.add(Integer.toString(config.vcpus()));
        args.add(RunOption.MEMORY.flag());
        args.add(RunOptions.formatMemory(config.memoryMib()));
        if (!config.kernel().equals(RunOptions.KIT_KERNEL)) {
            args.add(RunOption.KERNEL.flag());
            args.add(config.kernel());
        }
        if (config.snapshots() > 0) {
            args.add(RunOption.SNAPSHOTS.flag());
            args.add(Integer.toString(config.snapshots()));
        }
        for (String watch : config.watches()) {
            args.add(RunOption.WATCHES.flag());
            args.add(watch);
        }
        if (config.freezeOnEnable()) args.add(RunOption.FREEZE_ON_ENABLE.flag());
        for (RunConfig.IncludedFile file : config.includes()) {
            args.add(RunOption.INCLUDES.flag());
            args.add(IncludedFiles.spec(file));
        }
        if (archiveOrNull != null) {
            args.add("--db");
            args.add(archiveOrNull.toString());
        }
        return args;
    }

    /**
     * The command as typed, for options that do not check yet: the form shows a command line even while a field is
     * wrong (running it says what is wrong, like the form does).
     */
    public static String asTyped(RunOptions options, Path archiveOrNull) {
        List<String> words = new ArrayList<>(List.of(PROGRAM, "run", RunOption.SCHEDULER.flag(),
                options.scheduler().strip()));
        if (!options.schedulerArgs().isBlank()) {
            words.addAll(List.of(RunOption.SCHEDULER_ARGS.flag(), options.schedulerArgs().strip()));
        }
        words.addAll(List.of(RunOption.SCENARIO.flag(), options.scenario().strip(), RunOption.VCPUS.flag(),
                Integer.toString(options.vcpus()), RunOption.MEMORY.flag(), options.memory().strip()));
        if (options.kernel() != null) words.addAll(List.of(RunOption.KERNEL.flag(), options.kernel().strip()));
        if (options.snapshots() != 0) {
            words.addAll(List.of(RunOption.SNAPSHOTS.flag(), Integer.toString(options.snapshots())));
        }
        for (String watch : options.watches()) words.addAll(List.of(RunOption.WATCHES.flag(), watch));
        if (options.freezeOnEnable()) words.add(RunOption.FREEZE_ON_ENABLE.flag());
        for (String include : options.includes()) words.addAll(List.of(RunOption.INCLUDES.flag(), include));
        if (archiveOrNull != null) words.addAll(List.of("--db", archiveOrNull.toString()));
        return ShellWords.join(words);
    }

    /** The shell-quoted command line, e.g. {@code freezeframe run --scheduler scx_qmap --sched-args '-e 50' ...}. */
    public static String toCommandLine(RunConfig config) {
        return toCommandLine(config, null);
    }

    /** As {@link #toCommandLine(RunConfig)}, with {@code --db FILE} when the run goes to a non-default archive. */
    public static String toCommandLine(RunConfig config, Path archiveOrNull) {
        List<String> words = new ArrayList<>();
        words.add(PROGRAM);
        words.addAll(arguments(config, archiveOrNull));
        return ShellWords.join(words);
    }
}
