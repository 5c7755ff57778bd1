package dev.freezeframe.app.ui;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.run.RunLayout;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import java.awt.Robot;
import java.awt.event.InputEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.stage.Stage;

/**
 * A real mouse drag of a panel's tab in the real window (GTK under Xvfb, the X server's own pointer through XTest):
 * Console's tab into the middle of the inspector, then Events' tab onto the inspector's bottom edge. Prints what the
 * layout became, takes the window's picture in light and dark ({@code <w>x<h>-dock-drag-light.png}) and exits 0 only
 * when both drags did what they should. Not a test (the headless glass has no platform
 * drag-and-drop): {@code scripts/screenshots.sh} runs it first.
 */
public final class DockDragCheck {
    public static void main(String[] args) throws Exception {
        Path home = Files.createTempDirectory("ff-dock");
        AppDirs dirs = new AppDirs(home.resolve("data"), home.resolve("config"), home.resolve("state"),
                home.resolve("cache"));
        SyntheticArchive.Runs runs = SyntheticArchive.write(dirs.defaultArchive());
        Path out = Path.of(args.length > 0 ? args[0] : "app/target/screenshots");
        int width = args.length > 2 ? Integer.parseInt(args[1]) : 1280;
        int height = args.length > 2 ? Integer.parseInt(args[2]) : 800;
        Platform.startup(() -> { });
        Workbench workbench = ScreenshotTour.fx(() -> {
            Stage stage = new Stage();
            Workbench w = new Workbench(dirs, "hint", (config, archive) -> {
                throw new IllegalStateException("no runs start here");
            }, ProductWiring.views(), x -> new Label("launch form"));
            w.show(stage, dirs.defaultArchive());
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(width);
            stage.setHeight(height);
            w.openRun(runs.passed(), Optional.empty());
            return w;
        });
        ScreenshotTour.waitFor(() -> ScreenshotTour.fx(() -> workbench.runs().tabOf(runs.passed()).isPresent()));
        RunTabView view = ScreenshotTour.fx(() -> workbench.runs().tabOf(runs.passed()).orElseThrow());
        Thread.sleep(2000);
        Robot robot = new Robot();
        robot.setAutoDelay(15);

        drag(robot, ScreenshotTour.fx(() -> centre(view.workspace().groupOf(RunPanels.CONSOLE)
                        .getHeader(dockableOf(view, RunPanels.CONSOLE)), 0.5, 0.5)),
                ScreenshotTour.fx(() -> centre(content(view, RunPanels.SNAPSHOT), 0.5, 0.5)));
        boolean intoInspector = waitUntil(() -> view.workspace().dockOf(RunPanels.CONSOLE).equals(RunLayout.INSPECTOR));

        drag(robot, ScreenshotTour.fx(() -> centre(view.workspace().groupOf(RunPanels.EVENTS)
                        .getHeader(dockableOf(view, RunPanels.EVENTS)), 0.5, 0.5)),
                ScreenshotTour.fx(() -> centre(content(view, RunPanels.SNAPSHOT), 0.5, 0.96)));
        boolean split = waitUntil(() -> view.workspace().currentLayout().inspector().isSplit()
                && view.workspace().dockOf(RunPanels.EVENTS).equals(RunLayout.INSPECTOR));
        Files.createDirectories(out);
        Stage stage = ScreenshotTour.fx(() -> (Stage) view.getScene().getWindow());
        ScreenshotTour.shootBoth(workbench, stage, out.resolve(width + "x" + height + "-dock-drag"));
        String layout = ScreenshotTour.fx(() -> view.workspace().currentLayout().toString());
        System.out.println("{\"consoleDraggedIntoInspector\":" + intoInspector + ",\"eventsSplitTheInspector\":" + split
                + ",\"layout\":\"" + layout.replace("\"", "'") + "\"}");
        Runtime.getRuntime().halt(intoInspector && split ? 0 : 1);
    }

    private static software.coley.bentofx.dockable.Dockable dockableOf(RunTabView view, String panel) {
        return view.workspace().groupOf(panel).getDockables().stream().filter(d -> d.getIdentifier().equals(panel))
                .findFirst().orElseThrow();
    }

    private static Region content(RunTabView view, String panel) {
        return (Region) view.workspace().groupOf(panel).lookup(".node-wrapper");
    }

    private static Point2D centre(Node node, double fx, double fy) {
        Bounds b = node.getLayoutBounds();
        return node.localToScreen(b.getMinX() + b.getWidth() * fx, b.getMinY() + b.getHeight() * fy);
    }

    /** Press, move in small steps (past the drag threshold), release: what a hand does. */
    private static void drag(Robot robot, Point2D from, Point2D to) throws InterruptedException {
        robot.mouseMove((int) from.getX(), (int) from.getY());
        Thread.sleep(200);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        for (int i = 1; i <= 30; i++) {
            robot.mouseMove((int) (from.getX() + (to.getX() - from.getX()) * i / 30),
                    (int) (from.getY() + (to.getY() - from.getY()) * i / 30));
        }
        Thread.sleep(300);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        Thread.sleep(500);
    }

    private static boolean waitUntil(java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (ScreenshotTour.fx(() -> {
                try {
                    return condition.call();
                } catch (Exception e) {
                    return false;
                }
            })) return true;
            Thread.sleep(100);
        }
        return false;
    }
}
