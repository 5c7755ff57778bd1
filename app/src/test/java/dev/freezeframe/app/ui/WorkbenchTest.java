package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.persistence.ArchivedRun;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The workbench window on JavaFX's built-in headless platform, opened on a brand-new archive. */
@ExtendWith(ApplicationExtension.class)
class WorkbenchTest {
    @TempDir
    Path dir;

    private AppDirs dirs;
    private Workbench workbench;
    private Stage stage;

    private final java.util.concurrent.atomic.AtomicBoolean launcherSawClose = new java.util.concurrent.atomic.AtomicBoolean();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        // What WorkbenchLauncher does to end the process when the window closes; the workbench must not replace it.
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> launcherSawClose.set(true));
        dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        workbench = new Workbench(dirs, "Start a first run with: freezeframe run --scheduler scx_simple");
        workbench.show(stage, dirs.defaultArchive());
    }

    private void awaitArchiveLoaded() throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> workbench.archiveModel().statusProperty().get() != ArchiveBrowserModel.Status.LOADING);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void opensOnTheEmptyArchiveAndSaysHowToStartAFirstRun(FxRobot robot) throws Exception {
        awaitArchiveLoaded();
        assertEquals(ArchiveBrowserModel.Status.READY, workbench.archiveModel().statusProperty().get());
        assertEquals("Freezeframe", stage.getTitle());
        assertTrue(robot.lookup("#navArchive").tryQuery().isPresent(), "navigation shows the archive");
        TableView<?> table = robot.lookup("#runsTable").queryAs(TableView.class);
        assertTrue(table.getItems().isEmpty());
        Label heading = robot.lookup("#emptyArchiveHeading").queryAs(Label.class);
        assertEquals("No runs yet", heading.getText());
        assertTrue(heading.isVisible());
        assertEquals("freezeframe run --scheduler scx_simple",
                robot.lookup("#firstRunCommand").queryAs(TextField.class).getText());
        assertEquals(dirs.defaultArchive().toString(), robot.lookup("#archivePath").queryAs(Label.class).getText());
        assertTrue(dirs.defaultArchive().toFile().isFile(), "the archive file is created on first start");
        java.nio.file.Files.createDirectories(Path.of("target"));
        robot.interact(() -> UiSnapshots.writePng(stage.getScene(), Path.of("target", "workbench-empty.png")));
    }

    @Test
    void aRunInTheArchiveAppearsInTheTableAfterReload(FxRobot robot) throws Exception {
        awaitArchiveLoaded();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dirs.defaultArchive())) {
            c.createStatement().execute("""
                    INSERT INTO runs (started_at_ms, scheduler, scenario, kernel, vcpus, memory_mib, config_json,
                                      verdict, duration_ms, ended_at_ms)
                    VALUES (1700000000000, 'scx_central', 'fork-churn', 'kit', 2, 1024, '{}', 'passed', 5300,
                            1700000005300)""");
        }
        robot.clickOn("#refreshRuns");
        awaitArchiveLoaded();
        @SuppressWarnings("unchecked")
        TableView<ArchivedRun> table = robot.lookup("#runsTable").queryAs(TableView.class);
        assertEquals(1, table.getItems().size());
        assertEquals("scx_central", table.getItems().getFirst().scheduler());
        assertTrue(robot.lookup("passed").tryQuery().isPresent(), "the verdict cell shows the verdict");
    }

    @Test
    void themeAndWindowGeometryAreRemembered(FxRobot robot) throws Exception {
        awaitArchiveLoaded();
        robot.interact(() -> workbench.applyTheme(Theme.DARK));
        assertEquals(Theme.DARK, new SettingsStore(dirs.settingsFile()).load().theme());
        robot.interact(() -> {
            stage.setWidth(1000);
            stage.setHeight(700);
            stage.close();
        });
        Settings.WindowBounds saved = new SettingsStore(dirs.settingsFile()).load().window();
        assertEquals(1000, saved.width(), 1);
        assertEquals(700, saved.height(), 1);
        assertTrue(launcherSawClose.get(), "closing the window must reach the launcher so the process ends");
        robot.interact(() -> workbench.applyTheme(Theme.LIGHT));
    }
}
