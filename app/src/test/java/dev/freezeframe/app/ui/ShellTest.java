package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.run.LayoutStore;
import dev.freezeframe.app.ui.run.RunLayout;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.run.RunViewFactory;
import dev.freezeframe.app.ui.shell.KeyMap;
import dev.freezeframe.app.ui.shell.PaletteItem;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.timeline.TimelineSelection;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The workbench shell over a synthetic archive: run tabs, palette, keyboard help, layout, shared selection. */
@ExtendWith(ApplicationExtension.class)
class ShellTest {
    @TempDir
    Path dir;

    private AppDirs dirs;
    private Workbench workbench;
    private SyntheticArchive.Runs runs;
    private Stage stage;

    /** Run tabs hold the product's timeline, console and events over the archive. */
    static final RunViewFactory VIEWS = ProductWiring.views();

    @Start
    void start(Stage stage) {
        this.stage = stage;
        dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        runs = SyntheticArchive.write(dirs.defaultArchive());
        workbench = newWorkbench();
        workbench.show(stage, dirs.defaultArchive());
    }

    private Workbench newWorkbench() {
        return newWorkbench(dirs);
    }

    /** A workbench over {@code dirs} whose runs open from the archive (none start). */
    static Workbench newWorkbench(AppDirs dirs) {
        return new Workbench(dirs, "hint", (config, archive) -> {
            throw new IllegalStateException("no runs start in this test");
        }, VIEWS, w -> new Label("launch form"));
    }

    private RunTabView open(FxRobot robot, long runId) throws Exception {
        return open(robot, workbench, runId);
    }

    /** Opens run {@code runId} and waits until its snapshots are listed. */
    static RunTabView open(FxRobot robot, Workbench workbench, long runId) throws Exception {
        robot.interact(() -> workbench.openRun(runId, Optional.empty()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.runs().tabOf(runId).isPresent());
        RunTabView view = workbench.runs().tabOf(runId).orElseThrow();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !view.snapshots().rows().isEmpty());
        return view;
    }

