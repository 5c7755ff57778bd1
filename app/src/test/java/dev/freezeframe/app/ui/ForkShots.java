package dev.freezeframe.app.ui;

import static dev.freezeframe.app.ui.ScreenshotTour.fx;
import static dev.freezeframe.app.ui.ScreenshotTour.shootBoth;
import static dev.freezeframe.app.ui.ScreenshotTour.waitFor;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.stage.Stage;

/**
 * Forks in the real window over {@link ForkArchive}: the fork form over the parent's tab, the parent's timeline with
 * its branch, the fork's tab with its origin, and the Runs browser's tree. Run under Xvfb:
 * {@code ForkShots OUT WIDTH HEIGHT}.
 */
public final class ForkShots {
    private ForkShots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        Files.createDirectories(out);
        AppDirs dirs = ScreenshotTour.syntheticHome("ff-fork-shots");
        SyntheticArchive.Runs runs = SyntheticArchive.write(dirs.defaultArchive());
        long fork;
        try (Archive archive = Archive.open(dirs.defaultArchive())) {
            fork = ForkArchive.addFork(archive, runs.passed());
        }
        Workbench workbench = ScreenshotTour.showWindow(dirs, width, height);
        Stage stage = fx(() -> (Stage) workbench.documents().getScene().getWindow());
        String base = width + "x" + height + "-fork";

        RunTabView parent = open(workbench, runs.passed(), ForkArchive.TAG);
        TimelineView timeline = (TimelineView) parent.timelineNode();
        waitFor(() -> fx(() -> !timeline.items().branches().isEmpty()));
        Thread.sleep(1500); // the timeline's tiles
        shootBoth(workbench, stage, out.resolve(base + "-parent"));
        fx(() -> {
            parent.forkFromShown();
            return null;
        });
        waitFor(() -> fx(() -> workbench.forkOverlay().isShowing()));
        Thread.sleep(500);
        shootBoth(workbench, stage, out.resolve(base + "-form"));
        fx(() -> {
            workbench.forkOverlay().hide();
            return null;
        });

        RunTabView child = open(workbench, fork, null);
        waitFor(() -> fx(() -> child.model().originProperty().get() != null));
        Thread.sleep(1500);
        shootBoth(workbench, stage, out.resolve(base + "-child"));

        fx(() -> {
            workbench.showRuns();
            return null;
        });
        waitFor(() -> fx(() -> workbench.archiveModel().runs().size() == 3));
        Thread.sleep(500);
        shootBoth(workbench, stage, out.resolve(base + "-runs"));
        System.out.println("screenshots in " + out);
        Runtime.getRuntime().halt(0);
    }

    private static RunTabView open(Workbench w, long runId, String tag) throws Exception {
        fx(() -> {
            w.openRun(runId, Optional.ofNullable(tag));
            return null;
        });
        waitFor(() -> fx(() -> w.runs().current() != null && w.runs().current().model().runId() == runId));
        RunTabView tab = fx(() -> w.runs().current());
        if (tag != null) {
            waitFor(() -> fx(() -> tab.snapshots().shownProperty().get() != null
                    && tab.snapshots().shownProperty().get().tag().equals(tag)));
        }
        return tab;
    }
}
