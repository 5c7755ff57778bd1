package dev.freezeframe.timeline;

import java.util.function.Predicate;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Paints the overlay layer — area selection, drag rubber band, cursor line, hover line with its ruler label, the ring
 * on the selected glyph — on pointer moves and selection changes, without touching the data layer.
 */
final class OverlayPainter {
    private static final Font SMALL = Font.font(10);

    /** What the overlay shows; {@code dragFromX < 0} when no drag is under way. */
    record State(long cursorNs, long hoverNs, TimelineSelection selection, double dragFromX, double dragToX) {
    }

    private OverlayPainter() {
    }

    static void paint(GraphicsContext g, Frame f, TimelinePalette p, State s) {
        double w = f.axis.widthPx();
        g.clearRect(0, 0, w, f.height);
        if (s.selection() instanceof TimelineSelection.Area a) {
            double x0 = Math.max(0, f.axis.x(a.fromNs()));
            double x1 = Math.min(w, f.axis.x(a.toNs()));
            if (x1 >= x0) {
                g.setGlobalAlpha(0.35);
                g.setFill(p.accentMuted);
                g.fillRect(x0, Frame.RULER_HEIGHT, Math.max(1, x1 - x0), f.height);
                g.setGlobalAlpha(1);
                g.setFill(p.accent);
                g.fillRect(x0, Frame.RULER_HEIGHT, 1, f.height);
                g.fillRect(x1 - 1, Frame.RULER_HEIGHT, 1, f.height);
            }
        }
        if (s.dragFromX() >= 0) {
            double x0 = Math.min(s.dragFromX(), s.dragToX());
            double x1 = Math.max(s.dragFromX(), s.dragToX());
            g.setGlobalAlpha(0.25);
            g.setFill(p.accent);
            g.fillRect(x0, Frame.RULER_HEIGHT, Math.max(1, x1 - x0), f.height);
            g.setGlobalAlpha(1);
        }
        if (s.selection() instanceof TimelineSelection.Snapshot snap) {
            ring(g, f, p, item -> item instanceof TimelineItems.SnapshotMark m && m.id() == snap.snapshotId());
        } else if (s.selection() instanceof TimelineSelection.Event ev) {
            ring(g, f, p, item -> item instanceof TimelineItems.WatchHit h && h.seq() == ev.seq()
                    || item instanceof TimelineItems.Point pt && pt.seq() == ev.seq());
        }
        double cx = f.axis.x(s.cursorNs());
        if (cx >= 0 && cx <= w) {
            g.setStroke(p.accent);
            g.setLineWidth(1);
            g.setLineDashes(4, 3);
            g.strokeLine(Math.floor(cx) + 0.5, 0, Math.floor(cx) + 0.5, f.height);
            g.setLineDashes((double[]) null);
        }
        if (s.hoverNs() >= 0) {
            double hx = f.axis.x(s.hoverNs());
            if (hx >= 0 && hx <= w) {
                g.setFill(p.muted);
                g.fillRect(Math.floor(hx), 0, 1, f.height);
                String label = RulerTicks.format(s.hoverNs() - f.originNs, 3);
                g.setFont(SMALL);
                g.setTextBaseline(VPos.CENTER);
                g.setTextAlign(hx > w - 80 ? TextAlignment.RIGHT : TextAlignment.LEFT);
                double tx = hx > w - 80 ? hx - 4 : hx + 4;
                g.setFill(p.bg);
                g.fillRect(hx > w - 80 ? tx - 64 : tx - 1, 1, 66, Frame.RULER_HEIGHT - DataPainter.HATCH_BAND - 1);
                g.setFill(p.fg);
                g.fillText(label, tx, (Frame.RULER_HEIGHT - DataPainter.HATCH_BAND) / 2 + 1);
            }
        }
    }

    /** A ring around the first drawn cluster holding an item {@code selected} accepts. */
    private static void ring(GraphicsContext g, Frame f, TimelinePalette p, Predicate<Object> selected) {
        for (Frame.GlyphRow gr : f.glyphRows) {
            for (GlyphClusters.Cluster c : gr.clusters()) {
                for (int i = c.first(); i < c.first() + c.count(); i++) {
                    if (!selected.test(gr.items().get(i))) continue;
                    double cy = f.top(gr.row()) + gr.row().height() / 2;
                    g.setStroke(p.accent);
                    g.setLineWidth(2);
                    double r = DataPainter.GLYPH + 4;
                    g.strokeOval(c.x() - r, cy - r, 2 * r, 2 * r);
                    g.setLineWidth(1);
                    return;
                }
            }
        }
    }
}
