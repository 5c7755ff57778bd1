package dev.freezeframe.app.ui.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.geometry.Orientation;
import javafx.geometry.Side;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.javafx.FontIcon;
import software.coley.bentofx.Bento;
import software.coley.bentofx.dockable.Dockable;
import software.coley.bentofx.dockable.DockableClickBehavior;
import software.coley.bentofx.layout.DockContainer;
import software.coley.bentofx.layout.container.DockContainerBranch;
import software.coley.bentofx.layout.container.DockContainerLeaf;
import software.coley.bentofx.layout.container.DockContainerRootBranch;

/**
 * The body of a run tab: the timeline centre-top, the drawer under it and the inspector on the right. The drawer and
 * the inspector are BentoFX docks: a panel's tab can be dragged to another position, into the other dock, or onto the
 * edge of a tab group to split it; its context menu (and the palette) moves it to the other dock without a mouse.
 * Dividers drag. Every change of the arrangement is reported as a {@link RunLayout}, so the workbench can store it and
 * restore it on the next start. The timeline itself does not move.
 */
public final class RunWorkspace extends StackPane {
    /** BentoFX lets a tab be dropped only among tabs of the same drag group: every panel shares this one. */
    private static final int PANELS = 1;
    private static final String STYLESHEET = RunWorkspace.class.getResource("docking.css").toExternalForm();

    private final Bento bento = new Bento() {
        @Override
        protected DockableClickBehavior newClickBehavior() {
            return new SelectOnClick();
        }
    };
    private final Map<String, Dockable> dockables = new LinkedHashMap<>();
    private final StackPane drawer = new StackPane();
    private final StackPane inspector = new StackPane();
    private final SplitPane vertical;
    private final SplitPane horizontal;
    private final Consumer<RunLayout> onChange;
    private final Set<SplitPane.Divider> watchedDividers = Collections.newSetFromMap(new WeakHashMap<>());
    private DockContainerRootBranch drawerRoot;
    private DockContainerRootBranch inspectorRoot;
    private RunLayout layout;
    private boolean applying;
    private boolean capturePending;

    public RunWorkspace(Node timeline, List<RunPanels.Panel> panelList, RunLayout initial, Consumer<RunLayout> onChange) {
        this.onChange = onChange;
        setId("runWorkspace");
        getStylesheets().add(STYLESHEET);
        bento.placeholderBuilding().setContainerPlaceholderFactory(leaf -> emptyDockSentence());
        for (RunPanels.Panel p : panelList) {
            Dockable d = bento.dockBuilding().dockable(p.id());
            d.setTitle(p.title());
            d.setNode(p.content());
            d.setClosable(false);
            d.setDragGroupMask(PANELS);
            // a tab dropped outside every dock would open a window of its own; that is not offered yet (docs/workbench.md)
            d.setCanBeDroppedToNewWindow(false);
            if (p.icon() != null) d.setIconFactory(x -> new FontIcon(p.icon()));
            d.setContextMenuFactory(x -> moveMenu(p.id()));
            dockables.put(p.id(), d);
        }
        drawer.setId("drawer");
        inspector.setId("inspector");
        vertical = new SplitPane(timeline);
        vertical.setOrientation(Orientation.VERTICAL);
        horizontal = new SplitPane(vertical);
        SplitPane.setResizableWithParent(drawer, false);
        SplitPane.setResizableWithParent(inspector, false);
        getChildren().add(horizontal);
        // any drag, drop, split or tab selection inside the docks is read back once the gesture has settled
        bento.events().addEventListener(event -> captureSoon());
        apply(initial.sanitized(dockables.keySet()), false);
    }

    /** The arrangement now. */
    public RunLayout currentLayout() {
        return layout;
    }

    /** Puts the panels where {@code next} says (the shipped layout for Reset layout). */
    public void applyLayout(RunLayout next) {
        apply(next.sanitized(dockables.keySet()), true);
    }

    /** Moves panel {@code id} into {@code dock} ({@link RunLayout#DRAWER} or {@link RunLayout#INSPECTOR}). */
    public void moveTo(String id, String dock) {
        apply(layout.movedTo(id, dock), true);
    }

    /** Shows or hides the drawer (Ctrl+J). */
    public void toggleDrawer() {
        apply(layout.withShown(!layout.drawerShown(), layout.inspectorShown()), true);
    }

    /** Shows or hides the inspector. */
    public void toggleInspector() {
        apply(layout.withShown(layout.drawerShown(), !layout.inspectorShown()), true);
    }

