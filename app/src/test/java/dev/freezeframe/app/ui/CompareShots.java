package dev.freezeframe.app.ui;

import static dev.freezeframe.app.ui.ScreenshotTour.fx;
import static dev.freezeframe.app.ui.ScreenshotTour.shootBoth;
import static dev.freezeframe.app.ui.ScreenshotTour.waitFor;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.compare.CompareArchive;
import dev.freezeframe.app.ui.compare.CompareModel;
import dev.freezeframe.app.ui.compare.CompareView;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.stage.Stage;

/**
 * The Compare tab in the real window, quickly: {@link CompareArchive}'s runs 1 and 3 (scx_simple) against 2 and 4
 * (scx_qmap), aligned timelines beside the metric table. The full tour ({@link ScreenshotTour}) shoots the same tab
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
        CompareView view = fx(() -> {
            workbench.openCompare(1, 2);
            return (CompareView) workbench.documents().getSelectionModel().getSelectedItem().getContent();
        });
        waitFor(() -> fx(() -> view.model().statusProperty().get() == CompareModel.Status.READY));
        fx(() -> {
            view.model().compareGroups(java.util.List.of(1L, 3L), java.util.List.of(2L, 4L));
            return null;
        });
        waitFor(() -> fx(() -> view.model().statusProperty().get() == CompareModel.Status.READY
                && view.model().moments().size() == 4));
        Thread.sleep(2500); // let the timelines' tiles arrive before the picture
        shootBoth(workbench, stage, out.resolve(width + "x" + height + "-compare-groups"));
        System.out.println("screenshots in " + out);
        Runtime.getRuntime().halt(0);
    }
}
