package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.UserMessages;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the JavaFX toolkit, shows the workbench and waits until its window is closed. */
public final class WorkbenchLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchLauncher.class);

    private WorkbenchLauncher() {
    }

    /** @return the process exit code */
    public static int launch(AppDirs dirs, Path archive, String firstRunHint, PrintWriter out, PrintWriter err,
                             String headlessCommands) {
        if (!displayAvailable()) {
            err.println("freezeframe: no display, so the workbench window cannot open (DISPLAY and WAYLAND_DISPLAY "
                    + "are not set).");
            err.println("Run it in a desktop session, or use a headless command: " + headlessCommands
                    + " (see 'freezeframe --help').");
            err.flush();
            return 2;
        }
        CountDownLatch closed = new CountDownLatch(1);
        try {
            Platform.startup(() -> {
                try {
                    Stage stage = new Stage();
                    stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> closed.countDown());
                    new Workbench(dirs, firstRunHint).show(stage, archive);
                } catch (RuntimeException e) {
                    LOG.error("workbench failed to open", e);
                    err.println("freezeframe: " + UserMessages.describe(e, dirs.logFile()));
                    err.flush();
                    closed.countDown();
                }
            });
        } catch (RuntimeException e) {
            LOG.error("JavaFX toolkit failed to start", e);
            err.println("freezeframe: the window system could not be started (" + e.getMessage() + "). Details are in "
                    + dirs.logFile() + ".");
            err.flush();
            return 2;
        }
        LOG.info("workbench open on {}", archive);
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Platform.exit();
        return 0;
    }

    static boolean displayAvailable() {
        if ("Headless".equalsIgnoreCase(System.getProperty("glass.platform"))) return true;
        return notBlank(System.getenv("DISPLAY")) || notBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
