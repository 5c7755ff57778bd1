package dev.freezeframe.app;

import dev.freezeframe.app.cli.CommandLines;
import dev.freezeframe.app.ui.EarlyToolkit;
import dev.freezeframe.app.ui.WorkbenchLauncher;

/** Entry point of both the workbench and the headless command line. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (opensWindow(args) && WorkbenchLauncher.displayAvailable()) {
            EarlyToolkit.startInBackground(); // the window system comes up while logging and the command line do
        }
        AppDirs dirs = AppDirs.fromEnvironment();
        Logging.start(dirs.logDir());
        int exitCode = CommandLines.create(dirs).execute(args);
        System.exit(exitCode);
    }

    /** No subcommand, at most {@code --db FILE}: the workbench window (the launcher script decides the same way). */
    static boolean opensWindow(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--db")) {
                i++;
            } else if (!args[i].startsWith("--db=")) {
                return false;
            }
        }
        return true;
    }
}
