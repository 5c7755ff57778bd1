package dev.freezeframe.timeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups items drawn closer than {@link #MIN_DISTANCE_PX} into one glyph with a count (ChartFX's default minimum point
 * distance). Greedy from the left: a cluster takes every following item less than the distance from its first item.
 */
final class GlyphClusters {
    static final double MIN_DISTANCE_PX = 6;

    /** Items {@code [first, first + count)} of the input, drawn at {@code x} (the first item's x). */
    record Cluster(int first, int count, double x, double lastX) {
    }

    private GlyphClusters() {
    }

    /** Clusters {@code xs} (ascending) that fall within {@code [minX, maxX]}. */
    static List<Cluster> of(double[] xs, double minX, double maxX) {
        List<Cluster> out = new ArrayList<>();
        int i = 0;
        while (i < xs.length && xs[i] < minX) i++;
        while (i < xs.length && xs[i] <= maxX) {
            int first = i;
            double x0 = xs[i];
            while (i + 1 < xs.length && xs[i + 1] - x0 < MIN_DISTANCE_PX && xs[i + 1] <= maxX) i++;
            out.add(new Cluster(first, i - first + 1, x0, xs[i]));
            i++;
        }
        return out;
    }

    /** The cluster drawn under {@code x} (within {@code radius} px of it), or null. */
    static Cluster at(List<Cluster> clusters, double x, double radius) {
        Cluster best = null;
        double bestD = Double.MAX_VALUE;
        for (Cluster c : clusters) {
            double d = x < c.x() ? c.x() - x : (x > c.lastX() ? x - c.lastX() : 0);
            if (d <= radius && d < bestD) {
                best = c;
                bestD = d;
            }
        }
        return best;
    }
}
