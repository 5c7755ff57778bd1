package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ImportReport;
import dev.freezeframe.persistence.RunImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code freezeframe runs import FILE}: adds an exported run to the archive, all or nothing. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Add a run exported with `runs export` to the archive as a new run. A damaged file is refused",
                "and nothing is imported; a file that was cut off is recovered up to the cut, and the output says",
                "what was lost (--strict refuses it instead)."})
public final class RunsImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The export file.")
    Path file;

    @Option(names = "--strict", description = "Refuse a cut-off export instead of recovering its intact part.")
    boolean strict;

    @Option(names = "--max-size", paramLabel = "BYTES", description = "Refuse files larger than BYTES. "
            + "Default: 8 GiB.")
    long maxSize = RunImporter.DEFAULT_MAX_FILE_BYTES;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            ImportReport report = new RunImporter(archive, maxSize, strict).importFile(file);
            out.println(report.message());
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }
}
