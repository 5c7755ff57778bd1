package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.timeline.TimelineItems;
import dev.freezeframe.timeline.TimelineSelection;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * One real run end to end through the window: the New run form starts scx_qmap on the guest kit under QEMU with a few
 * periodic snapshots; the run tab shows its steps, snapshots and verdict; Freeze and Resume on the toolbar hold the
 * guest, and the frozen span appears on the timeline and in the archive. Needs the kit (failed under CI without it).
 */
@ExtendWith(ApplicationExtension.class)
class WorkbenchRunIT {
    @TempDir
    Path dir;

    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = RealKitWorkbench.show(stage, dir, 1000, 760);
    }

    private static void await(long seconds, Callable<Boolean> condition) throws Exception {
        RealKitWorkbench.await(seconds, condition);
    }

    @Test
    void aRunStartedFromTheFormIsWatchedFrozenResumedAndEndsWithItsVerdict(FxRobot robot) throws Exception {
        robot.clickOn("#runTabs");
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        await(10, () -> robot.lookup("#launchForm").tryQuery().isPresent());
        robot.interact(() -> {
            var form = workbench.launchModel().orElseThrow();
            form.setScheduler("scx_qmap");
            form.setSchedulerArgs("");
            form.setScenario("cpu-pingpong");
            form.setSnapshots(3);
        });
        await(60, () -> !robot.lookup("#startRun").queryButton().isDisabled());
        robot.clickOn("#startRun");
        await(30, () -> workbench.runs().current() != null);
        RunTabView tab = workbench.runs().current();
        long runId = tab.model().runId();

        await(240, () -> tab.model().guestStateProperty().get() == GuestState.RUNNING
                && tab.model().stepProperty().get().startsWith("step ") && tab.model().snapshotsProperty().get() >= 1);
        await(30, () -> tab.snapshots().rows().stream().anyMatch(s -> s.tag().startsWith("periodic_")));

        robot.clickOn("#freezeButton");
        await(60, () -> tab.model().guestStateProperty().get() == GuestState.FROZEN);
        await(30, () -> tab.context().selection() instanceof TimelineSelection.Snapshot s
                && s.tag().startsWith("freeze_"));
        TimelineView timeline = robot.lookup("#timeline").queryAs(TimelineView.class);
        await(30, () -> timeline.items().frozen().stream().anyMatch(TimelineItems.FrozenSpan::open));
        long heldFrom = System.nanoTime();
        await(30, () -> System.nanoTime() - heldFrom > 1_000_000_000L && !robot.lookup("#resumeButton").queryButton()
                .isDisabled());
        robot.clickOn("#resumeButton");
        await(60, () -> tab.model().guestStateProperty().get() == GuestState.RUNNING
                || tab.model().guestStateProperty().get() == GuestState.ENDED);
        await(30, () -> timeline.items().frozen().stream().anyMatch(f -> !f.open() && f.toNs() - f.fromNs()
                >= 1_000_000_000L));

        await(300, () -> tab.model().guestStateProperty().get() == GuestState.ENDED);
        assertEquals("passed", tab.model().verdictProperty().get(), tab.model().reasonProperty().get());
        assertTrue(robot.lookup("#freezeButton").queryButton().isDisabled(), "an ended run cannot be frozen");

        try (Archive archive = Archive.open(workbench.archivePath())) {
            List<String> tags = archive.runs().snapshots(runId).stream().map(SnapshotInfo::tag).toList();
            assertTrue(tags.contains("freeze_000"), tags.toString());
            assertTrue(tags.stream().anyMatch(t -> t.startsWith("periodic_")), tags.toString());
            List<RunEvent> lifecycle = archive.runs().events(runId, Lane.LIFECYCLE, 0, Long.MAX_VALUE, 10_000);
            assertEquals(1, lifecycle.stream().filter(e -> e.kind().equals("frozen")).count());
            assertEquals(1, lifecycle.stream().filter(e -> e.kind().equals("resumed")).count());
            assertFalse(archive.runs().events(runId, Lane.STEPS, 0, Long.MAX_VALUE, 100).isEmpty());
        }
    }
}
