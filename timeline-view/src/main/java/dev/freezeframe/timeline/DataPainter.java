package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.SnapshotKind;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * Paints the data layer: ruler (1-2-5 ticks, frozen spans hatched), step bands across all lanes, glyph lanes with 6-px
 * clustering, density lanes and series envelopes from per-pixel columns, the error rule. The whole canvas is repainted
 * each time, so the canvas' command queue never accumulates. Dense columns are drawn in passes with adjacent columns of
 * the same height merged into one fillRect.
 */
final class DataPainter {
    static final double GLYPH = 5;
    /** Height of the ruler's band that frozen spans hatch. */
    static final double HATCH_BAND = 9;
    private static final Font SMALL = Font.font(10);

    private DataPainter() {
    }

    static void paint(GraphicsContext g, Frame f, TimelinePalette p) {
        double w = f.axis.widthPx();
        g.setFill(p.bg);
        g.fillRect(0, 0, w, f.height);
        g.save();
        g.beginPath();
        g.rect(0, Frame.RULER_HEIGHT, w, Math.max(0, f.height - Frame.RULER_HEIGHT));
        g.clip();
        stepBands(g, f, p);
        for (LaneRow r : f.layout.rows()) {
            double top = f.top(r);
            if (top > f.height || top + r.height() < Frame.RULER_HEIGHT) {
                if (r.kind() == LaneRow.Kind.SNAPSHOTS || r.kind() == LaneRow.Kind.WATCH
                        || r.kind() == LaneRow.Kind.LIFECYCLE || r.kind() == LaneRow.Kind.BRANCHES) {
                    glyphRowOffscreen(f, r);
                }
                continue;
            }
            switch (r.kind()) {
                case GROUP -> {
                    g.setFill(p.subtle);
                    g.fillRect(0, top, w, r.height());
                }
                case STEPS -> stepLabels(g, f, p, r, top);
                case LIFECYCLE -> lifecycle(g, f, p, r, top);
                case BRANCHES -> branches(g, f, p, r, top);
                case SNAPSHOTS -> snapshots(g, f, p, r, top);
                case WATCH -> watch(g, f, p, r, top);
                case DENSITY -> density(g, f, p, r, top);
                case SERIES -> series(g, f, p, r, top);
            }
            g.setFill(p.border);
            g.fillRect(0, Math.floor(top + r.height()) - 1, w, 1);
        }
        branchRules(g, f, p);
        errorRules(g, f, p);
        g.restore();
        ruler(g, f, p);
    }

    // ---- bands and rules ----

    private static void stepBands(GraphicsContext g, Frame f, TimelinePalette p) {
        g.setFill(p.subtle);
        for (TimelineItems.Step s : f.items.steps()) {
            if (s.index() % 2 == 0) continue;
            double x0 = Math.max(0, f.axis.x(s.startNs()));
            double x1 = Math.min(f.axis.widthPx(), f.axis.x(s.endNs()));
            if (x1 > x0) g.fillRect(x0, Frame.RULER_HEIGHT, x1 - x0, f.height - Frame.RULER_HEIGHT);
        }
    }

    private static void stepLabels(GraphicsContext g, Frame f, TimelinePalette p, LaneRow r, double top) {
        g.setFont(SMALL);
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        for (TimelineItems.Step s : f.items.steps()) {
            double x0 = f.axis.x(s.startNs());
            double x1 = f.axis.x(s.endNs());
            if (x1 < 0 || x0 > f.axis.widthPx()) continue;
            g.setFill(p.muted);
            g.fillRect(Math.max(0, x0), top + 3, 1, r.height() - 6);
            double lx = Math.max(0, x0) + 4;
            double room = Math.min(x1, f.axis.widthPx()) - lx - 2;
            if (room < 14) continue;
            String label = "step " + s.index() + (s.name().isEmpty() ? "" : " " + s.name());
            g.setFill(p.fg);
            g.fillText(label, lx, top + r.height() / 2, room);
        }
    }

    private static void errorRules(GraphicsContext g, Frame f, TimelinePalette p) {
        g.setFill(p.danger);
        for (TimelineItems.SnapshotMark s : f.items.snapshots()) {
            if (s.kind() != SnapshotKind.ERROR) continue;
            double x = f.axis.x(s.atNs());
            if (x >= 0 && x <= f.axis.widthPx()) g.fillRect(Math.floor(x), Frame.RULER_HEIGHT, 2, f.height);
        }
    }