    @Test
    void aFailedRunOpensAtItsErrorSnapshotWithTheFailureShown(FxRobot robot) throws Exception {
        RunTabView view = open(robot, runs.failed());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> view.context().selection() instanceof TimelineSelection.Snapshot s && s.tag().equals("error"));
        assertEquals(5 * SyntheticArchive.SECOND + 1000, view.context().cursor(), "the cursor is at the error");
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.notifications().isShowing());
        assertTrue(view.notifications().getText().contains("injected error"), view.notifications().getText());
        WaitForAsyncUtils.waitForFxEvents();
        javafx.geometry.Bounds banner = view.notifications().localToScene(view.notifications().getBoundsInLocal());
        javafx.geometry.Bounds views = view.workspace().localToScene(view.workspace().getBoundsInLocal());
        assertTrue(views.getMinY() >= banner.getMaxY() - 0.5, "the failure pushes the views down, never covers them: "
                + banner + " / " + views);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.findings().findingsProperty().get() != null);
        var worst = view.findings().findingsProperty().get().getFirst();
        assertEquals(dev.freezeframe.coordinator.findings.Finding.Severity.CRITICAL, worst.severity(), worst.toString());
        assertEquals("error", worst.snapshot(), "the worst finding points at the error snapshot");
        assertEquals("✖ #" + runs.failed() + " scx_qmap", workbench.documents().getSelectionModel().getSelectedItem()
                .getText());
        assertEquals("◼ ARCHIVED", robot.lookup("#statusGuestState").queryAs(Label.class)
                .getText());
        assertEquals("snapshot error", robot.lookup("#statusSelection").queryAs(Label.class).getText());
        assertFalse(robot.lookup("#freezeButton").tryQuery().isPresent(), "an ended run has no run controls");
    }

    @Test
    void steppingSnapshotsMovesTheSharedSelection(FxRobot robot) throws Exception {
        RunTabView view = open(robot, runs.passed());
        List<SnapshotInfo> rows = view.snapshots().rows();
        assertEquals(12, rows.size(), "10 periodic, a watch and a failed capture");
        robot.clickOn("#runToolbar"); // focus in the tab, nothing selected yet
        robot.write("]");
        WaitForAsyncUtils.waitForFxEvents();
        robot.write("]");
        WaitForAsyncUtils.waitForFxEvents();
        TimelineSelection.Snapshot selected = (TimelineSelection.Snapshot) view.context().selection();
        assertEquals(rows.get(1).tag(), selected.tag(), "] twice with nothing selected: the second snapshot");
        assertEquals(rows.get(1).atNanos(), view.context().cursor());
        robot.press(KeyCode.ALT, KeyCode.LEFT).release(KeyCode.LEFT, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(rows.getFirst().tag(), ((TimelineSelection.Snapshot) view.context().selection()).tag(),
                "Alt+← goes back in the selection history");
    }

    @Test
    void thePaletteFindsFreezeAndSaysWhyItCannotRunOnAnEndedRun(FxRobot robot) throws Exception {
        open(robot, runs.passed());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(workbench.palette().isVisible());
        robot.write("frz");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("ff.run.freeze", workbench.palette().matches().getFirst().id());
        assertEquals("F6", workbench.palette().matches().getFirst().keyText());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Freeze guest: the run has ended.", workbench.palette().statusText());
        assertTrue(workbench.palette().isVisible(), "a refused command leaves the palette open");
        robot.type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(workbench.palette().isVisible());
        robot.type(KeyCode.F6);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Freeze guest: the run has ended", workbench.statusBar().messageText());
    }

    @Test
    void thePalettesModesGoToATimeAndOpenARunAndSayWhatIsWrongWithTheText(FxRobot robot) throws Exception {
        RunTabView view = open(robot, runs.passed());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("t 0.25");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Go to +0.250 s", workbench.palette().matches().getFirst().title());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(workbench.palette().isVisible());
        assertEquals(250_000_000L, view.context().cursor());

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("t c-100ms");
        WaitForAsyncUtils.waitForFxEvents();
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(150_000_000L, view.context().cursor(), "relative to the cursor");

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("t soon");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(workbench.palette().statusText().startsWith("'soon' is not a time"),
                workbench.palette().statusText());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(workbench.palette().isVisible(), "text that is not a time runs nothing");
        assertEquals(150_000_000L, view.context().cursor());

        robot.eraseText(6).write("$total_fo");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Find total_fo in Symbols", workbench.palette().matches().getFirst().title());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.TextField symbolSearch = robot.lookup("#symbolSearch")
                .queryAs(javafx.scene.control.TextField.class);
        assertEquals("total_fo", symbolSearch.getText(), "the Symbols panel searches for it");

        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !view.snapshots().rows().isEmpty());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("@wtot");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Snapshot watch:total_forks", workbench.palette().matches().getFirst().title());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.snapshots().shownProperty().get() != null
                && view.snapshots().shownProperty().get().tag().equals("watch:total_forks"));
        assertEquals(8 * SyntheticArchive.SECOND, view.context().cursor(), "the cursor is at the snapshot");

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("run " + runs.failed());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Open run #" + runs.failed(), workbench.palette().matches().getFirst().title());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.runs().tabOf(runs.failed()).isPresent());
    }

    @Test
    void thePalettesSlashModeFindsWordsInTheConsoleOrFiltersTheEventsByThem(FxRobot robot) throws Exception {
        open(robot, runs.passed());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("/iteration 137");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("Find “iteration 137” in the console", "Show events holding “iteration 137”"),
                workbench.palette().matches().stream().map(PaletteItem::title).toList());
        robot.type(KeyCode.ENTER);
        Label found = robot.lookup("#consoleSearchCount").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> "1 of 1".equals(onFx(found::getText)));

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        robot.write("/iteration 137");
        WaitForAsyncUtils.waitForFxEvents();
        robot.type(KeyCode.DOWN).type(KeyCode.ENTER);
        Label shown = robot.lookup("#eventsCount").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(shown::getText).startsWith("1 shown of "));
        assertEquals("\"iteration 137\"", robot.lookup("#eventsFilter")
                .queryAs(javafx.scene.control.TextField.class).getText());
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
    }

    @Test
    void keyboardHelpListsEveryBindingAndNoKeyIsBoundTwiceInOneScope(FxRobot robot) {
        assertEquals(List.of(), workbench.keyMap().duplicateBindings());
        robot.clickOn("#runTabs");
        robot.push(KeyCode.SHIFT, KeyCode.SLASH);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(workbench.keyHelp().isShowing(), "? opens the keyboard help");
        Set<String> listed = workbench.keyHelp().rows().stream().map(KeyMap.Action::id).collect(Collectors.toSet());
        Set<String> bound = workbench.keyMap().actions().stream().filter(a -> !a.keys().isEmpty())
                .map(KeyMap.Action::id).collect(Collectors.toSet());
        assertEquals(bound, listed);
        assertTrue(listed.containsAll(Set.of("ff.run.freeze", "ff.run.resume", "ff.palette", "ff.timeline.zoomIn")));
    }

    @Test
    void aMovedPanelStaysMovedAfterARestartAndResetLayoutBringsItBack(FxRobot robot) throws Exception {
        RunTabView view = open(robot, runs.passed());
        assertEquals("drawer", view.workspace().dockOf(RunPanels.CONSOLE));
        robot.interact(() -> view.workspace().applyLayout(view.workspace().currentLayout().moved(RunPanels.CONSOLE)));
        assertEquals("inspector", view.workspace().dockOf(RunPanels.CONSOLE));
        robot.interact(() -> stage.close()); // saves the layout
        RunLayout stored = new LayoutStore(dirs.configDir()).load(RunPanels.NAMES.keySet());
        assertEquals("inspector", stored.dockOf(RunPanels.CONSOLE), stored.toString());

        robot.interact(() -> {
            workbench = newWorkbench();
            workbench.show(stage, dirs.defaultArchive());
        });
        RunTabView again = open(robot, runs.passed());
        assertEquals("inspector", again.workspace().dockOf(RunPanels.CONSOLE), "restored on the next start");
        robot.interact(() -> workbench.resetLayout());
        assertEquals("drawer", again.workspace().dockOf(RunPanels.CONSOLE));
        assertEquals(RunLayout.DEFAULT.drawer(), new LayoutStore(dirs.configDir()).load(RunPanels.NAMES.keySet())
                .drawer());
    }

    @Test
    void newRunOpensOneLaunchFormAndCtrlWClosesIt(FxRobot robot) {
        robot.clickOn("#runTabs");
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, workbench.documents().getTabs().stream().filter(t -> "launchDocument".equals(t.getId())).count());
        assertEquals("launchDocument", workbench.documents().getSelectionModel().getSelectedItem().getId());
        robot.press(KeyCode.CONTROL, KeyCode.W).release(KeyCode.W, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, workbench.documents().getTabs().stream().filter(t -> "launchDocument".equals(t.getId())).count());
    }
}
