package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.live.FakeLiveRun;
import dev.freezeframe.app.live.FakeScript;
import dev.freezeframe.app.ui.fork.ForkRequest;
import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.LiveRunStarter;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ForkLink;
import dev.freezeframe.timeline.TimelineItems;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
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
 * Forks in the window over a synthetic archive: run 1 passed with a kept VM state for {@code periodic_002} only, run
 * 2 failed with none, run 3 a fork of run 1 at {@code periodic_002} (its {@code run_forks} link). Forks started from
 * the form go to a scripted run the test links to its parent as the engine would.
 */
@ExtendWith(ApplicationExtension.class)
class ForkWorkbenchTest {
    @TempDir
    Path dir;

    private AppDirs dirs;
    private Workbench workbench;
    private Archive archive;
    private SyntheticArchive.Runs runs;
    private long forkId;
    private final List<ForkRequest> forksAsked = new CopyOnWriteArrayList<>();
    private final AtomicReference<FakeLiveRun> started = new AtomicReference<>();

    @Start
    void start(Stage stage) throws Exception {
        dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        Path db = dirs.defaultArchive();
        Files.createDirectories(db.getParent());
        runs = SyntheticArchive.write(db);
        archive = Archive.open(db);
        forkId = ForkArchive.addFork(archive, runs.passed());
        workbench = new Workbench(dirs, "hint", starter(), ShellTest.VIEWS, Workbench::productLaunchForm);
        workbench.show(stage, db);
    }

    @AfterEach
    void close() {
        if (started.get() != null) started.get().stop("test over");
        archive.close();
    }

    private LiveRunStarter starter() {
        return new LiveRunStarter() {
            @Override
            public LiveRun start(RunConfig config, Path path) {
                return start(config, false, path);
            }

            @Override
            public LiveRun start(RunConfig config, boolean forkable, Path path) {
                FakeLiveRun run = FakeLiveRun.start(archive, config, FakeScript.standard()).forkable(forkable);
                started.set(run);
                return run;
            }

            @Override
            public LiveRun fork(ForkRequest request, Path path) {
                forksAsked.add(request);
                FakeLiveRun run = FakeLiveRun.start(archive, request.config(), FakeScript.standard())
                        .forkable(request.forkable());
                archive.recordFork(new ForkLink(run.runId(), request.parentRunId(), request.tag(), ForkArchive.AT_NS));
                started.set(run);
                return run;
            }
        };
    }

    private static void await(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private RunTabView open(FxRobot robot, long runId, String tag) throws Exception {
        robot.interact(() -> workbench.openRun(runId, Optional.ofNullable(tag)));
        await(() -> workbench.runs().current() != null && workbench.runs().current().model().runId() == runId);
        RunTabView tab = workbench.runs().current();
        if (tag != null) {
            await(() -> tab.snapshots().shownProperty().get() != null
                    && tab.snapshots().shownProperty().get().tag().equals(tag));
        }
        return tab;
    }

    private static String tooltipOf(Node node) {
        Object tip = node.getProperties().get("javafx.scene.control.Tooltip");
        return tip instanceof Tooltip t ? t.getText() : "";
    }

    @Test
    void theFormCanRunAnotherScenarioFromTheForkInstantAndSaysWhyOneDoesNotFit(FxRobot robot) throws Exception {
        open(robot, runs.passed(), "periodic_002");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F).release(KeyCode.F, KeyCode.SHIFT, KeyCode.CONTROL);
        await(() -> workbench.forkOverlay().isShowing());
        TextField command = robot.lookup("#forkCommand").queryAs(TextField.class);
        TextField scenario = robot.lookup("#forkScenario").queryAs(javafx.scene.control.ComboBox.class).getEditor();
        Label problem = robot.lookup("#forkProblem").queryAs(Label.class);

        robot.interact(() -> scenario.setText("no-such-scenario"));
        assertTrue(problem.isVisible() && problem.getText().startsWith("Scenario: ")
                && problem.getText().contains("no-such-scenario"), problem.getText());
        assertTrue(robot.lookup("#forkStart").queryButton().isDisabled());
        robot.interact(() -> scenario.setText("mixed"));
        assertFalse(problem.isVisible(), problem.getText());
        assertEquals("freezeframe fork " + runs.passed() + " periodic_002 --scenario mixed --snapshots 10 --forkable",
                command.getText());

        robot.clickOn("#forkStart");
        await(() -> !forksAsked.isEmpty());
        ForkRequest asked = forksAsked.getFirst();
        assertTrue(asked.newScenario());
        assertEquals("mixed", asked.config().scenario());
    }

