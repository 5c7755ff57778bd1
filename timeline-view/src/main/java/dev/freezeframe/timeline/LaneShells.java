package dev.freezeframe.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** The lane names left of the lanes ({@code #laneShells}): group headers toggle their group, lanes show their name. */
final class LaneShells extends VBox {
    LaneShells() {
        setId("laneShells");
        getStyleClass().add("lane-shells");
    }

    void show(LaneLayout layout, Set<String> collapsed, Consumer<String> toggle) {
        List<Node> nodes = new ArrayList<>();
        for (LaneRow r : layout.rows()) {
            Label l;
            if (r.isGroup()) {
                boolean open = !collapsed.contains(r.group());
                l = new Label((open ? "▾ " : "▸ ") + r.label());
                l.getStyleClass().add("lane-group");
                l.setOnMouseClicked(e -> toggle.accept(r.group()));
            } else {
                l = new Label(r.label());
                l.getStyleClass().add("lane-shell");
            }
            l.setMinHeight(r.height());
            l.setPrefHeight(r.height());
            l.setMaxHeight(r.height());
            l.setMaxWidth(Double.MAX_VALUE);
            l.setPrefWidth(TimelineView.SHELL_WIDTH);
            nodes.add(l);
        }
        getChildren().setAll(nodes);
    }
}
