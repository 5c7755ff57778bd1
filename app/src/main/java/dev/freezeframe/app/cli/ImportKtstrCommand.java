package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.KtstrImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe import-ktstr DIR}: ktstr results as archived runs. */
@Command(name = "import-ktstr", mixinStandardHelpOptions = true,
        description = {"Import ktstr results from a run folder: each *.ktstr.json sidecar becomes a run, and the",
                "*.failure-dump.json reports (schemas single, dual and degraded), *.snapshot.TAG.json and",
                "*.on_demand_N.json captures beside it become its snapshots. Runs already imported are skipped; a file",
                "that cannot be read, or is over the import limits, is reported and the others are still imported."})
public final class ImportKtstrCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A ktstr run folder (or its parent).")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KtstrImporter.Result result;
        try (Archive archive = ArchiveCommands.open(spec)) {
            result = new KtstrImporter(archive).importDirectory(dir);
        }
        result.imported().forEach(i -> out.println(i.file().getFileName() + ": " + i.message()));
        result.skipped().forEach(i -> out.println(i.file().getFileName() + ": " + i.message()));
        result.failed().forEach(i -> err.println("freezeframe: " + i.message()));
        out.printf("Imported %d run(s), skipped %d already archived, %d file(s) refused.%n", result.imported().size(),
                result.skipped().size(), result.failed().size());
        out.flush();
        err.flush();
        return result.failed().isEmpty() ? FreezeframeCommand.EXIT_OK : FreezeframeCommand.EXIT_FAILURE;
    }
}
