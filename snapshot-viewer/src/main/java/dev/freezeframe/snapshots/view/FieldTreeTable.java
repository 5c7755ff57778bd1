package dev.freezeframe.snapshots.view;

import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.LeafValue;
import dev.freezeframe.snapshots.model.ReportModel;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import dev.freezeframe.snapshots.model.SnapshotDiff.State;
import dev.freezeframe.snapshots.model.ValueText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;

/**
 * The typed field tree of one snapshot: Name, Value, Δ vs base, Type, Off/size, and a column per CPU when the snapshot
 * has per-CPU values (the Value column then holds Σ). Rows are made when their parent expands (a virtualized
 * {@link TreeTableView} over lazily built {@link FieldNode}s); with "changed only" a parent lists only rows that differ
 * from the base.
 */
final class FieldTreeTable extends TreeTableView<FieldNode> {
    private static final PseudoClass CHANGED = PseudoClass.getPseudoClass("changed");
    private static final PseudoClass ADDED = PseudoClass.getPseudoClass("added");
    private static final PseudoClass REMOVED = PseudoClass.getPseudoClass("removed");
    private static final PseudoClass UNAVAILABLE = PseudoClass.getPseudoClass("unavailable");
    private static final PseudoClass HAS_CHANGES = PseudoClass.getPseudoClass("has-changes");

    private final TreeTableColumn<FieldNode, String> name = column("Name", 180, this::nameOf, "name-cell");
    private final TreeTableColumn<FieldNode, String> value = column("Value", 120, this::valueOf, "value-cell");
    private final TreeTableColumn<FieldNode, String> delta = column("Δ vs base", 100, this::deltaOf, "delta-cell");
    private final TreeTableColumn<FieldNode, String> type = column("Type", 150, FieldNode::type, "type-cell");
    private final TreeTableColumn<FieldNode, String> layout = column("Off/size", 80, FieldNode::layout, "layout-cell");
    private ReportModel model;
    private SnapshotDiff diff;
    private boolean changedOnly;
    private boolean hex;
    private Map<String, String> marks = Map.of();
    private int cpus;

    FieldTreeTable() {
        setId("snapshotTree");
        getStyleClass().addAll("snapshot-tree", "dense");
        setShowRoot(false);
        // columns keep readable widths; a narrow inspector scrolls sideways rather than clipping values and deltas
        setColumnResizePolicy(UNCONSTRAINED_RESIZE_POLICY);
        name.setMinWidth(140);
        value.setMinWidth(90);
        delta.setMinWidth(96);
        type.setMinWidth(80);
        layout.setMinWidth(64);
        getColumns().setAll(List.of(name, value, delta, type, layout));
        setRowFactory(t -> new TreeTableRow<>() {
            @Override
            protected void updateItem(FieldNode n, boolean empty) {
                super.updateItem(n, empty);
                State s = empty || n == null ? State.SAME : stateOf(getTreeItem(), n);
                pseudoClassStateChanged(CHANGED, s == State.CHANGED);
                pseudoClassStateChanged(ADDED, s == State.ADDED);
                pseudoClassStateChanged(REMOVED, s == State.REMOVED);
                pseudoClassStateChanged(UNAVAILABLE, !empty && n != null && n.value() != null
                        && n.value().kind() == LeafValue.Kind.UNAVAILABLE);
                pseudoClassStateChanged(HAS_CHANGES, !empty && n != null && n.value() == null && diff != null
                        && changesOf(getTreeItem(), n) > 0);
            }
        });
    }

    /** Shows {@code m} against {@code d} (null: no base); keeps the expansion of rows that exist in both. */
    void show(ReportModel m, SnapshotDiff d, int cpuCount) {
        List<String> expanded = new ArrayList<>();
        if (getRoot() != null) collectExpanded(getRoot(), expanded);
        this.model = m;
        this.diff = d;
        setCpus(cpuCount);
        rebuild();
        if (expanded.isEmpty()) {
            for (TreeItem<FieldNode> section : getRoot().getChildren()) {
                FieldNode n = section.getValue();
                if (!n.path().equals("vcpus") && !n.path().equals("freeze")) section.setExpanded(true);
            }
        } else {
            reexpand(getRoot(), new java.util.HashSet<>(expanded));
        }
    }

    void setChangedOnly(boolean on) {
        changedOnly = on;
        if (model != null) show(model, diff, cpus);
    }

    void setHex(boolean on) {
        hex = on;
        refresh();
    }

    void setMarks(Map<String, String> marks) {
        this.marks = Map.copyOf(marks);
        refresh();
    }

    SnapshotDiff diff() {
        return diff;
    }

    private void rebuild() {
        TreeItem<FieldNode> root = new TreeItem<>();
        root.getChildren().setAll(itemsFor(model.sections(), "", false));
        setRoot(root);
    }

