package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code freezeframe runs list}: one line per archived run, newest first. */
@Command(name = "list", description = "List the archived runs, newest first.", mixinStandardHelpOptions = true)
public final class RunsListCommand implements Callable<Integer> {
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @ParentCommand
    RunsCommand parent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FreezeframeCommand root = (FreezeframeCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = Archive.open(root.archivePath())) {
            List<ArchivedRun> runs = archive.listRuns();
            if (runs.isEmpty()) {
                out.println("No runs in " + archive.path() + " yet.");
                out.println(FirstRunHint.sentence(spec.root()));
            } else {
                printTable(out, runs);
            }
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }

    static void printTable(PrintWriter out, List<ArchivedRun> runs) {
        String format = "%6s  %-19s  %-16s  %-20s  %-24s  %-16s  %9s%n";
        out.printf(format, "ID", "STARTED", "SCHEDULER", "SCENARIO", "KERNEL", "VERDICT", "DURATION");
        for (ArchivedRun run : runs) {
            out.printf(format, run.id(), STARTED.format(run.startedAt()), clip(run.scheduler(), 16),
                    clip(run.scenario(), 20), clip(run.kernelVersion().orElse(run.kernel()), 24), run.verdictLabel(),
                    run.durationMs().map(ms -> String.format("%.1f s", ms / 1000.0)).orElse("-"));
        }
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
