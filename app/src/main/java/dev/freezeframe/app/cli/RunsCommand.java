package dev.freezeframe.app.cli;

import picocli.CommandLine.Command;

/** {@code freezeframe runs ...}: browse the run archive from the command line. */
@Command(name = "runs",
        description = "Browse the run archive.",
        mixinStandardHelpOptions = true,
        subcommands = {RunsListCommand.class, RunsShowCommand.class, RunsCompareCommand.class, RunsExportCommand.class,
                RunsImportCommand.class, RunsDeleteCommand.class})
public final class RunsCommand {
}
