package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.run.SelectionPanel;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.persistence.RangeSummary;
import dev.freezeframe.snapshots.view.SnapshotViewer;
import dev.freezeframe.timeline.TimelineSelection;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Selection tab over the snapshot viewer's archive (snapshots at 4 … 11 s) with known events added: a console line
 * every 10 ms (every 50th an error), a stats counter rising by 3 per 100 ms, a watch hit of slot 2 every second.
 */
@ExtendWith(ApplicationExtension.class)
class SelectionPanelTest {
    static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private Workbench workbench;
    private long runId;

    @Start
    void start(Stage stage) {
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        runId = SnapshotViewerTest.write(dirs.defaultArchive());
        try (Archive archive = Archive.open(dirs.defaultArchive()); EventIngest ingest = archive.startIngest(runId)) {
            long seq = 1_000_000; // after the snapshot events
            for (long t = 0; t < 12_000; t += 10) {
                String text = t % 500 == 0 ? "sched_ext: BPF scheduler error at tick " + t : "tick " + t + " cpu" + t % 3;
                ingest.append(RunEvent.of(seq++, t * MS, Lane.CONSOLE, "line", text));
                if (t % 100 == 0) {
                    ingest.append(new RunEvent(seq++, t * MS, Lane.STATS, "nr_dispatched", "", 3.0 * t / 100, null));
                }
                if (t % 1000 == 0) {
                    ingest.append(new RunEvent(seq++, t * MS, Lane.WATCHPOINTS, "hit", "total_forks", null,
                            "{\"slot\":2}"));
                }
            }
            ingest.flush();
        }
        workbench = new Workbench(dirs, "hint", (config, archive) -> {
            throw new IllegalStateException("no runs start in this test");
        }, ShellTest.VIEWS, w -> new javafx.scene.control.Label("launch form"));
        workbench.show(stage, dirs.defaultArchive());
    }

    @Test
    void anAreaShowsItsExactFiguresAndDiffsItsFirstAndLastSnapshot(FxRobot robot) throws Exception {
        robot.interact(() -> workbench.openRun(runId, Optional.empty()));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> workbench.runs().tabOf(runId).isPresent());
        RunTabView view = workbench.runs().tabOf(runId).orElseThrow();
        SelectionPanel panel = view.selection();
        assertTrue(panel.messageProperty().get().startsWith("Drag across the timeline"));

        // 5.000 s … 7.000 s inclusive: console lines at 5000, 5010 … 7000 ms
        robot.interact(() -> view.context().select(new TimelineSelection.Area(5_000 * MS, 7_000 * MS, Set.of())));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> panel.answerProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(RunPanels.SELECTION, view.workspace().currentLayout().drawer().selected()); // the tab came forward
        RangeSummary s = panel.answerProperty().get().summary();
        assertEquals(201, count(s, Lane.CONSOLE));
        assertEquals(5_000 * MS, s.lanes().get(Lane.CONSOLE.ordinal()).firstNs());
        assertEquals(7_000 * MS, s.lanes().get(Lane.CONSOLE.ordinal()).lastNs());
        assertEquals(5, s.console().errors()); // 5000, 5500, 6000, 6500, 7000
        RangeSummary.SeriesStats dispatched = s.series().getFirst();
        assertEquals("nr_dispatched", dispatched.kind());
        assertEquals(21, dispatched.count());
        assertEquals(60, dispatched.delta(), 1e-9);
        assertEquals(30, dispatched.ratePerSecond(), 1e-9);
        assertEquals(3L, s.watchHitsBySlot().get(2));
        // snapshots at 5, 6 and 7 s: periodic_001 … periodic_003
        assertEquals(3, panel.answerProperty().get().snapshots().size());

        Button diff = robot.lookup("#selectionDiff").queryButton();
        robot.interact(diff::fire);
        SnapshotViewer v = view.snapshots();
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> v.shownProperty().get() != null
                && v.shownProperty().get().tag().equals("periodic_003") && !v.loadingProperty().get()
                && v.currentDiff().isPresent());
        assertTrue(v.baseProperty().get() instanceof SnapshotViewer.Base.Chosen c && c.label().equals("periodic_001"));

        // a newer range replaces the figures; only the lanes dragged over are listed
        robot.interact(() -> view.context().select(new TimelineSelection.Area(0, 999 * MS, Set.of(Lane.CONSOLE))));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> panel.answerProperty().get() != null
                && panel.answerProperty().get().summary().toNs() == 999 * MS);
        assertEquals(100, count(panel.answerProperty().get().summary(), Lane.CONSOLE));
        assertTrue(robot.lookup("#selectionSeries").tryQuery().isEmpty());
    }

    private static long count(RangeSummary s, Lane lane) {
        return s.lanes().get(lane.ordinal()).count();
    }
}