    /** A dashed accent rule across every lane at each instant a fork left this run. */
    private static void branchRules(GraphicsContext g, Frame f, TimelinePalette p) {
        g.setStroke(p.accent);
        g.setLineWidth(1);
        g.setLineDashes(2, 4);
        for (TimelineItems.Branch b : f.items.branches()) {
            if (b.origin()) continue;
            double x = Math.floor(f.axis.x(b.atNs())) + 0.5;
            if (x >= 0 && x <= f.axis.widthPx()) g.strokeLine(x, Frame.RULER_HEIGHT, x, f.height);
        }
        g.setLineDashes((double[]) null);
    }

    // ---- ruler ----

    private static void ruler(GraphicsContext g, Frame f, TimelinePalette p) {
        double w = f.axis.widthPx();
        double h = Frame.RULER_HEIGHT;
        g.setFill(p.subtle);
        g.fillRect(0, 0, w, h);
        for (TimelineItems.FrozenSpan s : f.items.frozen()) {
            double x0 = Math.max(0, f.axis.x(s.fromNs()));
            double x1 = Math.min(w, f.axis.x(s.open() ? Math.max(s.toNs(), f.endNs) : s.toNs()));
            if (x1 < 0 || x0 > w) continue;
            x1 = Math.max(x1, x0 + 1);
            f.frozenXs.add(new double[] {x0, x1});
            hatch(g, x0, x1, h, s.guestClockPaused() ? p.muted : p.warning);
        }
        g.setFill(p.border);
        g.fillRect(0, h - 1, w, 1);
        g.setFont(SMALL);
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        for (RulerTicks.Tick t : RulerTicks.of(f.axis, f.originNs)) {
            g.setFill(p.muted);
            g.fillRect(Math.floor(t.x()), 2, 1, h - 3);
            g.setFill(p.fg);
            g.fillText(t.label(), t.x() + 3, (h - HATCH_BAND) / 2 + 1);
        }
    }

    /** Hatches the ruler's lower band (below the labels) over {@code [x0, x1]}. */
    private static void hatch(GraphicsContext g, double x0, double x1, double h, Color c) {
        double top = h - HATCH_BAND;
        g.save();
        g.beginPath();
        g.rect(x0, top, x1 - x0, HATCH_BAND - 1);
        g.clip();
        g.setStroke(c);
        g.setLineWidth(1);
        for (double x = x0 - HATCH_BAND; x < x1; x += 4) g.strokeLine(x, h, x + HATCH_BAND, top);
        g.restore();
        g.setFill(c);
        g.fillRect(x0, top, x1 - x0, 1);
    }

    // ---- glyph lanes ----

    private static void glyphRowOffscreen(Frame f, LaneRow r) {
        f.glyphRows.add(new Frame.GlyphRow(r, List.of(), List.of()));
    }

    private static double[] xs(Frame f, List<Long> times) {
        double[] xs = new double[times.size()];
        for (int i = 0; i < xs.length; i++) xs[i] = f.axis.x(times.get(i));
        return xs;
    }

    private static void lifecycle(GraphicsContext g, Frame f, TimelinePalette p, LaneRow r, double top) {
        List<TimelineItems.Point> pts = f.items.lifecycle();
        List<Long> times = new ArrayList<>(pts.size());
        for (TimelineItems.Point pt : pts) times.add(pt.atNs());
        List<GlyphClusters.Cluster> cl = GlyphClusters.of(xs(f, times), -GLYPH, f.axis.widthPx() + GLYPH);
        f.glyphRows.add(new Frame.GlyphRow(r, cl, pts));
        double cy = top + r.height() / 2;
        for (GlyphClusters.Cluster c : cl) {
            g.setFill(p.fg);
            g.fillOval(c.x() - 3, cy - 3, 6, 6);
            count(g, p, c, cy);
        }
    }

    /** ⑂ where a fork left (a branch going up and right), and at a fork's start where it came from (joining in). */
    private static void branches(GraphicsContext g, Frame f, TimelinePalette p, LaneRow r, double top) {
        List<TimelineItems.Branch> all = f.items.branches();
        List<Long> times = new ArrayList<>(all.size());
        for (TimelineItems.Branch b : all) times.add(b.atNs());
        List<GlyphClusters.Cluster> cl = GlyphClusters.of(xs(f, times), -GLYPH, f.axis.widthPx() + GLYPH);
        f.glyphRows.add(new Frame.GlyphRow(r, cl, all));
        double cy = top + r.height() / 2;
        for (GlyphClusters.Cluster c : cl) {
            branchGlyph(g, p, c.x(), cy, all.get(c.first()).origin());
            count(g, p, c, cy);
        }
    }

