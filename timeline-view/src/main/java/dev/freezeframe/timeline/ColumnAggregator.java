package dev.freezeframe.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reduces tiles to pixel columns. A bucket belongs to exactly one column, the one holding its start (the first column
 * also takes a bucket that starts before the window but reaches into it), so a bucket on a tile edge is never counted
 * twice. Where a tile of the frame's level is missing, the finest cached coarser tile is stretched over the columns
 * it covers (never a blank frame while the fine one loads).
 */
final class ColumnAggregator {
    /** How many levels coarser the fallback looks. */
    static final int FALLBACK_LEVELS = 24;

    private ColumnAggregator() {
    }

    /** The tiles covering {@code axis} at {@code level}, limited to {@code [0, endNs)}, plus {@code margin} each side. */
    static List<TileKey> tilesFor(TimeAxis axis, int level, long endNs, int margin) {
        List<TileKey> keys = new ArrayList<>();
        long last = Math.max(0, Math.min(axis.toNs(), Math.max(endNs, 1)) - 1);
        long first = Math.max(0, axis.fromNs());
        if (first > last) return keys;
        long i0 = TileKey.holding(level, first).index();
        long i1 = TileKey.holding(level, last).index();
        long lastTile = TileKey.holding(level, Math.max(0, endNs - 1)).index();
        for (long i = i0; i <= i1; i++) keys.add(new TileKey(level, i));
        for (int m = 1; m <= margin; m++) {
            if (i1 + m <= lastTile) keys.add(new TileKey(level, i1 + m));
            if (i0 - m >= 0) keys.add(new TileKey(level, i0 - m));
        }
        return keys;
    }

    /**
     * The columns of {@code axis} from the tiles at {@code level}; {@code lookup} returns a cached tile or null,
     * {@code fallback} lists the levels to fall back on in order of preference (coarser ones first, finest first; a
     * finer level serves when all its tiles over the span are cached).
     */
    static Columns aggregate(TimeAxis axis, int level, long endNs, Function<TileKey, Tile> lookup, int[] fallback) {
        return aggregate(axis, level, endNs, lookup, fallback, true);
    }

    /** As above; without {@code withSeries} only the lane counts are reduced (collapsed Stats, the overview). */
    static Columns aggregate(TimeAxis axis, int level, long endNs, Function<TileKey, Tile> lookup, int[] fallback,
                             boolean withSeries) {
        int width = Math.max(1, (int) Math.ceil(axis.widthPx()));
        Columns out = new Columns(width);
        out.withSeries = withSeries;
        for (TileKey k : tilesFor(axis, level, endNs, 0)) {
            Tile t = lookup.apply(k);
            if (t != null) {
                add(out, axis, t.data(), level, k.fromNs(), k.toNs());
                continue;
            }
            out.exact = false;
            boolean found = false;
            for (int c : fallback) {
                List<Tile> cover = cover(lookup, c, k.fromNs(), k.toNs());
                if (cover == null) continue;
                for (Tile ct : cover) add(out, axis, ct.data(), c, k.fromNs(), k.toNs());
                found = true;
                break;
            }
            if (!found) out.uncovered = true;
        }
        return out;
    }

    /** The cached tiles of {@code level} covering {@code [from, to)}, or null when one is missing. */
    private static List<Tile> cover(Function<TileKey, Tile> lookup, int level, long from, long to) {
        long i0 = TileKey.holding(level, from).index();
        long i1 = TileKey.holding(level, to - 1).index();
        if (i1 - i0 > 64) return null;
        List<Tile> tiles = new ArrayList<>();
        for (long i = i0; i <= i1; i++) {
            Tile t = lookup.apply(new TileKey(level, i));
            if (t == null) return null;
            tiles.add(t);
        }
        return tiles;
    }

    /** Adds the buckets of {@code data} (at {@code level}) that overlap both the axis and {@code [spanFrom, spanTo)}. */
    private static void add(Columns out, TimeAxis axis, BucketAggregate data, int level, long spanFrom, long spanTo) {
        long bucketNs = 1L << level;
        for (BucketAggregate.LaneCounts lc : data.lanes()) {
            double[] col = out.counts(lc.lane());
            long[] starts = lc.bucketStartNs();
            long[] n = lc.counts();
            long lo = Math.max(spanFrom, axis.fromNs()) - bucketNs;
            long hi = Math.min(spanTo, axis.toNs());
            for (int i = firstAfter(starts, lo); i < starts.length && starts[i] < hi; i++) {
                long s = starts[i];
                long e = s + bucketNs;
                // a coarse bucket is clipped to the missing tile's span; its count is shared by the time it covers
                long cs = Math.max(s, spanFrom);
                long ce = Math.min(e, spanTo);
                if (ce <= cs || e <= axis.fromNs() || s >= axis.toNs()) continue;
                double count = n[i];
                if (cs != s || ce != e) count = count * (ce - cs) / (double) bucketNs;
                spread(col, axis, cs, ce, count);
            }
        }
        if (!out.withSeries) return;
        for (BucketAggregate.SeriesBuckets sb : data.series()) {
            Columns.Series ser = out.series(sb.kind());
            long[] starts = sb.bucketStartNs();
            long lo = Math.max(spanFrom, axis.fromNs()) - bucketNs;
            long hi = Math.min(spanTo, axis.toNs());
            for (int i = firstAfter(starts, lo); i < starts.length && starts[i] < hi; i++) {
                long s = Math.max(starts[i], spanFrom);
                long e = Math.min(starts[i] + bucketNs, spanTo);
                if (e <= s || e <= axis.fromNs() || s >= axis.toNs()) continue;
                int c0 = column(axis, s, out.width);
                int c1 = e - s > axis.nsPerPixel() ? column(axis, e - 1, out.width) : c0;
                for (int c = c0; c <= c1; c++) {
                    if (!ser.has[c]) {
                        ser.has[c] = true;
                        ser.min[c] = sb.min()[i];
                        ser.max[c] = sb.max()[i];
                    } else {
                        ser.min[c] = Math.min(ser.min[c], sb.min()[i]);
                        ser.max[c] = Math.max(ser.max[c], sb.max()[i]);
                    }
                    ser.last[c] = sb.last()[i];
                }
            }
        }
    }

    /** The index of the first start greater than {@code ns} (starts ascending). */
    private static int firstAfter(long[] starts, long ns) {
        int lo = 0;
        int hi = starts.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] <= ns) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Puts {@code count} in the column of {@code from}, or shares it evenly when the span covers several columns. */
    private static void spread(double[] col, TimeAxis axis, long from, long to, double count) {
        int c0 = column(axis, from, col.length);
        if (to - from <= axis.nsPerPixel()) {
            col[c0] += count;
            return;
        }
        int c1 = column(axis, to - 1, col.length);
        double share = count / (c1 - c0 + 1);
        for (int c = c0; c <= c1; c++) col[c] += share;
    }

    static int column(TimeAxis axis, long ns, int width) {
        if (ns <= axis.fromNs()) return 0;
        int c = (int) Math.floor(axis.x(ns));
        return Math.min(width - 1, Math.max(0, c));
    }
}
