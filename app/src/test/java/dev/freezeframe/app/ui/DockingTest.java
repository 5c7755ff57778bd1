package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;
import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.run.DockTree;
import dev.freezeframe.app.ui.run.LayoutStore;
import dev.freezeframe.app.ui.run.RunLayout;
import dev.freezeframe.app.ui.run.RunPanels;
import dev.freezeframe.app.ui.run.RunTabView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.event.EventType;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import software.coley.bentofx.control.Header;
import software.coley.bentofx.layout.container.DockContainerLeaf;

/**
 * The run tab's docks (BentoFX): a panel moves by the palette's command and by a drag of its tab (into the other dock,
 * onto a dock's edge to split it, before another tab), the arrangement is stored and comes back for the next run and
 * the next start, Reset layout brings the shipped one back, and no panel is ever lost.
 *
 * <p>JavaFX's headless glass has no platform drag-and-drop (its drag clipboard refuses), so the drags here deliver the
 * drag-over and drop events a real drag delivers, with a dragboard holding what BentoFX's header puts on it, to the
 * same BentoFX handlers.
 */
@ExtendWith(ApplicationExtension.class)
class DockingTest {
    @TempDir
    Path dir;

    private AppDirs dirs;
    private Workbench workbench;
    private SyntheticArchive.Runs runs;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"), dir.resolve("cache"));
        runs = SyntheticArchive.write(dirs.defaultArchive());
        workbench = newWorkbench();
        workbench.show(stage, dirs.defaultArchive());
    }

    private Workbench newWorkbench() {
        return ShellTest.newWorkbench(dirs);
    }

    private RunTabView open(FxRobot robot, long runId) throws Exception {
        return ShellTest.open(robot, workbench, runId);
    }

    @Test
    void thePalettesMoveCommandMovesAPanelAndSaysWhyWhenItIsThereAlready(FxRobot robot) throws Exception {
        RunTabView view = open(robot, runs.passed());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.P).release(KeyCode.P, KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        robot.write("move events to the inspector");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("ff.panel.events.toInspector", workbench.palette().matches().getFirst().id());
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(RunLayout.INSPECTOR, view.workspace().dockOf(RunPanels.EVENTS));
        assertShown(view, RunPanels.EVENTS);
        String why = workbench.keyMap().whyNot(workbench.keyMap().find("ff.panel.events.toInspector").orElseThrow());
        assertEquals("Events is in the inspector already", why);
        assertEveryPanelOnce(view);
    }

    @Test
    void draggingATabIntoTheOtherDockSplittingADockAndReorderingTabsIsStoredAndRestored(FxRobot robot)
            throws Exception {
        RunTabView view = open(robot, runs.passed());
        // Console's tab dropped in the middle of the inspector: it joins the inspector's tabs
        drag(robot, view, RunPanels.CONSOLE, contentOf(view.workspace().groupOf(RunPanels.SNAPSHOT)), 0.5, 0.5);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.workspace().dockOf(RunPanels.CONSOLE)
                .equals(RunLayout.INSPECTOR));
        assertSame(view.workspace().groupOf(RunPanels.SNAPSHOT), view.workspace().groupOf(RunPanels.CONSOLE));
        assertShown(view, RunPanels.CONSOLE);

        // Symbols' tab dropped on the bottom edge of the inspector: the inspector splits, Symbols underneath
        drag(robot, view, RunPanels.SYMBOLS, contentOf(view.workspace().groupOf(RunPanels.SNAPSHOT)), 0.5, 0.97);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.workspace().currentLayout().inspector().isSplit());
        DockTree inspector = view.workspace().currentLayout().inspector();
        assertTrue(inspector.vertical(), inspector.toString());
        assertEquals(List.of(RunPanels.SYMBOLS), inspector.split().get(1).panels());
        assertShown(view, RunPanels.SYMBOLS);

        // Slots' tab dropped on Snapshots' tab: it goes before it
        drag(robot, view, RunPanels.SLOTS, view.workspace().groupOf(RunPanels.SNAPSHOT)
                .getHeader(dockable(view, RunPanels.SNAPSHOT)), 0.5, 0.5);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.workspace().currentLayout().inspector().split()
                .getFirst().panels().indexOf(RunPanels.SLOTS) == 0);
        assertEveryPanelOnce(view);
        RunLayout dragged = view.workspace().currentLayout();

        // the next run opened gets the same arrangement, and so does the next start
        RunTabView other = open(robot, runs.failed());
        assertEquals(dragged.drawer(), other.workspace().currentLayout().drawer());
        assertEquals(dragged.inspector().allPanels(), other.workspace().currentLayout().inspector().allPanels());
        robot.interact(() -> stage.close()); // saves the layout
        RunLayout stored = new LayoutStore(dirs.configDir()).load(RunPanels.NAMES.keySet());
        assertEquals(dragged.inspector().allPanels(), stored.inspector().allPanels());
        robot.interact(() -> {
            workbench = newWorkbench();
            workbench.show(stage, dirs.defaultArchive());
        });
        RunTabView again = open(robot, runs.passed());
        DockTree restored = again.workspace().currentLayout().inspector();
        assertTrue(restored.isSplit(), "the split is restored: " + restored);
        assertEquals(dragged.inspector().allPanels(), restored.allPanels());
        assertEquals(RunLayout.INSPECTOR, again.workspace().dockOf(RunPanels.CONSOLE));
        assertEveryPanelOnce(again);

        // Reset layout: the shipped arrangement, shown and stored
        robot.interact(() -> workbench.resetLayout());
        assertEquals(RunLayout.DEFAULT.sanitized(RunPanels.NAMES.keySet()), again.workspace().currentLayout()
                .withDividers(RunLayout.DEFAULT.drawerDivider(), RunLayout.DEFAULT.inspectorDivider()));
        assertShown(again, RunPanels.CONSOLE);
        assertShown(again, RunPanels.SNAPSHOT);
        assertEquals(RunLayout.DEFAULT.inspector(), new LayoutStore(dirs.configDir()).load(RunPanels.NAMES.keySet())
                .inspector());
        assertEveryPanelOnce(again);
    }

    @Test
    void draggingTheLastPanelOutOfADockLeavesASentenceAndADropPlace(FxRobot robot) throws Exception {
        RunTabView view = open(robot, runs.passed());
        Region inspectorContent = contentOf(view.workspace().groupOf(RunPanels.SNAPSHOT));
        drag(robot, view, RunPanels.CONSOLE, inspectorContent, 0.5, 0.5);
        drag(robot, view, RunPanels.EVENTS, inspectorContent, 0.5, 0.5);
        drag(robot, view, RunPanels.SELECTION, inspectorContent, 0.5, 0.5);
        drag(robot, view, RunPanels.FINDINGS, inspectorContent, 0.5, 0.5);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.workspace().currentLayout().drawer().allPanels()
                .isEmpty());
        Node drawer = robot.lookup("#drawer").query();
        assertTrue(robot.from(drawer).lookup(".empty-dock").tryQuery().isPresent(), "the empty drawer says why");
        assertEveryPanelOnce(view);
        // and it still takes a panel back
        DockContainerLeaf empty = robot.from(drawer).lookup(".container-leaf").queryAs(DockContainerLeaf.class);
        drag(robot, view, RunPanels.EVENTS, contentOf(empty), 0.5, 0.5);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.workspace().dockOf(RunPanels.EVENTS)
                .equals(RunLayout.DRAWER));
        assertShown(view, RunPanels.EVENTS);
        assertEveryPanelOnce(view);
    }

    /** What a drag of {@code panel}'s tab delivers when released at ({@code fx}, {@code fy}) of {@code target}. */
    private static void drag(FxRobot robot, RunTabView view, String panel, Region target, double fx, double fy) {
        robot.interact(() -> {
            Header source = view.workspace().groupOf(panel).getHeader(dockable(view, panel));
            assertNotNull(source, panel + " has a tab");
            Dragboard board = DragboardHelper.createDragboard(new DragClipboard());
            board.setContent(software.coley.bentofx.util.DragUtils.content(dockable(view, panel)));
            Bounds b = target.getLayoutBounds();
            Point2D scene = target.localToScene(b.getMinX() + b.getWidth() * fx, b.getMinY() + b.getHeight() * fy);
            Point2D screen = target.localToScreen(b.getMinX() + b.getWidth() * fx, b.getMinY() + b.getHeight() * fy);
            for (EventType<DragEvent> type : List.of(DragEvent.DRAG_ENTERED_TARGET, DragEvent.DRAG_OVER,
                    DragEvent.DRAG_DROPPED)) {
                target.fireEvent(new DragEvent(source, target, type, board, scene.getX(), scene.getY(), screen.getX(),
                        screen.getY(), TransferMode.MOVE, source, target, null));
            }
            source.fireEvent(new DragEvent(source, source, DragEvent.DRAG_DONE, board, scene.getX(), scene.getY(),
                    screen.getX(), screen.getY(), TransferMode.MOVE, source, target, null));
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The dragboard's store during a drag within the window: what was put on it, offered for a move. */
    private static final class DragClipboard implements TKClipboard {
        private final java.util.Map<javafx.scene.input.DataFormat, Object> values = new java.util.HashMap<>();

        @Override
        public Set<javafx.scene.input.DataFormat> getContentTypes() {
            return values.keySet();
        }

        @Override
        @SafeVarargs
        public final boolean putContent(javafx.util.Pair<javafx.scene.input.DataFormat, Object>... content) {
            values.clear();
            for (var p : content) values.put(p.getKey(), p.getValue());
            return true;
        }

        @Override
        public Object getContent(javafx.scene.input.DataFormat format) {
            return values.get(format);
        }

        @Override
        public boolean hasContent(javafx.scene.input.DataFormat format) {
            return values.containsKey(format);
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return Set.of(TransferMode.MOVE);
        }

        @Override
        public void setDragView(javafx.scene.image.Image image) {
        }

        @Override
        public void setDragViewOffsetX(double x) {
        }

        @Override
        public void setDragViewOffsetY(double y) {
        }

        @Override
        public javafx.scene.image.Image getDragView() {
            return null;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }

    private static software.coley.bentofx.dockable.Dockable dockable(RunTabView view, String panel) {
        return view.workspace().groupOf(panel).getDockables().stream()
                .filter(d -> d.getIdentifier().equals(panel)).findFirst().orElseThrow();
    }

    /** The area of a tab group that shows the selected panel (where a tab is dropped). */
    private static Region contentOf(DockContainerLeaf group) {
        return (Region) group.lookup(".node-wrapper");
    }

    /**
     * The panel is its group's selected tab and its content is in the window. BentoFX puts a moved panel's content
     * into the scene on a later pulse, so this waits for it (read on the FX thread), with a deadline.
     */
    private static void assertShown(RunTabView view, String panel) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                    () -> WaitForAsyncUtils.asyncFx(() -> whyNotShown(view, panel)).get() == null);
        } catch (java.util.concurrent.TimeoutException e) {
            fail(WaitForAsyncUtils.asyncFx(() -> whyNotShown(view, panel)).get());
        }
    }

    private static String whyNotShown(RunTabView view, String panel) {
        DockContainerLeaf group = view.workspace().groupOf(panel);
        if (group == null) return panel + " is in no tab group";
        var selected = group.getSelectedDockable();
        if (selected == null || !panel.equals(selected.getIdentifier())) {
            return panel + " is not its group's selected tab (" + (selected == null ? "none" : selected.getIdentifier())
                    + " is)";
        }
        Node content = selected.getNode();
        if (content.getScene() == null) return panel + "'s content is not in the window";
        if (content.getLayoutBounds().isEmpty()) return panel + "'s content has no size";
        return null;
    }

    /** Every panel is in exactly one tab group, in the layout and in the window. */
    private static void assertEveryPanelOnce(RunTabView view) {
        RunLayout layout = view.workspace().currentLayout();
        List<String> all = new ArrayList<>(layout.drawer().allPanels());
        all.addAll(layout.inspector().allPanels());
        assertEquals(RunPanels.NAMES.size(), all.size(), all.toString());
        assertEquals(RunPanels.NAMES.keySet(), Set.copyOf(all));
        for (String panel : all) {
            DockContainerLeaf group = view.workspace().groupOf(panel);
            assertNotNull(group, panel + " is in a tab group");
            assertNotNull(group.getScene(), panel + "'s tab group is in the window");
        }
    }
}
