package dev.freezeframe.app.ui.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.ArchiveBrowserModel;
import dev.freezeframe.app.ui.ArchiveBrowserView;
import dev.freezeframe.app.ui.TestArchives;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The runs browser over a real archive of four runs (checks A1–A3 of the workbench design). */
@ExtendWith(ApplicationExtension.class)
class RunsBrowserTest {
    @TempDir
    static Path dir;

    private Path db;
    private ArchiveBrowserModel model;
    private ArchiveBrowserView view;
    private Stage stage;
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final List<Long> opened = new ArrayList<>();
    private final List<List<Long>> compared = new ArrayList<>();
    private final AtomicInteger deleteQuestions = new AtomicInteger();
    private Path exportFile;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        db = Files.createTempDirectory(dir, "a").resolve("archive.db");
        exportFile = db.resolveSibling("run.ffrun");
        TestArchives.fourRuns(db);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        model = new ArchiveBrowserModel(io, Platform::runLater, db.resolveSibling("log"));
        view = new ArchiveBrowserView(model, "Start a first run with: freezeframe run --scheduler scx_simple");
        view.setOnOpenRun(opened::add);
        view.setOnCompareRuns((a, b) -> compared.add(List.of(a, b)));
        RunsDialogs standard = RunsDialogs.standard();
        view.setDialogs(new RunsDialogs() {
            @Override
            public Optional<Path> exportTarget(Window owner, ArchivedRun run) {
                return Optional.of(exportFile);
            }

            @Override
            public Optional<Path> importSource(Window owner) {
                return Optional.of(exportFile);
            }

            @Override
            public boolean confirmDelete(Window owner, ArchivedRun run) {
                deleteQuestions.incrementAndGet();
                return standard.confirmDelete(owner, run);
            }
        });
        stage.setScene(new Scene(view, 1280, 800));
        stage.show();
        model.open(db);
    }

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private TableView<ArchivedRun> table(FxRobot robot) {
        return robot.lookup("#runsTable").queryAs(TableView.class);
    }

    private List<Long> rowIds(FxRobot robot) {
        return table(robot).getItems().stream().map(ArchivedRun::id).toList();
    }

    private List<Long> expected(RunFilter filter) {
        try (Archive archive = Archive.open(db)) {
            return archive.runs().list(filter).stream().map(ArchivedRun::id).toList();
        }
    }

    private void awaitRows(FxRobot robot, List<Long> ids) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.statusProperty().get()
                == ArchiveBrowserModel.Status.READY && rowIds(robot).equals(ids));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Waits (10 s at most) for a state the FX thread reaches on a later pulse; fails with {@code what} if it does not. */
    private static void awaitState(String what, java.util.concurrent.Callable<Boolean> state) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(state).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what, e);
        }
    }

    private void filter(FxRobot robot, String text) {
        robot.interact(() -> robot.lookup("#runsFilter").queryAs(TextField.class).clear());
        robot.clickOn("#runsFilter").write(text).type(KeyCode.ENTER);
    }

    @Test
    void filterRowsAreTheArchiveListAndABadTokenTintsInvalid(FxRobot robot) throws Exception {
        awaitRows(robot, List.of(4L, 3L, 2L, 1L));
        assertTrue(robot.lookup("interrupted").tryQuery().isPresent(), "the run without a recorder reads interrupted");

        filter(robot, "scheduler:scx_qmap verdict:scheduler_failed");
        List<Long> want = expected(RunFilter.ALL.withScheduler("scx_qmap").withVerdict("scheduler_failed"));
        assertEquals(List.of(3L), want);
        awaitRows(robot, want);
        TextField field = robot.lookup("#runsFilter").queryAs(TextField.class);
        awaitState("a valid filter is tinted", () -> field.getPseudoClassStates().contains(Styles.STATE_SUCCESS));
        java.nio.file.Files.createDirectories(Path.of("target"));
        robot.interact(() -> dev.freezeframe.app.ui.UiSnapshotsAccess.writePng(stage.getScene(),
                Path.of("target", "runs-browser-filtered.png")));

        filter(robot, "scheduler:scx_qmap verdikt:passed");
        WaitForAsyncUtils.waitForFxEvents();
        awaitState("invalid filter is tinted", () -> field.getPseudoClassStates().contains(Styles.STATE_DANGER));
        String status = robot.lookup("#runsFilterStatus").queryAs(Label.class).getText();
        assertTrue(status.contains("'verdikt:passed'"), status);
        assertEquals(List.of(3L), rowIds(robot), "an invalid filter changes nothing");
        robot.interact(() -> dev.freezeframe.app.ui.UiSnapshotsAccess.writePng(stage.getScene(),
                Path.of("target", "runs-browser-invalid.png")));

        // a quick filter builds on the filter in force, not on the invalid text; it shows whether its token is there
        awaitState("the Failed quick filter shows its token is there",
                () -> robot.lookup("#quickFailed").queryAs(javafx.scene.control.ToggleButton.class).isSelected());
        robot.clickOn("#quickFailed");
        awaitState("the quick filter took its token out",
                () -> "scheduler:scx_qmap".equals(model.filterTextProperty().get()));
        assertEquals("scheduler:scx_qmap", field.getText());
        assertFalse(field.getPseudoClassStates().contains(Styles.STATE_DANGER));
        awaitRows(robot, expected(RunFilter.ALL.withScheduler("scx_qmap")));
        assertEquals(List.of(3L, 1L), rowIds(robot));
        robot.clickOn("#quickFailed");
        awaitRows(robot, List.of(3L));
        assertEquals("verdict:scheduler_failed scheduler:scx_qmap", model.filterTextProperty().get());
        robot.clickOn("#quickWeek");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("since:week verdict:scheduler_failed scheduler:scx_qmap", model.filterTextProperty().get());
        awaitRows(robot, List.of());
        assertTrue(robot.lookup("#noMatchHeading").tryQuery().isPresent(), "an empty result says so");
    }

    @Test
    void quotedTextFindsTheRunAndThePreviewHighlightsTheFirstMatch(FxRobot robot) throws Exception {
        awaitRows(robot, List.of(4L, 3L, 2L, 1L));
        filter(robot, "\"stall\"");
        awaitRows(robot, List.of(2L));
        robot.clickOn(robot.lookup("scx_simple").queryAs(Node.class));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.previewProperty().get().isPresent());
        WaitForAsyncUtils.waitForFxEvents();
        Label verdict = robot.lookup("#previewVerdict").queryAs(Label.class);
        assertEquals("scheduler failed — watchdog stall", verdict.getText());
        assertTrue(robot.lookup("#previewCounts").queryAs(Label.class).getText().startsWith("2 events · 1 snapshot"));
        TextFlow match = robot.lookup("#previewMatch").queryAs(TextFlow.class);
        List<String> highlighted = match.getChildren().stream().filter(n -> n.getStyleClass().contains("match"))
                .map(n -> ((Text) n).getText()).toList();
        assertEquals(List.of("stall"), highlighted);
        String all = match.getChildren().stream().map(n -> ((Text) n).getText()).reduce("", String::concat);
        assertEquals("first match: +14.001 s scheduler  runnable task stall detected", all);
        java.nio.file.Files.createDirectories(Path.of("target"));
        robot.interact(() -> dev.freezeframe.app.ui.UiSnapshotsAccess.writePng(stage.getScene(),
                Path.of("target", "runs-browser.png")));
        robot.interact(() -> Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerDark()
                .getUserAgentStylesheet()));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> dev.freezeframe.app.ui.UiSnapshotsAccess.writePng(stage.getScene(),
                Path.of("target", "runs-browser-dark.png")));
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
    }

    @Test
    void twoSelectedRowsCompareAndEnterOpens(FxRobot robot) throws Exception {
        awaitRows(robot, List.of(4L, 3L, 2L, 1L));
        Button compare = robot.lookup("#compareRuns").queryAs(Button.class);
        assertTrue(compare.isDisabled());
        robot.clickOn(robot.lookup("scx_simple").queryAs(Node.class));
        assertTrue(compare.isDisabled(), "one row is not a comparison");
        // the headless robot's clicks carry no modifier keys: the second row is added the way Ctrl+click adds it
        robot.interact(() -> table(robot).getSelectionModel().select(1));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, table(robot).getSelectionModel().getSelectedItems().size());
        assertFalse(compare.isDisabled(), "two rows enable Compare");
        assertTrue(robot.lookup("#openRun").queryAs(Button.class).isDisabled());
        robot.clickOn(compare);
        assertEquals(List.of(List.of(3L, 2L)), compared, "A is the upper (newer) row");

        robot.clickOn(robot.lookup("scx_simple").queryAs(Node.class)).type(KeyCode.ENTER);
        assertEquals(List.of(2L), opened);
        robot.doubleClickOn(robot.lookup("-s 5000").queryAs(Node.class));
        assertEquals(List.of(2L, 1L), opened);
    }

    @Test
    void runsMarkedAAndBByKeysAndTheMenuAreComparedAsGroupsAndShowBadges(FxRobot robot) throws Exception {
        List<List<List<Long>>> groups = new ArrayList<>();
        robot.interact(() -> {
            view.setOnCompareGroups((a, b) -> groups.add(List.of(a, b)));
            stage.getScene().getStylesheets().add(ArchiveBrowserView.class.getResource("workbench.css")
                    .toExternalForm());
        });
        awaitRows(robot, List.of(4L, 3L, 2L, 1L));
        Button compareAb = robot.lookup("#compareAB").queryAs(Button.class);
        assertTrue(compareAb.isDisabled(), "nothing marked");
        AbMarks marks = model.marks();

        // two rows, then the A key
        robot.interact(() -> {
            table(robot).getSelectionModel().clearSelection();
            table(robot).getSelectionModel().select(0);
            table(robot).getSelectionModel().select(2);
            table(robot).requestFocus();
        });
        robot.type(KeyCode.A);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(4L, 2L), marks.runs(AbMarks.Side.A));
        assertEquals(List.of("A", "A"), badges(robot, "ab-badge-a"));
        assertTrue(compareAb.isDisabled(), "side B is empty");

        // the context menu marks the row it opened on as B
        @SuppressWarnings("unchecked")
        Node runThree = robot.lookup("#runsTable .table-row-cell").queryAllAs(javafx.scene.control.TableRow.class)
                .stream().filter(r -> r.getItem() != null && ((ArchivedRun) r.getItem()).id() == 3L).findFirst()
                .orElseThrow();
        robot.rightClickOn(runThree);
        robot.clickOn("Mark as side B  (B)");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(3L), marks.runs(AbMarks.Side.B));
        assertEquals(List.of("B"), badges(robot, "ab-badge-b"));
        assertFalse(compareAb.isDisabled());
        assertEquals("A #4 #2 · B #3", robot.lookup("#abMarks").queryAs(Label.class).getText());
        robot.interact(() -> dev.freezeframe.app.ui.UiSnapshotsAccess.writePng(stage.getScene(),
                Path.of("target", "runs-browser-ab.png")));

        // B on a run of A moves it; X unmarks
        robot.interact(() -> {
            table(robot).getSelectionModel().clearAndSelect(0);
            table(robot).requestFocus();
        });
        robot.type(KeyCode.B);
        assertEquals(List.of(2L), marks.runs(AbMarks.Side.A));
        assertEquals(List.of(3L, 4L), marks.runs(AbMarks.Side.B));
        robot.type(KeyCode.X);
        assertEquals(List.of(3L), marks.runs(AbMarks.Side.B));
        assertEquals(List.of("A"), badges(robot, "ab-badge-a"));

        robot.clickOn(compareAb);
        assertEquals(List.of(List.of(List.of(2L), List.of(3L))), groups);
        // Ctrl+Enter in the table does the same
        robot.interact(() -> table(robot).fireEvent(new javafx.scene.input.KeyEvent(
                javafx.scene.input.KeyEvent.KEY_PRESSED, "", "", KeyCode.ENTER, false, true, false, false)));
        assertEquals(2, groups.size());
        assertTrue(opened.isEmpty(), "Ctrl+Enter compares, it does not open the selected run");
    }

    /** The texts of the visible badges with style class {@code style}. */
    private static List<String> badges(FxRobot robot, String style) {
        return robot.lookup("." + style).queryAllAs(Label.class).stream().filter(Node::isVisible)
                .filter(l -> l.getParent() instanceof javafx.scene.control.TableCell<?, ?> c && c.getGraphic() == l)
                .map(Label::getText).toList();
    }

    @Test
    void exportThenImportRoundTripsAndDeleteAsksFirst(FxRobot robot) throws Exception {
        awaitRows(robot, List.of(4L, 3L, 2L, 1L));
        robot.clickOn(robot.lookup("-s 5000").queryAs(Node.class));
        robot.clickOn("#exportRun");
        Label message = robot.lookup("#runsActionMessage").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> message.getText().startsWith("Exported run 1"));
        assertTrue(message.getText().contains("200 events, 1 snapshots"), message.getText());
        assertTrue(Files.size(exportFile) > 0);

        robot.clickOn("#importRun");
        // the imported run keeps its start time, so it sits beside run 1 (newest id first)
        awaitRows(robot, List.of(4L, 3L, 2L, 5L, 1L));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> message.getText().startsWith("Imported run 5"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> table(robot).getSelectionModel().getSelectedItem().id() == 5L);
        ArchivedRun imported = table(robot).getSelectionModel().getSelectedItem();
        assertEquals("scx_qmap", imported.scheduler());
        assertEquals("passed", imported.verdictLabel());

        // delete asks; Cancel keeps the run
        robot.clickOn("#deleteRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#deleteRunDialog").tryQuery().isPresent());
        assertEquals(1, deleteQuestions.get());
        robot.clickOn(robot.lookup("Cancel").queryAs(Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(4L, 3L, 2L, 5L, 1L), rowIds(robot));

        robot.clickOn("#deleteRun");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#deleteRunDialog").tryQuery().isPresent());
        Node deleteButton = robot.lookup("#deleteRunDialog").lookup("Delete").queryAs(Node.class);
        assertNotNull(deleteButton);
        robot.clickOn(deleteButton);
        awaitRows(robot, List.of(4L, 3L, 2L, 1L));
        assertEquals("Deleted run 5.", message.getText());
        assertEquals(List.of(4L, 3L, 2L, 1L), expected(RunFilter.ALL), "the archive no longer holds run 5");
    }

    @Test
    void importingADamagedFileSaysWhyInWords(FxRobot robot) throws Exception {
        awaitRows(robot, List.of(4L, 3L, 2L, 1L));
        Files.writeString(exportFile, "this is not an export");
        robot.clickOn("#importRun");
        Label message = robot.lookup("#runsActionMessage").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !message.getText().isEmpty()
                && !model.actions().busyProperty().get());
        assertTrue(model.actions().failedProperty().get());
        assertTrue(message.getStyleClass().contains(Styles.DANGER));
        assertFalse(message.getText().contains("Exception"), message.getText());
        assertTrue(message.getText().endsWith("."), message.getText());
        assertEquals(List.of(4L, 3L, 2L, 1L), rowIds(robot));
    }
}
