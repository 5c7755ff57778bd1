package dev.freezeframe.app.ui.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.ArchiveBrowserModel;
import dev.freezeframe.app.ui.TestArchives;
import dev.freezeframe.app.ui.Workbench;
import dev.freezeframe.app.ui.WorkbenchLauncher;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * An open request handed to a running workbench reaches its opener on the FX thread, which opens the run in its own
 * tab (whatever the Runs browser's filter shows).
 */
@ExtendWith(ApplicationExtension.class)
class OpenInWorkbenchTest {
    @TempDir
    Path dir;

    private Workbench workbench;
    private DeepLinkServer server;
    private Path socket;

    @Start
    void start(Stage stage) {
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"),
                dir.resolve("cache"));
        TestArchives.fourRuns(dirs.defaultArchive());
        workbench = new Workbench(dirs, "Start a first run with: freezeframe run --scheduler scx_simple");
        workbench.show(stage, dirs.defaultArchive());
        socket = dir.resolve("rt").resolve("ui.sock");
        RunOpener opener = WorkbenchLauncher.openRunTab(workbench);
        server = DeepLinkServer.start(socket, request -> {
            if (!Platform.isFxApplicationThread()) throw new AssertionError("the opener runs on the FX thread");
            opener.open(request);
        }, Platform::runLater);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anOpenRequestOpensTheRunInItsTabEvenWhenTheFilterHidesIt(FxRobot robot) throws Exception {
        ArchiveBrowserModel model = workbench.archiveModel();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.runs().size() == 4);
        robot.clickOn("#runsFilter").write("verdict:passed").type(javafx.scene.input.KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.runs().size() == 1);

        assertEquals(DeepLinkClient.Outcome.HANDED_OVER,
                DeepLinkClient.send(socket, new OpenRequest(3, Optional.of("error"))));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.runs().tabOf(3).isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("runTab3", workbench.documents().getSelectionModel().getSelectedItem().getId());
        assertEquals(3, workbench.runs().current().model().runId());
    }
}
