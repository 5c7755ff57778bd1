package dev.freezeframe.timeline;

import java.util.function.Consumer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;

/**
 * The whole run in one strip: event density, snapshot ticks, the error, frozen spans, and the viewport rectangle.
 * Dragging the rectangle pans; pressing elsewhere centres the window there and drags from it.
 */
final class OverviewStrip extends Region {
    static final double HEIGHT = 34;

    private final Canvas canvas = new Canvas();
    private final Consumer<TimeWindow> pan;
    private TimeAxis axis;
    private TimeWindow window;
    private double pressX;
    private TimeWindow pressWindow;

    OverviewStrip(Consumer<TimeWindow> pan) {
        this.pan = pan;
        setId("overview");
        getStyleClass().add("overview");
        getChildren().add(canvas);
        setMinHeight(HEIGHT);
        setPrefHeight(HEIGHT);
        canvas.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        canvas.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(Math.max(1, Math.floor(getWidth())));
        canvas.setHeight(HEIGHT);
    }

    double canvasWidth() {
        return canvas.getWidth();
    }

    /** The x range of the viewport rectangle last drawn, for tests. */
    double[] viewportXs() {
        if (axis == null || window == null) return new double[] {0, 0};
        return new double[] {axis.x(window.fromNs()), axis.x(window.toNs())};
    }

    void paint(TimeAxis runAxis, Columns columns, TimelineItems items, TimeWindow shown, TimelinePalette p) {
        this.axis = runAxis;
        this.window = shown;
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = HEIGHT;
        g.setFill(p.subtle);
        g.fillRect(0, 0, w, h);
        int cols = columns.width;
        double[] sum = new double[cols];
        for (double[] c : columns.counts.values()) for (int i = 0; i < cols; i++) sum[i] += c[i];
        double max = 0;
        for (double v : sum) max = Math.max(max, v);
        if (max > 0) {
            int[] hts = new int[cols];
            double room = h - 14;
            for (int i = 0; i < cols; i++) {
                if (sum[i] > 0) hts[i] = (int) Math.max(1, Math.round(room * Math.log1p(sum[i]) / Math.log1p(max)));
            }
            g.setFill(p.accentMuted);
            DataPainter.mergedRuns(hts, (c0, c1, v) -> g.fillRect(c0, h - 2 - v, c1 - c0, v));
        }
        for (TimelineItems.FrozenSpan s : items.frozen()) {
            double x0 = runAxis.x(s.fromNs());
            double x1 = Math.max(x0 + 1, runAxis.x(s.toNs()));
            g.setFill(s.guestClockPaused() ? p.muted : p.warning);
            g.fillRect(x0, 0, x1 - x0, 3);
        }
        for (TimelineItems.SnapshotMark s : items.snapshots()) {
            double x = runAxis.x(s.atNs());
            g.setFill(s.kind() == dev.freezeframe.coordinator.model.SnapshotKind.ERROR ? p.danger : p.fg);
            g.fillRect(Math.floor(x), 4, s.kind() == dev.freezeframe.coordinator.model.SnapshotKind.ERROR ? 2 : 1, 6);
        }
        double vx0 = Math.max(0, runAxis.x(shown.fromNs()));
        double vx1 = Math.min(w, runAxis.x(shown.toNs()));
        double vw = Math.max(3, vx1 - vx0);
        g.setGlobalAlpha(0.18);
        g.setFill(p.accent);
        g.fillRect(vx0, 0, vw, h);
        g.setGlobalAlpha(1);
        g.setStroke(p.accent);
        g.setLineWidth(1.5);
        g.strokeRect(vx0 + 0.75, 0.75, vw - 1.5, h - 1.5);
        g.setFill(p.border);
        g.fillRect(0, h - 1, w, 1);
    }

    private void pressed(MouseEvent e) {
        if (axis == null || window == null || e.getButton() != MouseButton.PRIMARY) return;
        double[] v = viewportXs();
        if (e.getX() < v[0] || e.getX() > v[1]) {
            long at = axis.ns(e.getX());
            pan.accept(window.startingAt(at - window.spanNs() / 2));
            window = window.startingAt(at - window.spanNs() / 2);
        }
        pressX = e.getX();
        pressWindow = window;
        e.consume();
    }

    private void dragged(MouseEvent e) {
        if (axis == null || pressWindow == null || e.getButton() != MouseButton.PRIMARY) return;
        long dt = Math.round((e.getX() - pressX) * axis.nsPerPixel());
        pan.accept(pressWindow.startingAt(pressWindow.fromNs() + dt));
        e.consume();
    }
}
