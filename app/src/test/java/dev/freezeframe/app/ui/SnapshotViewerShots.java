package dev.freezeframe.app.ui;

import static dev.freezeframe.app.ui.ScreenshotTour.fx;
import static dev.freezeframe.app.ui.ScreenshotTour.waitFor;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.model.FieldRef;
import dev.freezeframe.snapshots.model.PlotSeries;
import dev.freezeframe.snapshots.view.SnapshotViewer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;

/**
 * The snapshot viewer's screenshot: an archived scx_qmap run, a periodic snapshot diffed against the previous one with
 * "changed only" on, the arena counter {@code qa.nr_enqueued} selected and plotted above the timeline. Part of
 * {@link ScreenshotTour}; also runs alone over an existing archive:
 * {@code SnapshotViewerShots ARCHIVE OUT_DIR WIDTH HEIGHT}.
 */
final class SnapshotViewerShots {
    static final String COUNTER = "arena:qa.nr_enqueued";

    private SnapshotViewerShots() {
    }

    /** Opens run {@code runId} archived in {@code w}, sets up the diff and the plot; {@code shoot} takes the pictures. */
    static void diffAndPlot(Workbench w, long runId, Callable<Void> shoot) throws Exception {
        waitFor(() -> fx(() -> !w.runs().liveRuns().containsKey(runId))); // else it reopens live
        fx(() -> {
            w.runs().tabOf(runId).ifPresent(t -> w.runs().close(runId));
            w.openRun(runId, Optional.empty());
            return null;
        });
        waitFor(() -> fx(() -> w.runs().tabOf(runId).map(t -> t.snapshots().rows().size() >= 3).orElse(false)));
        RunTabView tab = fx(() -> w.runs().tabOf(runId).orElseThrow());
        SnapshotViewer v = tab.snapshots();
        List<SnapshotInfo> periodic = fx(() -> v.rows().stream().filter(s -> s.tag().startsWith("periodic_")
                && !s.placeholder()).toList());
        SnapshotInfo shown = periodic.get(Math.min(periodic.size() - 1, 2));
        fx(() -> {
            tab.workspace().reveal(RunPanels.SNAPSHOT);
            v.selectTag(shown.tag());
            return null;
        });
        waitFor(() -> fx(() -> v.shownProperty().get() != null && v.shownProperty().get().id() == shown.id()
                && !v.loadingProperty().get()));
        fx(() -> {
            v.setChangedOnly(true);
            v.selectPath(COUNTER);
            v.pin(COUNTER);
            return null;
        });
        fx(() -> v.plot(FieldRef.plain("arena", "qa.nr_enqueued"), PlotSeries.Combine.SUM)).get(60, TimeUnit.SECONDS);
        Thread.sleep(1200); // a picture for a person: let layout and the plot settle
        shoot.call();
    }

    public static void main(String[] args) throws Exception {
        Path archive = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int width = Integer.parseInt(args[2]);
        int height = Integer.parseInt(args[3]);
        Files.createDirectories(out);
        Path home = Files.createTempDirectory("ff-svshots");
        AppDirs dirs = new AppDirs(home.resolve("data"), home.resolve("config"), home.resolve("state"),
                home.resolve("cache"));
        Files.createDirectories(dirs.defaultArchive().getParent());
        Files.copy(archive, dirs.defaultArchive());
        long runId;
        try (Archive a = Archive.open(dirs.defaultArchive())) {
            runId = a.listRuns().stream().filter(r -> r.scheduler().equals("scx_qmap"))
                    .max(java.util.Comparator.comparingInt(r -> a.runs().snapshots(r.id()).size())).orElseThrow().id();
        }
        Workbench workbench = ScreenshotTour.showWindow(dirs, "hint", width, height);
        Stage stage = fx(() -> (Stage) workbench.documents().getScene().getWindow());
        diffAndPlot(workbench, runId, () -> {
            ScreenshotTour.shootBoth(workbench, stage, out.resolve(width + "x" + height + "-snapshot-diff"));
            return null;
        });
        System.out.println("screenshots in " + out);
        Runtime.getRuntime().halt(0);
    }
}