    /** Brings panel {@code id} to the front of its tab group (showing its dock), leaving the keyboard focus where it is. */
    public void reveal(String id) {
        Dockable d = dockables.get(id);
        if (d == null) return;
        boolean inDrawer = layout.dockOf(id).equals(RunLayout.DRAWER);
        if (inDrawer && !layout.drawerShown() || !inDrawer && !layout.inspectorShown()) {
            apply(layout.withShown(layout.drawerShown() || inDrawer, layout.inspectorShown() || !inDrawer), true);
        }
        DockContainerLeaf leaf = d.getContainer();
        if (leaf == null || leaf.getSelectedDockable() == d) return;
        Scene scene = getScene();
        Node focused = scene == null ? null : scene.getFocusOwner();
        leaf.selectDockable(d);
        if (focused != null) focused.requestFocus();
    }

    /** Which dock holds a panel now: "drawer", "inspector" (for tests and the palette). */
    public String dockOf(String id) {
        return layout.dockOf(id);
    }

    /** The tab group showing panel {@code id} (for tests that drag it). */
    public DockContainerLeaf groupOf(String id) {
        Dockable d = dockables.get(id);
        return d == null ? null : d.getContainer();
    }

    private void apply(RunLayout next, boolean report) {
        if (layout != null) next = next.withDividers(currentDrawerDivider(), currentInspectorDivider());
        applying = true;
        try {
            layout = next;
            for (Dockable d : dockables.values()) {
                if (d.getContainer() != null) d.getContainer().removeDockable(d);
            }
            drawerRoot = newRoot("drawerRoot", next.drawer());
            inspectorRoot = newRoot("inspectorRoot", next.inspector());
            drawer.getChildren().setAll(drawerRoot);
            inspector.getChildren().setAll(inspectorRoot);
            if (next.drawerShown() && !vertical.getItems().contains(drawer)) vertical.getItems().add(drawer);
            if (!next.drawerShown()) vertical.getItems().remove(drawer);
            if (next.inspectorShown() && !horizontal.getItems().contains(inspector)) horizontal.getItems().add(inspector);
            if (!next.inspectorShown()) horizontal.getItems().remove(inspector);
            if (next.drawerShown()) vertical.setDividerPositions(next.drawerDivider());
            if (next.inspectorShown()) horizontal.setDividerPositions(next.inspectorDivider());
        } finally {
            applying = false;
        }
        listenToDividers();
        if (report) onChange.accept(layout);
    }

    private DockContainerRootBranch newRoot(String id, DockTree tree) {
        DockContainerRootBranch root = bento.dockBuilding().root(id);
        root.setPruneWhenEmpty(false);
        root.setOrientation(tree.vertical() ? Orientation.VERTICAL : Orientation.HORIZONTAL);
        root.addContainer(build(tree));
        return root;
    }

    private DockContainer build(DockTree tree) {
        if (tree.isSplit()) {
            DockContainerBranch branch = bento.dockBuilding().branch();
            branch.setOrientation(tree.vertical() ? Orientation.VERTICAL : Orientation.HORIZONTAL);
            for (DockTree part : tree.split()) branch.addContainer(build(part));
            branch.setDividerPositions(tree.dividers().stream().mapToDouble(Double::doubleValue).toArray());
            return branch;
        }
        DockContainerLeaf leaf = bento.dockBuilding().leaf();
        configure(leaf);
        for (String id : tree.panels()) leaf.addDockable(dockables.get(id));
        Dockable selected = dockables.get(tree.selected());
        if (selected != null) leaf.selectDockable(selected);
        return leaf;
    }

    /** Our tab groups: tabs on top (like every other tab strip of the window) and kept when emptied (see tidy). */
    private static void configure(DockContainerLeaf leaf) {
        leaf.setSide(Side.TOP);
        leaf.setPruneWhenEmpty(false);
    }

    private void captureSoon() {
        if (applying || capturePending) return;
        capturePending = true;
        Platform.runLater(() -> {
            capturePending = false;
            if (applying) return;
            tidy(drawerRoot);
            tidy(inspectorRoot);
            RunLayout next = layout.withDocks(read(drawerRoot), read(inspectorRoot));
            listenToDividers();
            if (!next.equals(layout)) {
                layout = next;
                onChange.accept(layout);
            }
        });
    }

    /**
     * After a drag: a tab group left empty disappears when its dock has others (BentoFX then folds the split), and a
     * dock always keeps one group, so there is always somewhere to drop a panel back.
     */
    private void tidy(DockContainerRootBranch root) {
        List<DockContainerLeaf> leaves = new ArrayList<>();
        collectLeaves(root, leaves);
        for (DockContainerLeaf leaf : leaves) configure(leaf);
        int remaining = leaves.size();
        for (DockContainerLeaf leaf : leaves) {
            if (leaf.getDockables().isEmpty() && remaining > 1) {
                leaf.removeFromParent();
                remaining--;
            }
        }
        if (root.getChildContainers().isEmpty()) {
            DockContainerLeaf fresh = bento.dockBuilding().leaf();
            configure(fresh);
            root.addContainer(fresh);
        }
    }

