package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.ui.run.GuestState;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.model.FieldRef;
import dev.freezeframe.snapshots.model.PlotSeries;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import dev.freezeframe.snapshots.view.SnapshotViewer;
import dev.freezeframe.timeline.SeriesPoint;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A real scx_qmap run on the guest kit with periodic snapshots, then stepped through in the snapshot viewer: the arena
 * counter {@code qa.nr_enqueued} (where scx_qmap 7.x keeps its counters) rises in the diff between periodic snapshots,
 * and its plot over the run has a point at every periodic snapshot. Needs the kit (failed under CI without it).
 */
@ExtendWith(ApplicationExtension.class)
class SnapshotViewerIT {
    @TempDir
    Path dir;

    private Workbench workbench;

    @Start
    void start(Stage stage) {
        workbench = RealKitWorkbench.show(stage, dir, 1200, 800);
    }

    private static void await(long seconds, Callable<Boolean> condition) throws Exception {
        RealKitWorkbench.await(seconds, condition);
    }

    @Test
    void theQueueCounterRisesInTheDiffAndIsPlottedOverTheRun(FxRobot robot) throws Exception {
        robot.interact(() -> {
            workbench.openLaunchForm();
            var form = workbench.launchModel().orElseThrow();
            form.setScheduler("scx_qmap");
            form.setSchedulerArgs("");
            form.setScenario("cpu-pingpong");
            form.setSnapshots(6);
        });
        await(60, () -> workbench.launchModel().orElseThrow().canStartProperty().get());
        robot.interact(() -> workbench.launchModel().orElseThrow().start());
        await(60, () -> workbench.runs().current() != null);
        RunTabView live = workbench.runs().current();
        long runId = live.model().runId();
        await(900, () -> live.model().guestStateProperty().get() == GuestState.ENDED);
        assertEquals("passed", live.model().verdictProperty().get(), live.model().reasonProperty().get());
        // the guest ends before the run is done (its archive closed): reopened before that, it opens live again
        await(120, () -> WaitForAsyncUtils.asyncFx(() -> !workbench.runs().liveRuns().containsKey(runId))
                .get(30, TimeUnit.SECONDS));

        robot.interact(() -> {
            workbench.runs().close(runId);
            workbench.openRun(runId, Optional.empty());
        });
        await(30, () -> workbench.runs().tabOf(runId).map(t -> !t.model().isLive()).orElse(false));
        SnapshotViewer v = workbench.runs().tabOf(runId).orElseThrow().snapshots();
        await(30, () -> !v.rows().isEmpty());
        List<SnapshotInfo> periodic = v.rows().stream().filter(s -> s.tag().startsWith("periodic_")
                && !s.placeholder()).toList();
        assertTrue(periodic.size() >= 2, "two periodic snapshots at least: " + v.rows());
        robot.interact(() -> v.setBase(new SnapshotViewer.Base.PreviousSameKind()));

        BigDecimal rise = BigDecimal.ZERO;
        for (SnapshotInfo s : periodic.subList(1, periodic.size())) {
            robot.interact(() -> v.selectTag(s.tag()));
            await(60, () -> v.shownProperty().get() != null && v.shownProperty().get().id() == s.id()
                    && !v.loadingProperty().get());
            SnapshotDiff d = v.currentDiff().orElseThrow();
            SnapshotDiff.Change c = d.change(SnapshotViewerShots.COUNTER).orElse(null);
            if (c != null && c.state() == SnapshotDiff.State.CHANGED) {
                BigDecimal delta = c.delta().orElseThrow();
                assertTrue(delta.signum() > 0, s.tag() + ": a counter only rises, delta " + delta);
                rise = rise.add(delta);
            }
        }
        assertTrue(rise.signum() > 0, "qa.nr_enqueued rose between periodic snapshots of a running workload");

        List<SeriesPoint> points = v.plot(FieldRef.plain("arena", "qa.nr_enqueued"), PlotSeries.Combine.SUM)
                .get(60, TimeUnit.SECONDS);
        await(10, () -> !v.plotLanes().lanes().isEmpty());
        List<Double> values = points.stream().filter(p -> p.tag().startsWith("periodic_") && p.value().isPresent())
                .map(p -> p.value().getAsDouble()).toList();
        assertEquals(periodic.size(), values.size(), "a point at every periodic snapshot: " + points);
        assertTrue(values.getLast() > values.getFirst(), "the plotted counter rises over the run: " + values);
    }
}