    @Test
    void forkFromHereOpensAFormPrefilledFromTheParentAndStartsTheForkAsALiveTab(FxRobot robot) throws Exception {
        RunTabView parent = open(robot, runs.passed(), "periodic_002");
        Button button = robot.lookup("#forkFromHereButton").queryButton();
        assertFalse(button.isDisabled(), "periodic_002 kept its VM state: " + tooltipOf(button.getParent()));
        assertEquals("", parent.forkUnavailable());

        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F).release(KeyCode.F, KeyCode.SHIFT, KeyCode.CONTROL);
        await(() -> workbench.forkOverlay().isShowing());
        Label title = robot.lookup("#forkTitle").queryAs(Label.class);
        assertTrue(title.getText().startsWith("Fork run #" + runs.passed() + " from periodic_002 (+5.8"),
                title.getText());
        TextField command = robot.lookup("#forkCommand").queryAs(TextField.class);
        assertEquals("freezeframe fork " + runs.passed() + " periodic_002 --snapshots 10 --forkable",
                command.getText(), "prefilled from the parent: its 10 periodic snapshots, forkable on");

        TextField snapshots = robot.lookup("#forkSnapshots").queryAs(TextField.class);
        robot.interact(() -> snapshots.setText("many"));
        Label problem = robot.lookup("#forkProblem").queryAs(Label.class);
        assertTrue(problem.isVisible());
        assertEquals("Periodic snapshots: 'many' is not a whole number.", problem.getText());
        assertTrue(robot.lookup("#forkStart").queryButton().isDisabled());
        robot.interact(() -> robot.lookup("#forkWatches").queryAs(TextField.class).setText("total_forks 12bad"));
        robot.interact(() -> snapshots.setText("3"));
        assertTrue(problem.getText().startsWith("Watches: "), problem.getText());
        robot.interact(() -> robot.lookup("#forkWatches").queryAs(TextField.class).setText("total_forks"));
        assertFalse(problem.isVisible());
        assertEquals("freezeframe fork " + runs.passed() + " periodic_002 --snapshots 3 --watch total_forks"
                + " --forkable", command.getText());

        robot.clickOn("#forkStart");
        await(() -> !forksAsked.isEmpty() && started.get() != null);
        ForkRequest asked = forksAsked.getFirst();
        assertEquals(runs.passed(), asked.parentRunId());
        assertEquals("periodic_002", asked.tag());
        assertEquals(3, asked.config().snapshots());
        assertEquals(List.of("total_forks"), asked.config().watches());
        assertEquals("cpu-pingpong", asked.config().scenario(), "the scenario is the parent's");
        assertTrue(asked.forkable());
        assertFalse(workbench.forkOverlay().isShowing());

