package dev.freezeframe.app.cli;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.WorkbenchLauncher;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The root command: without a subcommand it opens the workbench window; the headless subcommands live beside it.
 */
@Command(name = "freezeframe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.Provider.class,
        description = {
                "Investigation workbench for sched_ext scheduler regressions.",
                "Without a command, opens the workbench window. The commands below run headless (for CI and scripts)."},
        subcommands = {RunCommand.class, ForkCommand.class, RunsCommand.class, SnapshotsCommand.class, SnapshotCommand.class,
                FindingsCommand.class, SeriesCommand.class, KitCommand.class, ImportKtstrCommand.class, OpenCommand.class,
                CompareCommand.class, AbCommand.class},
        usageHelpWidth = 110)
public final class FreezeframeCommand implements Callable<Integer> {
    /** Exit codes shared by all commands (the run command adds 1 and 2 for verdicts). */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 2;
    public static final int EXIT_USAGE = 64;

    @Spec
    CommandSpec spec;

    @Option(names = "--db", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Run archive (SQLite). Default: ${DEFAULT-VALUE}")
    Path db;

    private final AppDirs dirs;

    public FreezeframeCommand(AppDirs dirs) {
        this.dirs = dirs;
        this.db = dirs.defaultArchive();
    }

    public AppDirs dirs() {
        return dirs;
    }

    /** The archive chosen with {@code --db} (inherited by every subcommand), or the default one. */
    public Path archivePath() {
        return db;
    }

    @Override
    public Integer call() {
        return WorkbenchLauncher.launch(dirs, db, FirstRunHint.sentence(spec), spec.commandLine().getOut(),
                spec.commandLine().getErr(),
                headlessCommandNames());
    }

    private String headlessCommandNames() {
        return String.join(", ", spec.subcommands().keySet());
    }
}