    static void branchGlyph(GraphicsContext g, TimelinePalette p, double x, double cy, boolean origin) {
        double s = GLYPH;
        g.setStroke(p.accent);
        g.setFill(p.accent);
        g.setLineWidth(2);
        if (origin) {
            // the parent's line comes down into this run's, drawn right of x: an origin sits at the run's start
            g.strokeLine(x + 1, cy - s, x + s, cy + s / 2);
            g.strokeLine(x + s, cy + s / 2, x + 2 * s, cy + s / 2);
            g.fillOval(x + 1 - 2.5, cy - s - 2.5, 5, 5);
        } else {
            // this run goes on to the right; the fork bends away upwards
            g.strokeLine(x - s, cy + s / 2, x + s, cy + s / 2);
            g.strokeLine(x - s / 2, cy + s / 2, x + s, cy - s);
            g.fillOval(x - s / 2 - 2.5, cy + s / 2 - 2.5, 5, 5);
            g.fillOval(x + s - 2.5, cy - s - 2.5, 5, 5);
        }
        g.setLineWidth(1);
    }

    private static void snapshots(GraphicsContext g, Frame f, TimelinePalette p, LaneRow r, double top) {
        List<TimelineItems.SnapshotMark> snaps = f.items.snapshots();
        List<Long> times = new ArrayList<>(snaps.size());
        for (TimelineItems.SnapshotMark s : snaps) times.add(s.atNs());
        List<GlyphClusters.Cluster> cl = GlyphClusters.of(xs(f, times), -GLYPH, f.axis.widthPx() + GLYPH);
        f.glyphRows.add(new Frame.GlyphRow(r, cl, snaps));
        double cy = top + r.height() / 2;
        for (GlyphClusters.Cluster c : cl) {
            TimelineItems.SnapshotMark shown = strongest(snaps, c);
            boolean allPlaceholders = true;
            for (int i = c.first(); i < c.first() + c.count(); i++) allPlaceholders &= snaps.get(i).placeholder();
            glyph(g, p, shown.kind(), shown.slot(), c.x(), cy, allPlaceholders);
            count(g, p, c, cy);
        }
    }

    /** The kind shown for a cluster: error, then watch, then requested, then periodic. */
    static TimelineItems.SnapshotMark strongest(List<TimelineItems.SnapshotMark> snaps, GlyphClusters.Cluster c) {
        TimelineItems.SnapshotMark best = snaps.get(c.first());
        for (int i = c.first(); i < c.first() + c.count(); i++) {
            if (rank(snaps.get(i).kind()) > rank(best.kind())) best = snaps.get(i);
        }
        return best;
    }

    private static int rank(SnapshotKind k) {
        return switch (k) {
            case PERIODIC -> 0;
            case REQUESTED -> 1;
            case WATCH -> 2;
            case ERROR -> 3;
        };
    }

    /** ◆ periodic (outline), ■ requested, ▲ watch with its slot, ✖ error; a placeholder is dashed and unfilled. */
    static void glyph(GraphicsContext g, TimelinePalette p, SnapshotKind kind, int slot, double x, double cy,
                      boolean placeholder) {
        double s = GLYPH;
        g.setLineWidth(1.5);
        if (placeholder) g.setLineDashes(2, 2);
        switch (kind) {
            case PERIODIC -> {
                g.setStroke(p.fg);
                g.strokePolygon(new double[] {x, x + s - 1, x, x - s + 1}, new double[] {cy - s, cy, cy + s, cy}, 4);
            }
            case REQUESTED -> {
                g.setStroke(p.fg);
                g.setFill(p.fg);
                if (placeholder) g.strokeRect(x - s + 1, cy - s + 1, 2 * s - 2, 2 * s - 2);
                else g.fillRect(x - s + 1, cy - s + 1, 2 * s - 2, 2 * s - 2);
            }
            case WATCH -> {
                Color c = p.slot(slot);
                double[] xs = {x - s, x + s, x};
                double[] ys = {cy + s, cy + s, cy - s};
                g.setStroke(c);
                g.setFill(c);
                if (placeholder) g.strokePolygon(xs, ys, 3);
                else g.fillPolygon(xs, ys, 3);
                if (slot > 0) {
                    g.setFill(p.fg);
                    g.setFont(SMALL);
                    g.setTextAlign(TextAlignment.LEFT);
                    g.setTextBaseline(VPos.CENTER);
                    g.fillText(String.valueOf(slot), x + s + 1, cy - 3);
                }
            }
            case ERROR -> {
                g.setStroke(p.danger);
                g.setLineWidth(2.5);
                g.strokeLine(x - s, cy - s, x + s, cy + s);
                g.strokeLine(x - s, cy + s, x + s, cy - s);
            }
        }
        g.setLineDashes((double[]) null);
        g.setLineWidth(1);
    }

