package dev.freezeframe.app.cli;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
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
        // `--sched-args -h` passes -h to the scheduler: run's values may look like options (printed command lines
        // from the launch form rely on it)
        commandLine.getSubcommands().get("run").setAllowOptionsAsOptionParameters(true);
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("freezeframe: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return FreezeframeCommand.EXIT_USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
            PrintWriter err = cl.getErr();
            if (isUsageError(e)) {
                // the user's mistake, said like a parse error: every problem on its own line, then where help is
                LOG.info("command {} refused: {}", parseResult.originalArgs(), e.getMessage());
                e.getMessage().lines().forEach(line -> err.println("freezeframe: " + line));
                err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help'.");
                return FreezeframeCommand.EXIT_USAGE;
            }
            LOG.error("command {} failed", parseResult.originalArgs(), e);
            err.println("freezeframe: " + UserMessages.describe(e, dirs.logFile()));
            return FreezeframeCommand.EXIT_FAILURE;
        });
        return commandLine;
    }

    private static boolean isUsageError(Throwable e) {
        return e instanceof AppException app && app.isUsageError();
    }
}
