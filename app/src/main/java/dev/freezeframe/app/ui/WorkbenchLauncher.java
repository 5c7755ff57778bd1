package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
import dev.freezeframe.app.UserMessages;
import dev.freezeframe.app.ui.link.DeepLinkServer;
import dev.freezeframe.app.ui.link.DeepLinkSocket;
import dev.freezeframe.app.ui.link.OpenRequest;
import dev.freezeframe.app.ui.link.RunOpener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the JavaFX toolkit, shows the workbench and waits until its window is closed. While the window is open it
 * listens for {@code freezeframe open} (see {@link DeepLinkServer}), so later requests reach this window.
 */
public final class WorkbenchLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(WorkbenchLauncher.class);

    private WorkbenchLauncher() {
    }

    /** @return the process exit code */
    public static int launch(AppDirs dirs, Path archive, String firstRunHint, PrintWriter out, PrintWriter err,
                             String headlessCommands) {
        return launch(dirs, archive, firstRunHint, out, err, headlessCommands, Optional.empty(),
                WorkbenchLauncher::openRunTab);
    }

    /**
     * Like {@link #launch(AppDirs, Path, String, PrintWriter, PrintWriter, String)}, and opens {@code initial} once
     * the window shows.
     *
     * @param openers how the shown workbench opens a run; it serves {@code initial} and every later
     *                {@code freezeframe open} request
     * @return the process exit code
     */
    public static int launch(AppDirs dirs, Path archive, String firstRunHint, PrintWriter out, PrintWriter err,
                             String headlessCommands, Optional<OpenRequest> initial,
                             Function<Workbench, RunOpener> openers) {
        if (!displayAvailable()) {
            err.println("freezeframe: no display, so the workbench window cannot open (DISPLAY and WAYLAND_DISPLAY "
                    + "are not set).");
            err.println("Run it in a desktop session, or use a headless command: " + headlessCommands
                    + " (see 'freezeframe --help').");
            err.flush();
            return 2;
        }
        CountDownLatch closed = new CountDownLatch(1);
        AtomicReference<DeepLinkServer> links = new AtomicReference<>();
        try {
            EarlyToolkit.startup(() -> {
                try {
                    Stage stage = new Stage();
                    stage.addEventHandler(WindowEvent.WINDOW_HIDDEN, e -> closed.countDown());
                    Workbench workbench = new Workbench(dirs, firstRunHint);
                    workbench.show(stage, archive);
                    RunOpener opener = openers.apply(workbench);
                    links.set(listen(dirs, request -> {
                        opener.open(request);
                        stage.toFront();
                    }));
                    initial.ifPresent(opener::open);
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
            // no deadline: the workbench stays open until the user closes its window
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DeepLinkServer server = links.get();
        if (server != null) server.close();
        Platform.exit();
        return 0;
    }

    /** Listens for open requests; a window that cannot (another one listens already) works on without. */
    private static DeepLinkServer listen(AppDirs dirs, RunOpener opener) {
        try {
            return DeepLinkServer.start(DeepLinkSocket.forEnvironment(dirs), opener, Platform::runLater);
        } catch (AppException e) {
            LOG.warn("not listening for `freezeframe open`: {}", e.getMessage());
            return null;
        }
    }

    /** Opens the requested run in its own tab, positioned at the snapshot the request names. */
    public static RunOpener openRunTab(Workbench workbench) {
        return request -> workbench.openRun(request.runId(), request.snapshotTag());
    }

    /** Whether a window can open here (a display, or JavaFX's headless platform). */
    public static boolean displayAvailable() {
        if ("Headless".equalsIgnoreCase(System.getProperty("glass.platform"))) return true;
        return notBlank(System.getenv("DISPLAY")) || notBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
