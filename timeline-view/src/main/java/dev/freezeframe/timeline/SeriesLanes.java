package dev.freezeframe.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.scene.layout.VBox;

/**
 * The plotted fields of a run tab, stacked above the timeline and sharing its time window and cursor. Empty (and taking
 * no room) until a field is plotted.
 */
public final class SeriesLanes extends VBox {
    private final RunContext context;
    private final TimelinePalette palette = new TimelinePalette();

    public SeriesLanes(RunContext context) {
        this.context = Objects.requireNonNull(context, "context");
        setId("seriesLanes");
        getStyleClass().addAll("timeline", "tl-series-lanes"); // "timeline": the palette swatches are styled under it
        setFillWidth(true);
        List<javafx.scene.Node> swatches = new ArrayList<>();
        palette.install(swatches, this::themeChanged);
        getChildren().addAll(swatches);
        sceneProperty().addListener((o, a, b) -> themeChanged());
    }

    @Override
    public String getUserAgentStylesheet() {
        return Objects.requireNonNull(TimelineView.class.getResource("timeline.css")).toExternalForm();
    }

    /** Shows {@code points} as lane {@code id} (replacing a lane of that id), newest on top. */
    public SeriesLane show(String id, String title, String detail, List<SeriesPoint> points) {
        remove(id);
        SeriesLane lane = new SeriesLane(id, title, detail, points, context, palette, () -> remove(id));
        getChildren().add(palette.swatchCount(), lane);
        lane.draw();
        return lane;
    }

    public void remove(String id) {
        getChildren().removeIf(n -> n instanceof SeriesLane l && l.laneId().equals(id));
    }

    public List<SeriesLane> lanes() {
        return getChildren().stream().filter(SeriesLane.class::isInstance).map(SeriesLane.class::cast).toList();
    }

    private void themeChanged() {
        javafx.application.Platform.runLater(() -> {
            applyCss();
            palette.refresh();
            lanes().forEach(SeriesLane::draw);
        });
    }
}
