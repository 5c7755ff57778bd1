package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunFilter;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code freezeframe runs list [filters]}: one line per archived run, newest first. */
@Command(name = "list", description = "List the archived runs, newest first; options narrow the list.",
        mixinStandardHelpOptions = true)
public final class RunsListCommand implements Callable<Integer> {
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @ParentCommand
    RunsCommand parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--scheduler", paramLabel = "NAME", description = "Scheduler name contains NAME.")
    String scheduler;

    @Option(names = "--kernel", paramLabel = "TEXT", description = "Kernel image or version contains TEXT.")
    String kernel;

    @Option(names = "--verdict", paramLabel = "VERDICT",
            description = "One of passed, scheduler_failed, failed_expectation, error, inconclusive, running, unfinished,"
                    + " interrupted.")
    String verdict;

    @Option(names = "--since", paramLabel = "DATE", converter = ArchiveCommands.InstantConverter.class,
            description = "Started at or after DATE (2026-11-01, 2026-11-01T10:00 or an ISO instant).")
    Instant since;

    @Option(names = "--until", paramLabel = "DATE", converter = ArchiveCommands.InstantConverter.class,
            description = "Started before DATE.")
    Instant until;

    @Option(names = {"--text", "--search"}, paramLabel = "WORDS",
            description = "Console lines, event texts or the verdict reason contain all WORDS.")
    String text;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs.")
    int limit;

    @Override
    public Integer call() {
        FreezeframeCommand root = (FreezeframeCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        if (verdict != null && !List.of("passed", "scheduler_failed", "failed_expectation", "error", "inconclusive", "running",
                "unfinished", "interrupted")
                .contains(verdict)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Unknown verdict '" + verdict
                    + "': use passed, scheduler_failed, failed_expectation, error, inconclusive, running, unfinished or"
                    + " interrupted.");
        }
        RunFilter filter = RunFilter.ALL.withScheduler(scheduler).withKernel(kernel).withVerdict(verdict)
                .withStartedFrom(since).withStartedBefore(until).withText(text).withLimit(Math.max(0, limit));
        boolean filtered = !filter.equals(RunFilter.ALL.withLimit(filter.limit()));
        try (Archive archive = Archive.open(root.archivePath())) {
            List<ArchivedRun> runs = archive.runs().list(filter);
            if (runs.isEmpty() && filtered) {
                out.println("No runs in " + archive.path() + " match.");
            } else if (runs.isEmpty()) {
                out.println("No runs in " + archive.path() + " yet.");
                out.println(FirstRunHint.sentence(spec.root()));
            } else {
                printTable(out, runs);
                var forks = archive.forkLinks();
                for (ArchivedRun run : runs) {
                    if (forks.containsKey(run.id())) {
                        out.println("run " + run.id() + " is a fork of " + forks.get(run.id()).describeParent());
                    }
                }
            }
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }

    static void printTable(PrintWriter out, List<ArchivedRun> runs) {
        String format = "%6s  %-19s  %-16s  %-20s  %-24s  %-16s  %9s%n";
        out.printf(format, "ID", "STARTED", "SCHEDULER", "SCENARIO", "KERNEL", "VERDICT", "DURATION");
        boolean incomplete = false;
        for (ArchivedRun run : runs) {
            String verdict = run.verdictLabel() + (run.archiveNote().isPresent() ? " *" : "");
            incomplete |= run.archiveNote().isPresent();
            out.printf(format, run.id(), STARTED.format(run.startedAt()), clip(run.scheduler(), 16),
                    clip(run.scenario(), 20), clip(run.kernelVersion().orElse(run.kernel()), 24), verdict,
                    run.durationMs().map(ms -> String.format("%.1f s", ms / 1000.0)).orElse("-"));
        }
        if (incomplete) {
            out.println("* the record is incomplete (e.g. imported from a cut-off export): see `runs show ID`");
        }
    }

    private static String clip(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "…";
    }
}