    private static void count(GraphicsContext g, TimelinePalette p, GlyphClusters.Cluster c, double cy) {
        if (c.count() < 2) return;
        g.setFill(p.fg);
        g.setFont(SMALL);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("×" + c.count(), Math.max(c.x(), c.lastX()) + GLYPH + 2, cy + 4);
    }

    private static void watch(GraphicsContext g, Frame f, TimelinePalette p, LaneRow r, double top) {
        List<TimelineItems.WatchHit> hits = new ArrayList<>();
        for (TimelineItems.WatchHit h : f.items.watchHits()) if (h.slot() == r.slot()) hits.add(h);
        List<Long> times = new ArrayList<>(hits.size());
        for (TimelineItems.WatchHit h : hits) times.add(h.atNs());
        List<GlyphClusters.Cluster> cl = GlyphClusters.of(xs(f, times), -GLYPH, f.axis.widthPx() + GLYPH);
        f.glyphRows.add(new Frame.GlyphRow(r, cl, hits));
        double cy = top + r.height() / 2;
        for (GlyphClusters.Cluster c : cl) {
            glyph(g, p, SnapshotKind.WATCH, r.slot(), c.x(), cy, false);
            count(g, p, c, cy);
        }
    }

    // ---- dense lanes ----

    private static void density(GraphicsContext g, Frame f, TimelinePalette p, LaneRow r, double top) {
        double[] col = f.columns.counts.get(r.lane());
        if (col == null) return;
        double max = 0;
        for (double v : col) max = Math.max(max, v);
        if (max <= 0) return;
        double room = r.height() - 5;
        double logMax = Math.log1p(max);
        int w = col.length;
        int[] hts = new int[w];
        for (int c = 0; c < w; c++) {
            if (col[c] <= 0) continue;
            hts[c] = (int) Math.max(1, Math.round(room * Math.log1p(col[c]) / logMax));
        }
        double base = top + r.height() - 2;
        g.setFill(r.lane() == Lane.HARNESS ? p.muted : p.accent);
        mergedRuns(hts, (c0, c1, h) -> g.fillRect(c0, base - h, c1 - c0, h));
        // columns aggregating several events: a dot row says "zoom in to see each one" (Trace Compass)
        if (f.level > 0) {
            int[] dots = new int[w];
            for (int c = 0; c < w; c++) dots[c] = col[c] > 1.5 ? 1 : 0;
            g.setFill(p.muted);
            mergedRuns(dots, (c0, c1, h) -> {
                for (int x = c0; x < c1; x += 3) g.fillRect(x, top + 1, 2, 2);
            });
        }
    }

    interface RunSink {
        void accept(int fromColumn, int toColumn, int value);
    }

    /** Calls {@code sink} once per run of adjacent columns holding the same non-zero value. */
    static void mergedRuns(int[] values, RunSink sink) {
        int c = 0;
        while (c < values.length) {
            int v = values[c];
            if (v == 0) {
                c++;
                continue;
            }
            int e = c + 1;
            while (e < values.length && values[e] == v) e++;
            sink.accept(c, e, v);
            c = e;
        }
    }

    private static void series(GraphicsContext g, Frame f, TimelinePalette p, LaneRow r, double top) {
        Columns.Series s = f.columns.series.get(r.seriesKind());
        if (s == null) return;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int c = 0; c < s.has.length; c++) {
            if (!s.has[c]) continue;
            lo = Math.min(lo, s.min[c]);
            hi = Math.max(hi, s.max[c]);
        }
        if (lo > hi) return;
        double pad = 4;
        double h = r.height() - 2 * pad;
        double range = hi - lo;
        double y0 = top + pad;
        g.setFill(p.accentMuted);
        for (int c = 0; c < s.has.length; c++) {
            if (!s.has[c]) continue;
            double ya = y(s.max[c], lo, range, y0, h);
            double yb = y(s.min[c], lo, range, y0, h);
            g.fillRect(c, ya, 1, Math.max(1, yb - ya));
        }
        g.setStroke(p.accent);
        g.setLineWidth(1);
        g.beginPath();
        boolean open = false;
        for (int c = 0; c < s.has.length; c++) {
            if (!s.has[c]) continue;
            double yy = y(s.last[c], lo, range, y0, h);
            if (!open) {
                g.moveTo(c, yy);
                open = true;
            } else {
                g.lineTo(c, yy);
            }
            g.lineTo(c + 1, yy);
        }
        g.stroke();
    }

    private static double y(double v, double lo, double range, double y0, double h) {
        if (range <= 0) return y0 + h / 2;
        return y0 + h - (v - lo) / range * h;
    }
}
