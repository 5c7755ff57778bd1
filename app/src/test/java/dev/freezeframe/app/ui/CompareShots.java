package dev.freezeframe.app.ui;

import static dev.freezeframe.app.ui.ScreenshotTour.fx;
import static dev.freezeframe.app.ui.ScreenshotTour.shootBoth;
import static dev.freezeframe.app.ui.ScreenshotTour.waitFor;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.compare.CompareArchive;
import dev.freezeframe.app.ui.compare.CompareModel;
import dev.freezeframe.app.ui.compare.CompareView;
import dev.freezeframe.app.ui.runs.AbMarks;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.stage.Stage;

/**
 * The Compare tab in the real window, quickly: {@link CompareArchive}'s runs 1 and 3 (scx_simple) against 2 and 4
 * (scx_qmap) marked A and B in the Runs browser, then their Compare tab: aligned timelines (rulers from the alignment
 * point) beside the metric table, B's snapshot tree diffed against A's under them. The full tour ({@link ScreenshotTour}) shoots the same tab
 * over real runs. Run under Xvfb: {@code CompareShots OUT WIDTH HEIGHT}.
 */
public final class CompareShots {
    private CompareShots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        Files.createDirectories(out);
        AppDirs dirs = ScreenshotTour.syntheticHome("ff-compare-shots");
        CompareArchive.write(dirs.defaultArchive());
        Workbench workbench = ScreenshotTour.showWindow(dirs, width, height);
        Stage stage = fx(() -> (Stage) workbench.documents().getScene().getWindow());
        // the Runs browser with runs 1 and 3 marked A, 2 and 4 marked B
        waitFor(() -> fx(() -> workbench.archiveModel().runs().size() == 4));
        fx(() -> {
            workbench.archiveModel().marks().mark(java.util.List.of(1L, 3L), AbMarks.Side.A);
            workbench.archiveModel().marks().mark(java.util.List.of(2L, 4L), AbMarks.Side.B);
            return null;
        });
        Thread.sleep(500);
        shootBoth(workbench, stage, out.resolve(width + "x" + height + "-runs-ab"));
        // "Compare A vs B": the groups in a Compare tab, B's snapshot tree diffed against A's in the lower half
        CompareView view = fx(() -> {
            workbench.openCompareGroups(workbench.archiveModel().marks().runs(AbMarks.Side.A),
                    workbench.archiveModel().marks().runs(AbMarks.Side.B));
            return (CompareView) workbench.documents().getSelectionModel().getSelectedItem().getContent();
        });
        waitFor(() -> fx(() -> view.model().statusProperty().get() == CompareModel.Status.READY
                && view.model().moments().size() == 4));
        Thread.sleep(2500); // let the timelines' tiles and the tree diff arrive before the picture
        shootBoth(workbench, stage, out.resolve(width + "x" + height + "-compare-groups"));
        System.out.println("screenshots in " + out);
        Runtime.getRuntime().halt(0);
    }
}
