package dev.freezeframe.timeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one data-layer paint uses, and the geometry it produced (glyph clusters for hit testing and hover, frozen
 * spans' x ranges). Built and read on the FX thread only.
 */
final class Frame {
    static final double RULER_HEIGHT = 24;

    final TimeAxis axis;
    final double height;
    final double scrollY;
    final LaneLayout layout;
    final TimelineItems items;
    final Columns columns;
    final long endNs;
    final int level;
    /** The run time the ruler and hover labels count from (0: the run start). */
    final long originNs;

    /** Filled by the painter. */
    final List<GlyphRow> glyphRows = new ArrayList<>();
    final List<double[]> frozenXs = new ArrayList<>();

    /** The clusters drawn on one glyph row and the items they index. */
    record GlyphRow(LaneRow row, List<GlyphClusters.Cluster> clusters, List<?> items) {
    }

    Frame(TimeAxis axis, double height, double scrollY, LaneLayout layout, TimelineItems items, Columns columns,
          long endNs, int level, long originNs) {
        this.axis = axis;
        this.height = height;
        this.scrollY = scrollY;
        this.layout = layout;
        this.items = items;
        this.columns = columns;
        this.endNs = endNs;
        this.level = level;
        this.originNs = originNs;
    }

    /** Screen y of a row's top. */
    double top(LaneRow r) {
        return RULER_HEIGHT + r.y() - scrollY;
    }

    /** The row under screen y, or null (ruler, below the last row). */
    LaneRow rowAt(double y) {
        if (y < RULER_HEIGHT) return null;
        return layout.at(y - RULER_HEIGHT + scrollY);
    }

    GlyphRow glyphRow(LaneRow row) {
        for (GlyphRow g : glyphRows) if (g.row().equals(row)) return g;
        return null;
    }
}
