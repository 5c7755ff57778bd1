package dev.freezeframe.snapshots.view;

import dev.freezeframe.snapshots.ArchiveAccess;
import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;

/**
 * One snapshot's typed field tree diffed against a base snapshot that may belong to another run — the snapshot
 * viewer's tree and diff (changed, added and removed rows, numeric deltas, "changed only", hex) without its list of
 * one run's snapshots. The Compare tab shows a snapshot of run B against one of run A with it.
 */
public final class SnapshotDiffPane extends BorderPane {
    private final SnapshotReports reports;
    private final FieldTreeTable tree = new FieldTreeTable();
    private final CheckBox changedOnly = new CheckBox("Changed only");
    private final Label empty = new Label();
    private final ReadOnlyStringWrapper baseText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final AtomicLong generation = new AtomicLong();
    private static final int FEW_ROWS = 50;

    /** @param archive where both snapshots are read (off the FX thread) */
    public SnapshotDiffPane(ArchiveAccess archive) {
        this.reports = new SnapshotReports(Objects.requireNonNull(archive, "archive"));
        setId("snapshotDiffPane");
        getStylesheets().add(Objects.requireNonNull(SnapshotViewer.class.getResource("snapshot-viewer.css"))
                .toExternalForm());
        Label baseChip = new Label();
        baseChip.setId("crossRunBaseChip");
        baseChip.getStyleClass().add("snapshot-base-chip");
        baseChip.textProperty().bind(baseText);
        baseChip.setMinWidth(Region.USE_PREF_SIZE);
        changedOnly.setId("crossRunChangedOnly");
        changedOnly.setMinWidth(Region.USE_PREF_SIZE);
        changedOnly.selectedProperty().addListener((o, was, on) -> tree.setChangedOnly(on));
        CheckBox hex = new CheckBox("Hex");
        hex.setMinWidth(Region.USE_PREF_SIZE);
        hex.selectedProperty().addListener((o, was, on) -> tree.setHex(on));
        Label status = new Label();
        status.setId("crossRunStatus");
        status.getStyleClass().add("text-muted");
        status.textProperty().bind(message);
        Label baseLabel = new Label("diff:");
        baseLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox base = new HBox(6, baseLabel, baseChip);
        base.setAlignment(Pos.CENTER_LEFT);
        FlowPane header = new FlowPane(10, 4, base, changedOnly, hex, status);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(4, 6, 4, 6));
        tree.setId("crossRunTree");
        empty.getStyleClass().add("text-muted");
        empty.setPadding(new Insets(12));
        empty.setWrapText(true);
        setTop(header);
        clear("Pick a snapshot of each side.");
    }

    /**
     * Shows snapshot {@code shownId} diffed against {@code baseId} (deltas read shown − base); the labels name them in
     * the header, e.g. {@code #12 periodic_004}.
     */
    public void show(long baseId, String baseLabel, long shownId, String shownLabel) {
        long mine = generation.incrementAndGet();
        baseText.set(shownLabel + " against " + baseLabel);
        message.set("comparing " + shownLabel + " with " + baseLabel + "…");
        loading.set(true);
        CompletableFuture<SnapshotReports.Loaded> shown = reports.load(shownId);
        CompletableFuture<SnapshotReports.Loaded> base = reports.load(baseId);
        shown.thenCombineAsync(base, (n, b) -> new Diffed(n, SnapshotDiff.between(b.model(), n.model())))
                .whenComplete((d, failure) -> Platform.runLater(() -> {
                    if (mine != generation.get()) return;
                    if (failure != null) {
                        clear("The snapshots cannot be read: " + EntryMarks.rootMessage(failure));
                        baseText.set(shownLabel + " against " + baseLabel);
                        return;
                    }
                    tree.show(d.shown().model(), d.diff(), d.shown().cpus());
                    openChangedMaps(d.diff());
                    setCenter(tree);
                    int n = d.diff().changeCount();
                    message.set((n == 1 ? "1 change" : n + " changes") + " from " + baseLabel + " to " + shownLabel);
                    loading.set(false); // last: listeners see the new rows
                }));
    }

    /**
     * Two runs differ mostly inside a few maps: those maps open, and so do their changed entries while a map has few
     * rows (a large map stays folded; its Δ column still counts the changes).
     */
    private void openChangedMaps(SnapshotDiff diff) {
        if (tree.getRoot() == null) return;
        for (TreeItem<FieldNode> section : tree.getRoot().getChildren()) {
            if (!section.isExpanded()) continue;
            for (TreeItem<FieldNode> map : section.getChildren()) {
                FieldNode n = map.getValue();
                if (n == null || n.role() != FieldNode.Role.MAP || diff.changesUnder(n.path()) == 0) continue;
                map.setExpanded(true);
                if (map.getChildren().size() > FEW_ROWS) continue;
                for (TreeItem<FieldNode> child : map.getChildren()) {
                    FieldNode c = child.getValue();
                    if (c != null && diff.changesUnder(c.path()) > 0) child.setExpanded(true);
                }
            }
        }
    }

    /** Shows no tree, only {@code reason} (nothing picked, a side without snapshots). */
    public void clear(String reason) {
        generation.incrementAndGet();
        empty.setText(reason);
        setCenter(empty);
        baseText.set("—");
        message.set("");
        loading.set(false);
    }

    private record Diffed(SnapshotReports.Loaded shown, SnapshotDiff diff) {
    }

    public void setChangedOnly(boolean on) {
        changedOnly.setSelected(on);
    }

    /** The diff shown now, if any. */
    public Optional<SnapshotDiff> currentDiff() {
        return getCenter() == tree ? Optional.ofNullable(tree.diff()) : Optional.empty();
    }

    public TreeTableView<FieldNode> tree() {
        return tree;
    }

    /** {@code #2 periodic_000 against #1 periodic_000}, or "—" with nothing shown. */
    public ReadOnlyStringProperty baseTextProperty() {
        return baseText.getReadOnlyProperty();
    }

    /** The change count or why nothing is shown. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Why nothing is shown (when the tree is not). */
    public String emptyText() {
        return getCenter() == empty ? empty.getText() : "";
    }
}
