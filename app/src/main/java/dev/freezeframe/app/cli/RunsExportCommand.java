package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.RunExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe runs export ID FILE}: one run as a single shareable file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write one run (events, snapshots, verdict) to a single file that `runs import` reads.")
public final class RunsExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The run's id.")
    long id;

    @Parameters(index = "1", paramLabel = "FILE", description = "The export file to write (replaced if it exists).")
    Path file;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            RunExporter.Summary s = new RunExporter(archive).export(id, file);
            out.printf("Exported run %d (%d events, %d snapshots) to %s (%d bytes).%n", s.runId(), s.events(),
                    s.snapshots(), s.file(), s.bytes());
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }
}
