package dev.freezeframe.app.cli;

import dev.freezeframe.app.run.ForkableFolders;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchiveException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe runs delete ID}: removes a run with everything recorded for it. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete one run from the archive with its events, snapshots and forkable VM states (export it first to keep it).")
public final class RunsDeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The run's id.")
    long id;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            if (!ForkableFolders.deleteRun(archive, id)) {
                throw new ArchiveException("There is no run " + id + " in " + archive.path() + "; nothing was deleted.");
            }
            out.printf("Deleted run %d.%n", id);
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }
}
