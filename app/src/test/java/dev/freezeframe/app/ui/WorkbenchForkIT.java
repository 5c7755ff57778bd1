package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ForkLink;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A real fork from the window: a forkable scx_qmap run started from the New run form ends; Fork from here on its
 * first periodic snapshot starts a fork (the guest restored from that snapshot under QEMU) in a live tab, which reaches
 * its own verdict and is linked to its parent in the archive and on the parent's timeline. Needs the kit.
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchForkIT {
    @TempDir
    Path dir;

    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = RealKitWorkbench.show(stage, dir, 1280, 800);
    }

    private static void await(long seconds, Callable<Boolean> condition) throws Exception {
        RealKitWorkbench.await(seconds, condition);
    }

    @Test
    void aForkStartedFromASnapshotOfAnEndedForkableRunReachesItsVerdict(FxRobot robot) throws Exception {
        robot.interact(workbench::openLaunchForm);
        await(10, () -> robot.lookup("#launchForm").tryQuery().isPresent());
        robot.interact(() -> {
            var form = workbench.launchModel().orElseThrow();
            form.setScheduler("scx_qmap");
            form.setSchedulerArgs("");
            form.setScenario("cpu-pingpong");
            form.setSnapshots(2);
            form.setForkable(true);
        });
        await(60, () -> !robot.lookup("#startRun").queryButton().isDisabled());
        assertTrue(workbench.launchModel().orElseThrow().commandLineProperty().get().endsWith(" --forkable"));
        robot.clickOn("#startRun");
        await(30, () -> workbench.runs().current() != null);
        RunTabView parent = workbench.runs().current();
        long parentId = parent.model().runId();
        assertTrue(parent.model().forkable());
        await(400, () -> parent.model().guestStateProperty().get() == GuestState.ENDED);
        assertEquals("passed", parent.model().verdictProperty().get(), parent.model().reasonProperty().get());

        robot.interact(() -> parent.showSnapshotTagged("periodic_000"));
        await(30, () -> parent.snapshots().shownProperty().get() != null
                && parent.snapshots().shownProperty().get().tag().equals("periodic_000"));
        await(30, () -> parent.forkUnavailable().isEmpty());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.F).release(KeyCode.F, KeyCode.SHIFT, KeyCode.CONTROL);
        await(30, () -> workbench.forkOverlay().isShowing());
        robot.interact(() -> robot.lookup("#forkSnapshots").queryAs(TextField.class).setText("1"));
        robot.clickOn("#forkStart");

        await(60, () -> workbench.runs().current() != null && workbench.runs().current().model().runId() != parentId);
        RunTabView fork = workbench.runs().current();
        long forkId = fork.model().runId();
        assertTrue(fork.model().isLive());
        await(30, () -> fork.model().originProperty().get() != null);
        assertEquals(parentId, fork.model().originProperty().get().parentRunId());
        await(400, () -> fork.model().guestStateProperty().get() == GuestState.ENDED);
        assertEquals("passed", fork.model().verdictProperty().get(), fork.model().reasonProperty().get());
        assertTrue(fork.snapshots().rows().stream().anyMatch(s -> s.tag().equals("fork_start")),
                "the fork's first snapshot is the parent's state as the fork sees it");

        try (Archive archive = Archive.open(workbench.archivePath())) {
            ForkLink link = archive.forkOf(forkId).orElseThrow();
            assertEquals(parentId, link.parentRunId());
            assertEquals("periodic_000", link.snapshotTag());
        }
        TimelineView parentTimeline = (TimelineView) parent.timelineNode();
        await(30, () -> parentTimeline.items().branches().stream().anyMatch(b -> b.runId() == forkId));
    }
}
