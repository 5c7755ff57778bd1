package dev.freezeframe.timeline;

import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Font;

/**
 * A plotted field as a lane above the timeline: its title in a column as wide as the timeline's lane shells, then the
 * samples drawn against the run tab's shared time window (panning or zooming the timeline moves the plot), joined by
 * step-after lines, with gaps where a snapshot lacks the field. Clicking near a point selects its snapshot.
 */
public final class SeriesLane extends HBox {
    public static final double HEIGHT = 72;
    private static final double PICK_PX = 8;

    private final String id;
    private final RunContext context;
    private final List<SeriesPoint> points;
    private final Canvas canvas = new Canvas();
    private final Pane plot = new Pane(canvas);
    private final TimelinePalette palette;

    SeriesLane(String id, String title, String detail, List<SeriesPoint> points, RunContext context,
               TimelinePalette palette, Runnable onClose) {
        this.id = id;
        this.context = context;
        this.points = List.copyOf(points);
        this.palette = palette;
        getStyleClass().add("tl-series-lane");
        setId("seriesLane-" + id.replaceAll("[^A-Za-z0-9_.-]", "_"));
        Label name = new Label(title);
        name.getStyleClass().add("tl-series-title");
        name.setTooltip(new Tooltip(title + "\n" + detail));
        Label sub = new Label(detail);
        sub.getStyleClass().add("tl-series-detail");
        Button close = new Button("×");
        close.getStyleClass().add("tl-series-close");
        close.setTooltip(new Tooltip("Remove this plot"));
        close.setOnAction(e -> onClose.run());
        HBox top = new HBox(4, name, close);
        top.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(name, Priority.ALWAYS);
        name.setMaxWidth(Double.MAX_VALUE);
        VBox shell = new VBox(2, top, sub);
        shell.setPadding(new Insets(4, 6, 4, 8));
        shell.setMinWidth(TimelineView.SHELL_WIDTH);
        shell.setPrefWidth(TimelineView.SHELL_WIDTH);
        shell.setMaxWidth(TimelineView.SHELL_WIDTH);
        shell.getStyleClass().add("tl-series-shell");
        HBox.setHgrow(plot, Priority.ALWAYS);
        plot.setMinWidth(1);
        canvas.widthProperty().bind(plot.widthProperty());
        canvas.heightProperty().bind(plot.heightProperty());
        canvas.widthProperty().addListener((o, a, b) -> draw());
        canvas.heightProperty().addListener((o, a, b) -> draw());
        setMinHeight(HEIGHT);
        setPrefHeight(HEIGHT);
        setMaxHeight(HEIGHT);
        getChildren().addAll(shell, plot);
        context.windowProperty().addListener((o, a, b) -> draw());
        context.cursorProperty().addListener((o, a, b) -> draw());
        plot.setOnMouseClicked(e -> pick(e.getX()));
    }

    public String laneId() {
        return id;
    }

    public List<SeriesPoint> points() {
        return points;
    }

    /** Selects the snapshot of the point nearest to {@code x}, if one is within a few pixels. */
    private void pick(double x) {
        TimeAxis axis = TimeAxis.of(context.window(), Math.max(1, canvas.getWidth()));
        SeriesPoint best = null;
        double bestDx = PICK_PX;
        for (SeriesPoint p : points) {
            double dx = Math.abs(axis.x(p.atNs()) - x);
            if (dx <= bestDx) {
                bestDx = dx;
                best = p;
            }
        }
        if (best != null) context.select(new TimelineSelection.Snapshot(best.snapshotId(), best.tag(), best.atNs()));
    }

    void draw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(palette.bg);
        g.fillRect(0, 0, w, h);
        g.setStroke(palette.border);
        g.setLineWidth(1);
        g.strokeLine(0, h - 0.5, w, h - 0.5);
        if (w < 2 || h < 8) return;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (SeriesPoint p : points) {
            if (p.value().isEmpty()) continue;
            min = Math.min(min, p.value().getAsDouble());
            max = Math.max(max, p.value().getAsDouble());
        }
        TimeAxis axis = TimeAxis.of(context.window(), w);
        g.setFont(Font.font(10));
        if (min > max) {
            g.setFill(palette.muted);
            g.fillText("no values in this run", 6, h / 2);
            return;
        }
        double top = 14;
        double bottom = h - 8;
        double span = max - min;
        double lo = span == 0 ? min - 1 : min;
        double hi = span == 0 ? max + 1 : max;
        java.util.function.DoubleUnaryOperator y = v -> bottom - (v - lo) / (hi - lo) * (bottom - top);
        g.setStroke(palette.accent);
        g.setLineWidth(1.5);
        SeriesPoint prev = null;
        for (SeriesPoint p : points) {
            if (prev != null && prev.value().isPresent() && p.value().isPresent()) {
                double x0 = axis.x(prev.atNs());
                double x1 = axis.x(p.atNs());
                double y0 = y.applyAsDouble(prev.value().getAsDouble());
                double y1 = y.applyAsDouble(p.value().getAsDouble());
                g.strokeLine(x0, y0, x1, y0);
                g.strokeLine(x1, y0, x1, y1);
            }
            prev = p;
        }
        for (SeriesPoint p : points) {
            double x = axis.x(p.atNs());
            if (x < -4 || x > w + 4) continue;
            if (p.value().isEmpty()) {
                g.setStroke(palette.muted);
                g.setLineWidth(1);
                g.strokeLine(x, bottom - 3, x, bottom + 3); // a tick where the field was missing: the gap is a fact
                continue;
            }
            double py = y.applyAsDouble(p.value().getAsDouble());
            if (p.hollow()) {
                g.setFill(palette.bg);
                g.fillOval(x - 3.5, py - 3.5, 7, 7);
                g.setStroke(palette.accent);
                g.setLineWidth(1.5);
                g.strokeOval(x - 3.5, py - 3.5, 7, 7);
            } else {
                g.setFill(palette.accent);
                g.fillOval(x - 3, py - 3, 6, 6);
            }
        }
        long cursor = context.cursor();
        if (context.window().contains(cursor)) {
            g.setStroke(palette.fg);
            g.setLineWidth(1);
            double cx = Math.round(axis.x(cursor)) + 0.5;
            g.strokeLine(cx, 0, cx, h);
        }
        g.setFill(palette.muted);
        g.fillText(format(max), 4, 11);
        g.fillText(format(min), 4, h - 2);
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v)
                .replace(',', '\u2009');
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
