package dev.freezeframe.app;

import dev.freezeframe.app.cli.CommandLines;

/** Entry point of both the workbench and the headless command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        AppDirs dirs = AppDirs.fromEnvironment();
        Logging.start(dirs.logDir());
        int exitCode = CommandLines.create(dirs).execute(args);
        System.exit(exitCode);
    }
}