        long child = started.get().runId();
        await(() -> workbench.runs().current() != null && workbench.runs().current().model().runId() == child);
        RunTabView fork = workbench.runs().current();
        assertTrue(fork.model().isLive());
        await(() -> fork.model().originProperty().get() != null);
        Hyperlink origin = robot.lookup("#runTab-" + child + " #runOrigin").queryAs(Hyperlink.class);
        assertTrue(origin.isVisible());
        assertTrue(origin.getText().startsWith("forked from run " + runs.passed() + " at snapshot periodic_002"),
                origin.getText());
        // the parent's open tab draws the new branch too
        TimelineView parentTimeline = (TimelineView) parent.timelineNode();
        await(() -> parentTimeline.items().branches().stream().anyMatch(b -> b.runId() == child && !b.origin()));
    }

    @Test
    void snapshotsThatCannotBeForkedSayWhyEverywhereTheActionIs(FxRobot robot) throws Exception {
        RunTabView tab = open(robot, runs.passed(), "periodic_003");
        Button button = robot.lookup("#forkFromHereButton").queryButton();
        assertTrue(button.isDisabled());
        String notKept = "The VM state of snapshot periodic_003 was not kept (its 'forkable' event on the snapshots"
                + " lane says why).";
        assertEquals(notKept, tooltipOf(button.getParent()), "a disabled button says why on its wrapper");

        // the palette's key refuses with the same reason on the status line
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F).release(KeyCode.F, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(workbench.forkOverlay().isShowing());
        assertTrue(workbench.statusBar().messageText().contains("was not kept"),
                workbench.statusBar().messageText());

        // the snapshot list's context menu: the action disabled, the reason under it. The headless glass turns no
        // right click into a context-menu request, so the request a real one makes is delivered to the row.
        Node row = robot.lookup("#snapshotList .table-row-cell").match(
                (Node n) -> n instanceof javafx.scene.control.TableRow<?> r && r.getItem() != null
                        && r.getItem().toString().contains("periodic_003")).query();
        robot.interact(() -> {
            var at = row.localToScreen(20, 5);
            row.fireEvent(new javafx.scene.input.ContextMenuEvent(
                    javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, 20, 5, at.getX(), at.getY(), false,
                    null));
        });
        var menu = tab.snapshots().list().getContextMenu();
        await(menu::isShowing);
        // the row's fork actions first, then (after a separator) the snapshot's diff against another run
        assertEquals(java.util.Arrays.asList("forkMenuItem", "forkMenuReason", null, "diffOtherRun"),
                menu.getItems().stream().map(i -> i.getId()).toList());
        assertTrue(menu.getItems().getFirst().isDisable());
        assertEquals(notKept, menu.getItems().get(1).getText());
        robot.interact(menu::hide);

        robot.interact(() -> tab.showSnapshotTagged("manual_000"));
        await(() -> tab.snapshots().shownProperty().get().tag().equals("manual_000"));
        assertEquals("snapshot manual_000 could not be captured, so it has no state", tab.forkUnavailable());

        RunTabView failed = open(robot, runs.failed(), "periodic_000");
        assertTrue(failed.forkUnavailable().startsWith("run " + runs.failed() + " kept no VM state: only a run"
                + " started with forkable snapshots"), failed.forkUnavailable());
    }

    @Test
    void forksAreBranchesOnTheTimelineLinkedBothWaysAndIndentedInRuns(FxRobot robot) throws Exception {
        RunTabView parent = open(robot, runs.passed(), null);
        TimelineView timeline = (TimelineView) parent.timelineNode();
        await(() -> !timeline.items().branches().isEmpty());
        assertEquals(List.of(new TimelineItems.Branch(ForkArchive.AT_NS, forkId, "fork #" + forkId + " from periodic_002",
                false)), timeline.items().branches());

        RunTabView fork = open(robot, forkId, null);
        TimelineView forkTimeline = (TimelineView) fork.timelineNode();
        await(() -> !forkTimeline.items().branches().isEmpty());
        TimelineItems.Branch origin = forkTimeline.items().branches().getFirst();
        assertTrue(origin.origin());
        assertEquals(runs.passed(), origin.runId());
        assertEquals(0, origin.atNs());
        await(() -> fork.model().originProperty().get() != null);
        robot.clickOn("#runTab-" + forkId + " #runOrigin");
        await(() -> workbench.runs().current().model().runId() == runs.passed());

        robot.interact(workbench::showRuns);
        await(() -> workbench.archiveModel().runs().size() == 3);
        var listed = workbench.archiveModel().runs().stream().map(r -> r.id()).toList();
        assertEquals(listed.indexOf(runs.passed()) + 1, listed.indexOf(forkId), "the fork right under its parent: "
                + listed);
        assertEquals(1, workbench.archiveModel().forkDepth(forkId));
        TableCell<?, ?> cell = robot.lookup((Node n) -> n instanceof TableCell<?, ?> c
                && String.valueOf(forkId).equals(c.getText()) && c.getTableColumn().getText().equals("ID"))
                .query();
        assertTrue(cell.getGraphic() != null && cell.getGraphic().getStyleClass().contains("fork-sign"),
                "the fork's id cell carries the branch sign");
        assertEquals("Fork of run " + runs.passed() + " at snapshot periodic_002 (5.80 s)",
                cell.getTooltip().getText());
    }

    @Test
    void captureForkableWorksOnlyOnARunStartedForkable(FxRobot robot) throws Exception {
        robot.interact(() -> workbench.startRun(FakeLiveRun.config(false), false));
        await(() -> workbench.runs().current() != null && started.get() != null
                && workbench.runs().current().model().runId() == started.get().runId());
        RunTabView plain = workbench.runs().current();
        advanceTo(2_000);
        await(() -> plain.model().guestStateProperty().get() == GuestState.RUNNING);
        assertTrue(robot.lookup("#runTab-" + plain.model().runId() + " #captureForkableButton").tryQuery().isEmpty(),
                "no forkable capture button on a run that keeps no VM state");
        robot.press(KeyCode.SHIFT, KeyCode.F6).release(KeyCode.F6, KeyCode.SHIFT);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(workbench.statusBar().messageText().contains("this run keeps no VM state"),
                workbench.statusBar().messageText());
        assertTrue(plain.forkUnavailable().startsWith("run " + plain.model().runId() + " is still going"),
                plain.forkUnavailable());
        started.get().stop("next run");

        robot.interact(() -> workbench.startRun(FakeLiveRun.config(false), true));
        long first = plain.model().runId();
        await(() -> started.get().runId() != first && workbench.runs().current().model().runId()
                == started.get().runId());
        RunTabView forkable = workbench.runs().current();
        advanceTo(2_000);
        await(() -> forkable.model().guestStateProperty().get() == GuestState.RUNNING);
        assertFalse(robot.lookup("#runTab-" + forkable.model().runId() + " #captureForkableButton").queryButton()
                .isDisabled());
        robot.press(KeyCode.SHIFT, KeyCode.F6).release(KeyCode.F6, KeyCode.SHIFT);
        await(() -> workbench.statusBar().messageText().startsWith("manual_000 captured with the whole VM state"));
    }

    private void advanceTo(long atMs) {
        FakeLiveRun run = started.get();
        run.advance(Duration.ofNanos(Math.max(0, atMs * 1_000_000L - run.nowNs())));
        run.flush();
    }
}
