package dev.freezeframe.app.cli;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.UserMessages;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** Builds the picocli command line with Freezeframe's error handling: a sentence for the user, details in the log. */
public final class CommandLines {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLines.class);

    private CommandLines() {
    }

    public static CommandLine create(AppDirs dirs) {
        CommandLine commandLine = new CommandLine(new FreezeframeCommand(dirs));
        commandLine.setExitCodeExceptionMapper(e -> FreezeframeCommand.EXIT_FAILURE);
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("freezeframe: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return FreezeframeCommand.EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            LOG.error("command {} failed", parseResult.originalArgs(), e);
            cl.getErr().println("freezeframe: " + UserMessages.describe(e, dirs.logFile()));
            return FreezeframeCommand.EXIT_FAILURE;
        });
        return commandLine;
    }
}
