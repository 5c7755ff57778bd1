package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.snapshots.symbols.SymbolRow;
import dev.freezeframe.timeline.TimelineSelection;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The symbol browser on a real run: scx_simple under fork-churn on the guest kit, frozen as the scheduler is enabled;
 * {@code total_forks} is found in the live guest's kallsyms and armed by clicking it, its slot set to stay frozen on a
 * hit; on resume the workload's first fork hits, the guest stays frozen on the hit's snapshot, the hit and its snapshot
 * are on the timeline; after Resume the run goes on and ends. Needs the kit (failed under CI without it).
 */
@ExtendWith(ApplicationExtension.class)
class SymbolBrowserRunIT {
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

    @SuppressWarnings("unchecked")
    private static TableView<SymbolRow> table(FxRobot robot) {
        return robot.lookup("#symbolTable").queryAs(TableView.class);
    }

    @Test
    void totalForksArmedFromTheBrowserHitsStaysFrozenAndResumes(FxRobot robot) throws Exception {
        robot.interact(() -> {
            workbench.openLaunchForm();
            var form = workbench.launchModel().orElseThrow();
            form.setScheduler("scx_simple");
            form.setSchedulerArgs("");
            form.setScenario("fork-churn");
            form.setSnapshots(0);
            form.setFreezeOnEnable(true);
        });
        await(60, () -> !robot.lookup("#startRun").queryButton().isDisabled());
        robot.clickOn("#startRun");
        await(30, () -> workbench.runs().current() != null);
        RunTabView tab = workbench.runs().current();
        long runId = tab.model().runId();

        // frozen as the scheduler is enabled: the guest's symbols are in, nothing of the workload has run yet
        await(300, () -> tab.model().guestStateProperty().get() == GuestState.FROZEN
                && tab.model().controlsProperty().get().canArm());
        robot.interact(() -> tab.workspace().reveal(RunPanels.SYMBOLS));
        await(120, () -> tab.symbols().view().model().catalogProperty().get() != null
                && tab.symbols().view().model().catalogProperty().get().live());
        robot.clickOn("#symbolSearch").write("total_forks");
        await(30, () -> !table(robot).getItems().isEmpty() && table(robot).getItems().getFirst().name()
                .equals("total_forks"));
        assertTrue(robot.lookup("#symbolStatus").queryAs(Label.class).getText().contains("the live guest"));
        robot.clickOn("#arm-total_forks");
        await(60, () -> tab.model().slots().get(1).state() == WatchSlotState.State.ARMED);
        robot.clickOn("#stayFrozenCompact1");
        await(60, () -> tab.model().slots().get(1).stayFrozen());

        robot.clickOn("#resumeButton");
        // the workload's first fork writes total_forks: the guest stays frozen on the hit's snapshot
        await(240, () -> tab.model().slots().get(1).hits() >= 1
                && tab.model().guestStateProperty().get() == GuestState.FROZEN);
        await(60, () -> tab.context().selection() instanceof TimelineSelection.Snapshot s
                && s.tag().equals("watch:total_forks"));
        TimelineView timeline = robot.lookup("#timeline").queryAs(TimelineView.class);
        await(60, () -> timeline.items().watchHits().stream().anyMatch(h -> h.slot() == 1)
                && timeline.items().snapshots().stream().anyMatch(s -> s.tag().equals("watch:total_forks")));
        long hitsWhenHeld = tab.model().slots().get(1).hits();
        Thread.sleep(1500);
        assertEquals(GuestState.FROZEN, tab.model().guestStateProperty().get(), "held until Resume");
        assertEquals(hitsWhenHeld, tab.model().slots().get(1).hits(), "no fork while held");

        // capture and continue from here on; Resume lets the run go on to its end
        robot.clickOn("#stayFrozenCompact1");
        await(60, () -> !tab.model().slots().get(1).stayFrozen());
        // F9 / "To next hit": resumed, and held again on the very next fork although the slot no longer stays frozen
        robot.clickOn("#toNextHitButton");
        await(120, () -> tab.model().slots().get(1).hits() > hitsWhenHeld
                && tab.model().guestStateProperty().get() == GuestState.FROZEN);
        long hitsAtSecondHold = tab.model().slots().get(1).hits();
        Thread.sleep(1500);
        assertEquals(GuestState.FROZEN, tab.model().guestStateProperty().get(), "F9 holds at the hit");
        assertEquals(hitsAtSecondHold, tab.model().slots().get(1).hits(), "no fork while held");
        robot.clickOn("#resumeButton");
        await(300, () -> tab.model().guestStateProperty().get() == GuestState.ENDED);
        assertEquals("passed", tab.model().verdictProperty().get(), tab.model().reasonProperty().get());

        try (Archive archive = Archive.open(workbench.archivePath())) {
            List<RunEvent> watch = archive.runs().events(runId, Lane.WATCHPOINTS, 0, Long.MAX_VALUE, 10_000);
            RunEvent firstHit = watch.stream().filter(e -> e.kind().equals("hit")).findFirst().orElseThrow();
            assertTrue(firstHit.detailJson().contains("\"stayed_frozen\":true"), firstHit.detailJson());
            assertEquals(2, watch.stream().filter(e -> e.kind().equals("hit") && e.detailJson().contains(
                    "\"stayed_frozen\":true")).count(), "the ❄ hit and the F9 hit held the guest; no other");
            assertTrue(watch.stream().anyMatch(e -> e.kind().equals("run_to_hit")), "F9 is recorded");
            assertTrue(watch.stream().filter(e -> e.kind().equals("hit")).count() > 1, "the run went on forking");
            List<RunEvent> lifecycle = archive.runs().events(runId, Lane.LIFECYCLE, 0, Long.MAX_VALUE, 10_000);
            assertTrue(lifecycle.stream().anyMatch(e -> e.kind().equals("frozen") && e.text().contains(
                    "watch:total_forks")), "the hold is labelled with the hit's snapshot");
        }
    }
}
