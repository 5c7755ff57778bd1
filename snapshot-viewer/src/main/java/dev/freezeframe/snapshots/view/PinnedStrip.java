package dev.freezeframe.snapshots.view;

import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.FlatReport;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import dev.freezeframe.snapshots.model.ValueText;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;

/** Pinned fields: each stays on screen with its value in the shown snapshot and its delta against the base. */
final class PinnedStrip extends FlowPane {
    private final Set<String> pinned = new LinkedHashSet<>();
    private Supplier<FlatReport> shown;
    private Supplier<FlatReport> base;

    PinnedStrip() {
        setId("pinnedStrip");
        getStyleClass().add("pinned-strip");
        setVisible(false);
        setManaged(false);
    }

    private Runnable onChange = () -> { };

    /** Told when the engineer pins or unpins a field (not when saved pins are restored). */
    void setOnChange(Runnable onChange) {
        this.onChange = onChange;
    }

    void pin(String path) {
        if (pinned.add(path)) onChange.run();
        refresh();
    }

    /** A pin saved earlier on this run. */
    void restore(String path) {
        pinned.add(path);
        refresh();
    }

    void unpin(String path) {
        if (pinned.remove(path)) onChange.run();
        refresh();
    }

    List<String> pinned() {
        return List.copyOf(pinned);
    }

    /** The shown snapshot's and the base's index, asked for only while something is pinned (making one is costly). */
    void show(Supplier<FlatReport> now, Supplier<FlatReport> against) {
        shown = now;
        base = against;
        refresh();
    }

    /** The chip texts now (for tests): {@code path = value (delta)}. */
    List<String> texts() {
        List<String> out = new ArrayList<>();
        for (var n : getChildren()) {
            if (n instanceof HBox chip && chip.getChildren().getFirst() instanceof Label l) out.add(l.getText());
        }
        return out;
    }

    private void refresh() {
        getChildren().clear();
        setVisible(!pinned.isEmpty());
        setManaged(!pinned.isEmpty());
        FlatReport shownRows = pinned.isEmpty() || shown == null ? null : shown.get();
        FlatReport baseRows = pinned.isEmpty() || base == null ? null : base.get();
        for (String path : pinned) {
            FieldNode now = shownRows == null ? null : shownRows.get(path);
            FieldNode was = baseRows == null ? null : baseRows.get(path);
            String value = now == null || now.value() == null ? "absent here" : now.value().display();
            String delta = "";
            if (now != null && was != null && now.value() != null && was.value() != null) {
                delta = SnapshotDiff.delta(was.value(), now.value()).map(ValueText::delta).orElse(
                        now.value().exact().equals(was.value().exact()) ? "" : "changed");
            }
            Label text = new Label(path + " = " + value + (delta.isEmpty() ? "" : "  (" + delta + ")"));
            text.setTooltip(new Tooltip(path));
            Button remove = new Button("×");
            remove.getStyleClass().add("flat");
            remove.setTooltip(new Tooltip("Unpin"));
            remove.setOnAction(e -> unpin(path));
            HBox chip = new HBox(4, text, remove);
            chip.getStyleClass().add("pinned-chip");
            chip.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            getChildren().add(chip);
        }
    }
}
