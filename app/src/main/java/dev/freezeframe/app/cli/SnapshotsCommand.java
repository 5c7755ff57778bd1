package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe snapshots RUN}: the snapshots of one archived run, in capture order. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "List the snapshots of an archived run (periodic, requested, error and watchpoint captures).")
public final class SnapshotsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id (see `freezeframe runs list`).")
    long runId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            ArchiveCommands.requireRun(archive, runId);
            List<SnapshotInfo> snapshots = archive.runs().snapshots(runId);
            if (snapshots.isEmpty()) {
                out.println("Run " + runId + " has no snapshots. Take some with `freezeframe run ... --snapshots N` or a"
                        + " scenario step {\"capture\": \"TAG\"}.");
            } else {
                String format = "%-24s  %-9s  %9s  %4s  %9s  %s%n";
                out.printf(format, "TAG", "KIND", "AT", "STEP", "SIZE", "STATUS");
                for (SnapshotInfo s : snapshots) {
                    out.printf(format, s.tag(), s.kind().wireName(), String.format("%.2f s", s.atNanos() / 1e9),
                            s.stepIndex().map(String::valueOf).orElse("-"), s.reportBytes() / 1024 + " KiB",
                            s.placeholder() ? "unavailable: " + s.placeholderReason().orElse("") : "ok");
                }
            }
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }
}
