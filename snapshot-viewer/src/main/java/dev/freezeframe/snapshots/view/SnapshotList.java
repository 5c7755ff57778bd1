package dev.freezeframe.snapshots.view;

import dev.freezeframe.persistence.SnapshotInfo;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;

/** The run's snapshots: kind glyph, tag, time, step, status, and ⚑ where a marked entry is present. */
final class SnapshotList extends TableView<SnapshotInfo> {
    SnapshotList(ObservableList<SnapshotInfo> rows, boolean live, Supplier<Set<Long>> flagged,
                 Function<Long, String> relativeTime) {
        super(rows);
        setId("snapshotList");
        getStyleClass().addAll("snapshot-list", "dense");
        setColumnResizePolicy(CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label(live ? "No snapshots yet — periodic captures start once the workload runs; Capture now"
                + " (Ctrl+F6) takes one at any time." : "This run has no snapshots.");
        empty.setWrapText(true);
        empty.setPadding(new Insets(12));
        setPlaceholder(empty);
        TableColumn<SnapshotInfo, String> glyph = column("", 34, SnapshotGlyphs::of);
        TableColumn<SnapshotInfo, String> flag = column("⚑", 30, s -> flagged.get().contains(s.id()) ? "⚑" : "");
        TableColumn<SnapshotInfo, String> tag = column("tag", 170, SnapshotInfo::tag);
        tag.setMinWidth(140); // "watch:total_forks" whole; the status column gives way first
        TableColumn<SnapshotInfo, String> at = column("t", 90, s -> relativeTime.apply(s.atNanos()));
        at.setStyle("-fx-alignment: CENTER-RIGHT;");
        at.setMinWidth(96);
        TableColumn<SnapshotInfo, String> step = column("step", 58, s -> s.stepIndex().map(String::valueOf).orElse("—"));
        step.setMinWidth(48); // the header and two digits whole
        TableColumn<SnapshotInfo, String> status = column("status", 120, s -> s.placeholder()
                ? "unavailable: " + s.placeholderReason().orElse("") : s.kind().wireName());
        // status last: in a narrow inspector it is the one that gives way (a placeholder's reason is also its tooltip)
        getColumns().setAll(List.of(glyph, flag, tag, at, step, status));
        setRowFactory(t -> new TableRow<>() {
            @Override
            protected void updateItem(SnapshotInfo s, boolean empty) {
                super.updateItem(s, empty);
                setTooltip(empty || s == null || !s.placeholder() ? null
                        : new Tooltip(s.placeholderReason().orElse("")));
                pseudoClassStateChanged(PseudoClass.getPseudoClass("placeholder"), !empty && s != null
                        && s.placeholder());
            }
        });
    }

    private static TableColumn<SnapshotInfo, String> column(String title, double width,
                                                             Function<SnapshotInfo, String> value) {
        TableColumn<SnapshotInfo, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, 30));
        c.setSortable(false);
        return c;
    }
}
