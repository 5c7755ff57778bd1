package dev.freezeframe.app.ui.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The body of a run tab: the timeline centre-top, the drawer under it and the inspector on the right, each dock a tab
 * pane of panels. A panel moves to the other dock from its tab's context menu; dividers drag. Every change of the
 * arrangement is reported as a {@link RunLayout}, so the workbench can store it and restore it on the next start.
 */
public final class RunWorkspace extends StackPane {
    private final Map<String, RunPanels.Panel> panels = new LinkedHashMap<>();
    private final Map<String, Tab> tabs = new LinkedHashMap<>();
    private final TabPane drawer = new TabPane();
    private final TabPane inspector = new TabPane();
    private final SplitPane vertical;
    private final SplitPane horizontal;
    private final Consumer<RunLayout> onChange;
    private final java.util.Set<SplitPane.Divider> watchedDividers = java.util.Collections.newSetFromMap(
            new java.util.WeakHashMap<>());
    private RunLayout layout;
    private boolean applying;

    public RunWorkspace(Node timeline, List<RunPanels.Panel> panelList, RunLayout initial, Consumer<RunLayout> onChange) {
        this.onChange = onChange;
        setId("runWorkspace");
        for (RunPanels.Panel p : panelList) {
            panels.put(p.id(), p);
            Tab tab = new Tab(p.title(), p.content());
            tab.setId("panel-" + p.id());
            tab.setClosable(false);
            if (p.icon() != null) tab.setGraphic(new FontIcon(p.icon()));
            MenuItem move = new MenuItem();
            move.setId("move-" + p.id());
            move.setOnAction(e -> apply(layout.moved(p.id()), true));
            tab.setContextMenu(new ContextMenu(move));
            tabs.put(p.id(), tab);
        }
        drawer.setId("drawer");
        inspector.setId("inspector");
        drawer.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        inspector.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        vertical = new SplitPane(timeline);
        vertical.setOrientation(Orientation.VERTICAL);
        horizontal = new SplitPane(vertical);
        SplitPane.setResizableWithParent(drawer, false);
        SplitPane.setResizableWithParent(inspector, false);
        getChildren().add(horizontal);

        drawer.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> selectionChanged());
        inspector.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> selectionChanged());
        apply(initial.sanitized(panels.keySet()), false);
    }

    /** The arrangement now. */
    public RunLayout currentLayout() {
        return layout;
    }

    /** Puts the panels where {@code next} says (the shipped layout for Reset layout). */
    public void applyLayout(RunLayout next) {
        apply(next.sanitized(panels.keySet()), true);
    }

    /** Shows or hides the drawer (Ctrl+J). */
    public void toggleDrawer() {
        apply(layout.withShown(!layout.drawerShown(), layout.inspectorShown()), true);
    }

    /** Shows or hides the inspector. */
    public void toggleInspector() {
        apply(layout.withShown(layout.drawerShown(), !layout.inspectorShown()), true);
    }

    /** Brings panel {@code id} to the front of its dock (showing the dock). */
    public void reveal(String id) {
        Tab tab = tabs.get(id);
        if (tab == null) return;
        boolean inDrawer = layout.drawer().contains(id);
        if (inDrawer && !layout.drawerShown() || !inDrawer && !layout.inspectorShown()) {
            apply(layout.withShown(layout.drawerShown() || inDrawer, layout.inspectorShown() || !inDrawer), true);
        }
        tab.getTabPane().getSelectionModel().select(tab);
    }

    /** Which dock holds a panel now: "drawer", "inspector" (for tests and the palette). */
    public String dockOf(String id) {
        return layout.drawer().contains(id) ? "drawer" : layout.inspector().contains(id) ? "inspector" : "";
    }

    private void apply(RunLayout next, boolean report) {
        if (layout != null) next = next.withDividers(currentDrawerDivider(), currentInspectorDivider());
        applying = true;
        try {
            layout = next;
            drawer.getTabs().setAll(next.drawer().stream().map(tabs::get).toList());
            inspector.getTabs().setAll(next.inspector().stream().map(tabs::get).toList());
            for (Map.Entry<String, Tab> e : tabs.entrySet()) {
                ((MenuItem) e.getValue().getContextMenu().getItems().getFirst()).setText(
                        next.drawer().contains(e.getKey()) ? "Move to the inspector (right)" : "Move to the drawer (bottom)");
            }
            select(drawer, next.drawerSelected());
            select(inspector, next.inspectorSelected());
            boolean showDrawer = next.drawerShown() && !next.drawer().isEmpty();
            boolean showInspector = next.inspectorShown() && !next.inspector().isEmpty();
            if (showDrawer && !vertical.getItems().contains(drawer)) vertical.getItems().add(drawer);
            if (!showDrawer) vertical.getItems().remove(drawer);
            if (showInspector && !horizontal.getItems().contains(inspector)) horizontal.getItems().add(inspector);
            if (!showInspector) horizontal.getItems().remove(inspector);
            if (showDrawer) vertical.setDividerPositions(next.drawerDivider());
            if (showInspector) horizontal.setDividerPositions(next.inspectorDivider());
        } finally {
            applying = false;
        }
        listenToDividers();
        if (report) onChange.accept(layout);
    }

    private void select(TabPane pane, String id) {
        Tab tab = tabs.get(id);
        if (tab != null && pane.getTabs().contains(tab)) pane.getSelectionModel().select(tab);
    }

    private void selectionChanged() {
        if (applying || layout == null) return;
        layout = layout.withSelection(selectedId(drawer), selectedId(inspector));
        onChange.accept(layout);
    }

    private String selectedId(TabPane pane) {
        Tab t = pane.getSelectionModel().getSelectedItem();
        return t == null ? "" : t.getId().substring("panel-".length());
    }

    private double currentDrawerDivider() {
        return vertical.getDividers().isEmpty() ? layout.drawerDivider() : vertical.getDividerPositions()[0];
    }

    private double currentInspectorDivider() {
        return horizontal.getDividers().isEmpty() ? layout.inspectorDivider() : horizontal.getDividerPositions()[0];
    }

    /** Listens to each divider once (a divider lives as long as its split keeps the same items). */
    private void listenToDividers() {
        for (SplitPane split : List.of(vertical, horizontal)) {
            for (SplitPane.Divider d : split.getDividers()) {
                if (watchedDividers.add(d)) d.positionProperty().addListener((o, a, b) -> dividersMoved());
            }
        }
    }

    private void dividersMoved() {
        if (applying || layout == null) return;
        layout = layout.withDividers(currentDrawerDivider(), currentInspectorDivider());
        onChange.accept(layout);
    }
}