    private static void collectLeaves(DockContainer c, List<DockContainerLeaf> out) {
        if (c instanceof DockContainerLeaf leaf) out.add(leaf);
        else if (c instanceof DockContainerBranch branch) {
            for (DockContainer child : branch.getChildContainers()) collectLeaves(child, out);
        }
    }

    /** The dock's arrangement as BentoFX holds it now. */
    private static DockTree read(DockContainerRootBranch root) {
        List<DockContainer> children = root.getChildContainers();
        if (children.size() == 1) return read(children.getFirst());
        return read((DockContainer) root);
    }

    private static DockTree read(DockContainer c) {
        if (c instanceof DockContainerLeaf leaf) {
            Dockable sel = leaf.getSelectedDockable();
            return DockTree.tabs(leaf.getDockables().stream().map(Dockable::getIdentifier).toList(),
                    sel == null ? "" : sel.getIdentifier());
        }
        DockContainerBranch branch = (DockContainerBranch) c;
        List<Double> dividers = new ArrayList<>();
        for (double d : branch.getDividerPositions()) dividers.add(d);
        return DockTree.split(branch.getOrientation() == Orientation.VERTICAL, dividers,
                branch.getChildContainers().stream().map(RunWorkspace::read).toList());
    }

    private ContextMenu moveMenu(String id) {
        boolean inDrawer = layout.dockOf(id).equals(RunLayout.DRAWER);
        MenuItem move = new MenuItem(inDrawer ? "Move to the inspector (right)" : "Move to the drawer (bottom)");
        move.setId("move-" + id);
        move.setOnAction(e -> moveTo(id, inDrawer ? RunLayout.INSPECTOR : RunLayout.DRAWER));
        return new ContextMenu(move);
    }

    private static Node emptyDockSentence() {
        Label l = new Label("No panels here. Drag a panel's tab into this space, or use \"Move … to the drawer / "
                + "inspector\" in the command palette (Ctrl+Shift+P).");
        l.setWrapText(true);
        l.getStyleClass().add("empty-dock");
        return l;
    }

    private double currentDrawerDivider() {
        return vertical.getDividers().isEmpty() ? layout.drawerDivider() : vertical.getDividerPositions()[0];
    }

    private double currentInspectorDivider() {
        return horizontal.getDividers().isEmpty() ? layout.inspectorDivider() : horizontal.getDividerPositions()[0];
    }

    /** Listens to each divider once (outer splits and the docks' own splits; a divider lives as long as its split's items). */
    private void listenToDividers() {
        List<SplitPane> splits = new ArrayList<>(List.of(vertical, horizontal));
        collectBranches(drawerRoot, splits);
        collectBranches(inspectorRoot, splits);
        for (SplitPane split : splits) {
            for (SplitPane.Divider d : split.getDividers()) {
                if (watchedDividers.add(d)) d.positionProperty().addListener((o, a, b) -> dividersMoved());
            }
        }
    }

    private static void collectBranches(DockContainer c, List<SplitPane> out) {
        if (c instanceof DockContainerBranch branch) {
            out.add(branch);
            for (DockContainer child : branch.getChildContainers()) collectBranches(child, out);
        }
    }

    private void dividersMoved() {
        if (applying || layout == null) return;
        layout = layout.withDividers(currentDrawerDivider(), currentInspectorDivider())
                .withDocks(read(drawerRoot), read(inspectorRoot));
        onChange.accept(layout);
    }

    /** A click on a tab selects it; a right click offers the move menu. (BentoFX's default also folds a dock away on a
     * second click, which the stored layout does not keep: Ctrl+J / Ctrl+I hide a dock instead.) */
    private static final class SelectOnClick implements DockableClickBehavior {
        @Override
        public void onMouseClick(DockContainerLeaf container, Dockable dockable,
                                 software.coley.bentofx.control.Header header, javafx.scene.input.MouseEvent e) {
            if (e.getButton() == MouseButton.PRIMARY) {
                container.selectDockable(dockable);
            } else if (e.getButton() == MouseButton.SECONDARY && dockable.getContextMenuFactory() != null) {
                ContextMenu menu = dockable.getContextMenuFactory().build(dockable);
                if (menu != null) {
                    menu.setAutoHide(true);
                    menu.show(header, e.getScreenX(), e.getScreenY());
                }
            }
        }
    }
}
