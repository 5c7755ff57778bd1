package dev.freezeframe.timeline;

import java.util.Locale;

/** The hover tooltip's text: lane, time, and the item summary or the bucket count under the pointer. */
final class HoverText {
    private static final int MAX_LISTED = 6;

    private HoverText() {
    }

    static String at(Frame f, double x, double y) {
        long t = f.axis.ns(x);
        String time = RulerTicks.format(t - f.originNs, 3);
        if (y < Frame.RULER_HEIGHT) {
            for (TimelineItems.FrozenSpan s : f.items.frozen()) {
                long end = s.open() ? Math.max(s.toNs(), f.endNs) : s.toNs();
                if (t >= s.fromNs() && t <= end) return frozen(s, end);
            }
            return time;
        }
        LaneRow row = f.rowAt(y);
        if (row == null || row.isGroup()) return time;
        String head = row.label() + " · " + time;
        Frame.GlyphRow gr = f.glyphRow(row);
        if (gr != null) {
            GlyphClusters.Cluster c = GlyphClusters.at(gr.clusters(), x, DataPainter.GLYPH + 2);
            if (c == null) return head;
            StringBuilder b = new StringBuilder(head);
            if (c.count() > 1) b.append(" · ").append(c.count()).append(" items");
            for (int i = c.first(); i < c.first() + Math.min(c.count(), MAX_LISTED); i++) {
                b.append('\n').append(summary(gr.items().get(i), f.originNs));
            }
            if (c.count() > MAX_LISTED) b.append("\n… ").append(c.count() - MAX_LISTED).append(" more");
            return b.toString();
        }
        int col = ColumnAggregator.column(f.axis, t, f.columns.width);
        return switch (row.kind()) {
            case STEPS -> {
                for (TimelineItems.Step s : f.items.steps()) {
                    if (t >= s.startNs() && t < s.endNs()) yield head + "\nstep " + s.index() + " " + s.name();
                }
                yield head;
            }
            case DENSITY -> {
                double[] counts = f.columns.counts.get(row.lane());
                double n = counts == null ? 0 : counts[col];
                String approx = f.columns.exact ? "" : "≈ ";
                yield head + " · " + approx + Math.round(n) + (Math.round(n) == 1 ? " event" : " events")
                        + " in " + RulerTicks.duration(Math.max(1, Math.round(f.axis.nsPerPixel())));
            }
            case SERIES -> {
                Columns.Series s = f.columns.series.get(row.seriesKind());
                if (s == null || !s.has[col]) yield head + " · no samples";
                yield head + String.format(Locale.ROOT, "\nmin %s · max %s · last %s", num(s.min[col]),
                        num(s.max[col]), num(s.last[col]));
            }
            default -> head;
        };
    }

    static String frozen(TimelineItems.FrozenSpan s, long end) {
        return "guest frozen " + RulerTicks.duration(end - s.fromNs()) + ", guest clock "
                + (s.guestClockPaused() ? "paused" : "ran") + (s.open() ? " (still frozen)" : "");
    }

    /** One item in words, its time read from {@code originNs} (the ruler's origin). */
    static String summary(Object item, long originNs) {
        return switch (item) {
            case TimelineItems.SnapshotMark s -> s.tag() + " (" + s.kind().wireName()
                    + (s.placeholder() ? ", failed" : "") + ") " + RulerTicks.format(s.atNs() - originNs, 3);
            case TimelineItems.Branch b -> RulerTicks.format(b.atNs() - originNs, 3) + " " + b.label()
                    + (b.origin() ? " (click to open it)" : " (click to open the fork)");
            case TimelineItems.WatchHit h -> RulerTicks.format(h.atNs() - originNs, 3) + " " + h.text();
            case TimelineItems.Point p -> RulerTicks.format(p.atNs() - originNs, 3) + " " + p.kind()
                    + (p.text().isEmpty() ? "" : ": " + p.text());
            default -> String.valueOf(item);
        };
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
