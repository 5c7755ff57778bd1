package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.live.FakeLiveRun;
import dev.freezeframe.app.live.FakeScript;
import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.timeline.TimelineSelection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
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
 * A live run tab over the scripted live run: the toolbar's state machine (controls disabled with their reason before
 * SYS_RDY, freeze and resume by key), steps and snapshots arriving, arming a watch from the slots panel, and the
 * scheduler-error notification.
 */
@ExtendWith(ApplicationExtension.class)
class LiveRunTabTest {
    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private AppDirs dirs;
    private Workbench workbench;
    private Archive archive;
    private final AtomicReference<FakeLiveRun> started = new AtomicReference<>();
    private FakeScript script = FakeScript.standard();

    @Start
    void start(Stage stage) {
        dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        archive = Archive.open(dirs.defaultArchive());
        workbench = new Workbench(dirs, "hint", (config, path) -> {
            FakeLiveRun run = FakeLiveRun.start(archive, config, script);
            started.set(run);
            return run;
        }, ShellTest.VIEWS, Workbench::productLaunchForm);
        workbench.show(stage, dirs.defaultArchive());
    }

    @AfterEach
    void close() {
        if (started.get() != null) started.get().stop("test over");
        archive.close();
    }

    private RunTabView launch(FxRobot robot) throws Exception {
        robot.interact(() -> workbench.startRun(FakeLiveRun.config(false)));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.runs().current() != null);
        return workbench.runs().current();
    }

    private void advanceTo(long atMs) {
        FakeLiveRun run = started.get();
        run.advance(Duration.ofNanos(Math.max(0, atMs * MS - run.nowNs())));
        run.flush();
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void atTheSmallerWindowSizeNoControlButtonIsCutShortTheTitleGivesWayInstead(FxRobot robot) throws Exception {
        RunTabView tab = launch(robot);
        robot.interact(() -> {
            Stage stage = (Stage) tab.getScene().getWindow();
            stage.setMaximized(false);
            stage.setWidth(1280);
            stage.setHeight(800);
        });
        advanceTo(2_000);
        await(() -> tab.model().guestStateProperty().get() == GuestState.RUNNING);
        WaitForAsyncUtils.waitForFxEvents();
        for (String id : new String[] {"#stopButton", "#freezeButton", "#resumeButton", "#toNextHitButton",
                "#captureButton"}) {
            Button b = robot.lookup(id).queryButton();
            assertFalse(b.isTextTruncated(), id + " reads '" + b.getText() + "' at " + b.getWidth() + " px");
        }
        for (String id : new String[] {"#runState", "#runElapsed", "#runSnapshots"}) {
            Label l = robot.lookup(id).queryAs(Label.class);
            assertFalse(l.isTextTruncated(), id + " reads '" + l.getText() + "'");
        }
    }

    @Test
    void controlsSayWhyTheyWaitUntilSysRdyThenFreezeAndResumeByKey(FxRobot robot) throws Exception {
        RunTabView tab = launch(robot);
        assertEquals(GuestState.BOOTING, tab.model().guestStateProperty().get());
        Button freeze = robot.lookup("#freezeButton").queryButton();
        assertTrue(freeze.isDisabled(), "no freeze before SYS_RDY");
        assertEquals("The guest has not reached SYS_RDY yet.", tooltipOf(freeze.getParent()),
                "a disabled control says why on its wrapper (a disabled node shows no tooltip)");

        advanceTo(2_000);
        await(() -> tab.model().guestStateProperty().get() == GuestState.RUNNING);
        assertFalse(freeze.isDisabled());
        robot.type(KeyCode.F6);
        try {
            await(() -> tab.model().guestStateProperty().get() == GuestState.FROZEN);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not frozen: " + tab.model().guestStateProperty().get() + "; status line: "
                    + workbench.statusBar().messageText() + "; fake: " + started.get().state(), e);
        }
        assertEquals("❄ FROZEN", robot.lookup("#statusGuestState").queryAs(Label.class).getText().substring(0, 8));
        await(() -> tab.context().selection() instanceof TimelineSelection.Snapshot s
                && s.tag().equals("freeze_000"));
        assertFalse(robot.lookup("#resumeButton").queryButton().isDisabled());
        assertTrue(robot.lookup("#captureButton").queryButton().isDisabled(), "nothing to capture while frozen");

        started.get().advance(Duration.ofMillis(1500)); // time passes while frozen; the script's clock does not
        robot.type(KeyCode.F5);
        await(() -> tab.model().guestStateProperty().get() == GuestState.RUNNING);
        started.get().flush();
        var spans = archive.runs().events(tab.model().runId(), dev.freezeframe.coordinator.model.Lane.LIFECYCLE, 0,
                Long.MAX_VALUE, 1000).stream().filter(e -> e.kind().equals("resumed")).toList();
        assertEquals(1, spans.size(), "one frozen span recorded");
        assertTrue(spans.getFirst().detailJson().contains("\"frozen_ns\":1500000000"), spans.getFirst().detailJson());
    }

    @Test
    void stepsAndSnapshotsArriveAndTheRunEndsWithItsVerdict(FxRobot robot) throws Exception {
        RunTabView tab = launch(robot);
        advanceTo(3_000);
        await(() -> tab.model().stepProperty().get().startsWith("step "));
        await(() -> tab.snapshots().rows().size() >= 2);
        assertTrue(tab.snapshots().rows().stream().map(SnapshotInfo::tag).anyMatch("periodic_000"::equals));
        advanceTo(8_000);
        await(() -> tab.model().guestStateProperty().get() == GuestState.ENDED);
        assertEquals("passed", tab.model().verdictProperty().get());
        assertTrue(robot.lookup("#freezeButton").queryButton().isDisabled());
        await(() -> tab.notifications().isShowing());
        assertTrue(tab.notifications().getText().startsWith("Run ended: passed"), tab.notifications().getText());
    }

    @Test
    void aWatchArmedFromTheSlotsPanelCountsItsHits(FxRobot robot) throws Exception {
        RunTabView tab = launch(robot);
        advanceTo(2_000);
        await(() -> tab.model().controlsProperty().get().canArm());
        robot.interact(() -> tab.workspace().reveal("slots"));
        robot.clickOn("#watchSymbol").write("schedule").type(KeyCode.ENTER);
        await(() -> !robot.lookup("#watchAnswer").queryAs(Label.class).getText().isEmpty());
        String refusal = robot.lookup("#watchAnswer").queryAs(Label.class).getText();
        assertTrue(refusal.contains("function"), "the engine's refusal, verbatim: " + refusal);

        robot.clickOn("#watchSymbol").eraseText(20).write("total_forks").type(KeyCode.ENTER);
        await(() -> robot.lookup("#watchAnswer").queryAs(Label.class).getText().startsWith("armed slot 1"));
        started.get().hit("total_forks");
        started.get().flush();
        await(() -> tab.model().slots().get(1).hits() == 1);
        assertEquals(WatchSlotState.State.ARMED, tab.model().slots().get(1).state());
        assertTrue(robot.lookup("#statusSlots").queryAs(Label.class).getText().contains("①total_forks"));
    }

    @Test
    void f9RunsToTheNextHitAndStaysFrozenThereOnce(FxRobot robot) throws Exception {
        RunTabView tab = launch(robot);
        advanceTo(2_000);
        await(() -> tab.model().controlsProperty().get().canArm());
        robot.clickOn("#runTabs");
        robot.type(KeyCode.F9);
        await(() -> workbench.statusBar().messageText().startsWith("Run to the next hit: No watch is armed"));

        robot.interact(() -> tab.workspace().reveal("slots"));
        robot.clickOn("#watchSymbol").write("total_forks").type(KeyCode.ENTER);
        await(() -> robot.lookup("#watchAnswer").queryAs(Label.class).getText().startsWith("armed slot 1"));
        robot.type(KeyCode.F6);
        await(() -> tab.model().guestStateProperty().get() == GuestState.FROZEN);
        robot.clickOn("#toNextHitButton");
        await(() -> tab.model().guestStateProperty().get() == GuestState.RUNNING);
        assertTrue(workbench.statusBar().messageText().startsWith("Running until the next hit of slot 1 (total_forks)"),
                workbench.statusBar().messageText());
        started.get().hit("total_forks");
        await(() -> tab.model().guestStateProperty().get() == GuestState.FROZEN);
        assertFalse(tab.model().slots().get(1).stayFrozen(), "the slot's own setting is unchanged");
        await(() -> tab.model().frozenTagProperty().get().startsWith("watch:total_forks"));

        robot.type(KeyCode.F5);
        await(() -> tab.model().guestStateProperty().get() == GuestState.RUNNING);
        started.get().hit("total_forks"); // the request was for one hit: this one lets the guest run on
        started.get().flush();
        await(() -> tab.model().slots().get(1).hits() == 2);
        assertEquals(GuestState.RUNNING, tab.model().guestStateProperty().get());
    }

    @Test
    void aSchedulerErrorIsNotifiedWithAWayToItsSnapshot(FxRobot robot) throws Exception {
        script = FakeScript.standard().failingAt(2_500, "runnable task stall");
        RunTabView tab = launch(robot);
        advanceTo(4_000);
        // "errored out" and then "Run ended: scheduler_failed" (the script ends the run at once): either way the
        // user reads the reason and has the way to the error snapshot
        await(() -> tab.notifications().isShowing() && tab.notifications().getText().contains("runnable task stall"));
        javafx.scene.control.Button action = robot.lookup("#runBannerAction").queryButton();
        assertTrue(action.isVisible() && action.getText().equals("Show error snapshot"), tab.notifications().getText());
        advanceTo(9_000);
        await(() -> tab.model().verdictProperty().get().equals("scheduler_failed"));
        robot.interact(() -> tab.showSnapshotTagged("error"));
        await(() -> tab.context().selection() instanceof TimelineSelection.Snapshot s && s.tag().equals("error"));
    }

    @Test
    void theFormStartsASecondRunAfterTheFirstEnded(FxRobot robot) throws Exception {
        robot.interact(() -> {
            workbench.openLaunchForm();
            var form = workbench.launchModel().orElseThrow();
            form.setScheduler("scx_simple");
            form.setScenario("cpu-pingpong");
        });
        // no kit in this test's cache: the form says so and does not start
        await(() -> !workbench.launchModel().orElseThrow().startBlockedByProperty().get().isEmpty());
        assertFalse(workbench.launchModel().orElseThrow().canStartProperty().get());
        RunTabView first = launch(robot);
        advanceTo(8_000);
        await(() -> first.model().guestStateProperty().get() == GuestState.ENDED);
        FakeLiveRun firstRun = started.get();
        robot.interact(() -> workbench.startRun(FakeLiveRun.config(false)));
        await(() -> workbench.runs().current() != null && workbench.runs().current() != first);
        assertTrue(started.get() != firstRun, "a second run started");
    }

    private static String tooltipOf(javafx.scene.Node node) {
        for (Object v : node.getProperties().values()) {
            if (v instanceof Tooltip t) return t.getText();
        }
        return "";
    }
}
