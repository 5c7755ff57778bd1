package dev.freezeframe.app.cli;

import dev.freezeframe.app.ui.WorkbenchLauncher;
import dev.freezeframe.app.ui.link.DeepLinkClient;
import dev.freezeframe.app.ui.link.DeepLinkSocket;
import dev.freezeframe.app.ui.link.OpenRequest;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunFilter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freezeframe open RUN [--snapshot TAG]}: shows a run in the workbench — in the window already running (handed
 * over on its socket), else in a new window.
 */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = {"Open an archived run in the workbench: in the window that is already running, else in a new "
                + "one.", "RUN is a run id, `last` (the newest run) or `last:VERDICT` (the newest run with that "
                + "verdict, e.g. last:scheduler_failed)."})
public final class OpenCommand implements Callable<Integer> {
    private static final List<String> VERDICTS = List.of("passed", "scheduler_failed", "failed_expectation", "error", "inconclusive",
            "running", "unfinished", "interrupted");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "A run id, last, or last:VERDICT.")
    String run;

    @Option(names = "--snapshot", paramLabel = "TAG", description = "Show this snapshot of the run (e.g. error).")
    String snapshot;

    /** Where the running window listens; for tests and scripts that run several workbenches. */
    @Option(names = "--socket", paramLabel = "PATH", hidden = true)
    Path socket;

    @Override
    public Integer call() {
        FreezeframeCommand root = (FreezeframeCommand) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        long runId = resolve(root.archivePath());
        OpenRequest request = new OpenRequest(runId, Optional.ofNullable(snapshot).filter(s -> !s.isBlank()));
        Path listening = socket != null ? socket : DeepLinkSocket.forEnvironment(root.dirs());
        if (DeepLinkClient.send(listening, request) == DeepLinkClient.Outcome.HANDED_OVER) {
            out.println("opened run " + runId + " in the running workbench");
            out.flush();
            return FreezeframeCommand.EXIT_OK;
        }
        return WorkbenchLauncher.launch(root.dirs(), root.archivePath(), FirstRunHint.sentence(spec.root()), out,
                spec.commandLine().getErr(), String.join(", ", spec.root().subcommands().keySet()),
                Optional.of(request), WorkbenchLauncher::openRunTab);
    }

    /** The run RUN names in {@code db}; a usage error (exit 64) when there is none. */
    long resolve(Path db) {
        if (!Files.isRegularFile(db)) {
            throw usage("There is no archive at " + db + " (choose one with --db).");
        }
        try (Archive archive = Archive.open(db)) {
            if (run.equals("last") || run.startsWith("last:")) {
                String verdict = run.equals("last") ? null : run.substring("last:".length());
                if (verdict != null && !VERDICTS.contains(verdict)) {
                    throw usage("Unknown verdict '" + verdict + "' in '" + run + "': use last:" + String.join(
                            ", last:", VERDICTS) + ".");
                }
                List<ArchivedRun> newest = archive.runs().list(RunFilter.ALL.withVerdict(verdict).withLimit(1));
                if (newest.isEmpty()) {
                    throw usage(verdict == null ? "There are no runs in " + db + " yet."
                            : "No run in " + db + " has the verdict " + verdict + ".");
                }
                return newest.getFirst().id();
            }
            long id;
            try {
                id = Long.parseLong(run);
            } catch (NumberFormatException e) {
                throw usage("'" + run + "' is not a run: give a run id, last, or last:VERDICT.");
            }
            if (id <= 0 || archive.runs().detail(id).isEmpty()) {
                throw usage("There is no run " + run + " in " + db + ". See the runs with `freezeframe runs list`.");
            }
            return id;
        }
    }

    private ParameterException usage(String sentence) {
        return new ParameterException(spec.commandLine(), sentence);
    }
}
