package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dense lanes reduced to one value per pixel column for one frame: event counts per lane, and per series the min, max
 * and last of the buckets in the column. A column fed by a coarser level's bucket gets an even share of its count.
 */
final class Columns {
    final int width;
    final Map<Lane, double[]> counts = new EnumMap<>(Lane.class);
    final Map<String, Series> series = new LinkedHashMap<>();
    /** True when every needed tile was at the frame's own level. */
    boolean exact = true;
    /** False when the series were left out (collapsed Stats, the overview). */
    boolean withSeries = true;
    /** True when some needed part of the run had no tile at any level (nothing to draw there). */
    boolean uncovered;

    /** Per-column envelope and last value of one series; {@code has[c]} is false for an empty column. */
    static final class Series {
        final double[] min;
        final double[] max;
        final double[] last;
        final boolean[] has;

        Series(int width) {
            min = new double[width];
            max = new double[width];
            last = new double[width];
            has = new boolean[width];
        }
    }

    Columns(int width) {
        this.width = width;
    }

    double[] counts(Lane lane) {
        return counts.computeIfAbsent(lane, l -> new double[width]);
    }

    Series series(String kind) {
        return series.computeIfAbsent(kind, k -> new Series(width));
    }

    /** The sum of one lane's column counts. */
    double total(Lane lane) {
        double[] c = counts.get(lane);
        if (c == null) return 0;
        double s = 0;
        for (double v : c) s += v;
        return s;
    }
}