    private void setCpus(int n) {
        if (n == cpus) return;
        cpus = n;
        List<TreeTableColumn<FieldNode, ?>> cols = new ArrayList<>(List.of(name, value, delta));
        for (int i = 0; i < n; i++) {
            int cpu = i;
            TreeTableColumn<FieldNode, String> c = column("cpu" + i, 70, f -> f.value() != null && f.value().isPerCpu()
                    && cpu < f.value().perCpu().size() ? f.value().perCpu().get(cpu).shown(hex) : "", "cpu-cell");
            c.setId("cpuColumn" + i);
            cols.add(c);
        }
        cols.add(type);
        cols.add(layout);
        getColumns().setAll(cols);
        value.setText(n > 0 ? "Value (Σ)" : "Value");
    }

    private List<TreeItem<FieldNode>> itemsFor(List<FieldNode> nodes, String parentPath, boolean removed) {
        List<TreeItem<FieldNode>> out = new ArrayList<>(nodes.size());
        for (FieldNode n : nodes) {
            if (changedOnly && diff != null && !removed && !differs(n)) continue;
            out.add(new LazyItem(n, removed));
        }
        if (diff != null && !removed && parentPath != null) {
            for (FieldNode r : diff.removedUnder(parentPath)) out.add(new LazyItem(r, true));
        }
        return out;
    }

    /** Whether a row differs from the base; a chunk says so from the diff without making its rows. */
    private boolean differs(FieldNode n) {
        if (n.role() == FieldNode.Role.CHUNK) return diff.changesInChunk(n.path()) > 0;
        return diff.state(n.path()) != State.SAME || diff.changesUnder(n.path()) > 0;
    }

    /** A row whose children are made when it is first expanded (or asked for them). */
    private final class LazyItem extends TreeItem<FieldNode> {
        private final boolean removed;
        private boolean built;

        LazyItem(FieldNode n, boolean removed) {
            super(n);
            this.removed = removed;
        }

        boolean removed() {
            return removed;
        }

        @Override
        public boolean isLeaf() {
            if (built) return super.getChildren().isEmpty();
            FieldNode n = getValue();
            return !n.hasChildren() && (diff == null || removed || diff.removedUnder(n.path()).isEmpty());
        }

        @Override
        public ObservableList<TreeItem<FieldNode>> getChildren() {
            if (!built) {
                built = true;
                FieldNode n = getValue();
                // a chunk's rows belong to the map: removed entries are listed once, under the map
                String parent = n.role() == FieldNode.Role.CHUNK ? null : n.path();
                super.getChildren().setAll(itemsFor(n.children(), parent, removed));
            }
            return super.getChildren();
        }
    }

    private State stateOf(TreeItem<FieldNode> item, FieldNode n) {
        if (item instanceof LazyItem l && l.removed()) return State.REMOVED;
        if (diff == null) return State.SAME;
        return diff.state(n.path());
    }

    private int changesOf(TreeItem<FieldNode> item, FieldNode n) {
        if (n.role() == FieldNode.Role.CHUNK) return diff.changesInChunk(n.path());
        return diff.changesUnder(n.path());
    }

    private String nameOf(FieldNode n) {
        String mark = marks.get(n.path());
        return mark == null ? n.name() : n.name() + "  ⚑" + mark;
    }

    private String valueOf(FieldNode n) {
        return n.value() == null ? n.summary() : n.value().shown(hex);
    }

    /** The Δ column's text is made from the tree item (a removed row is told by its item); see {@link #column}. */
    private String deltaOf(FieldNode n) {
        return "";
    }

    private String deltaText(TreeItem<FieldNode> item, FieldNode n) {
        if (diff == null) return "";
        State s = stateOf(item, n);
        if (s == State.REMOVED) return "removed";
        if (s == State.ADDED) return "added";
        if (n.value() == null) {
            int c = changesOf(item, n);
            return c == 0 ? "" : c + " changed";
        }
        if (s == State.CHANGED) {
            return diff.change(n.path()).flatMap(SnapshotDiff.Change::delta).map(ValueText::delta)
                    .orElseGet(() -> "was " + diff.change(n.path()).map(c -> c.base().value().shown(hex)).orElse("?"));
        }
        return "";
    }

    private TreeTableColumn<FieldNode, String> column(String title, double width, Function<FieldNode, String> text,
                                                      String styleClass) {
        TreeTableColumn<FieldNode, String> c = new TreeTableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        boolean isDelta = styleClass.equals("delta-cell");
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(cell.getValue() == null
                || cell.getValue().getValue() == null ? "" : isDelta ? deltaText(cell.getValue(),
                cell.getValue().getValue()) : text.apply(cell.getValue().getValue())));
        c.setCellFactory(col -> new TreeTableCell<>() {
            {
                getStyleClass().add(styleClass);
            }

            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setText(null);
                    return;
                }
                setText(s);
            }
        });
        return c;
    }

    private static void collectExpanded(TreeItem<FieldNode> item, List<String> out) {
        for (TreeItem<FieldNode> c : item.getChildren()) {
            if (c.isExpanded() && c.getValue() != null) {
                out.add(c.getValue().path());
                collectExpanded(c, out);
            }
        }
    }

    private static void reexpand(TreeItem<FieldNode> item, java.util.Set<String> paths) {
        for (TreeItem<FieldNode> c : item.getChildren()) {
            if (c.getValue() != null && paths.contains(c.getValue().path())) {
                c.setExpanded(true);
                reexpand(c, paths);
            }
        }
    }
}
