package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Viewport queries for the timeline (docs/architecture.md §8): a run's events in a time window, aggregated into power-of-two
 * buckets at about two buckets per pixel — counts per bucket for every lane, min/max/last per bucket for numeric
 * series. Answered from the level-of-detail pyramid; windows finer than its finest level are aggregated from the
 * events (few by construction). Uses the archive's connection: one instance per thread.
 */
public final class TimelineQueries {
    /** Event counts per bucket of one lane; {@code bucketStartNs[i]} is the start of the bucket holding {@code counts[i]}. */
    public record LaneBuckets(Lane lane, long[] bucketStartNs, long[] counts) {
        public long total() {
            return Arrays.stream(counts).sum();
        }
    }

    /** One numeric series (lane + kind) per bucket: how many samples, their min, max and the last one (by seq). */
    public record SeriesBuckets(Lane lane, String kind, long[] bucketStartNs, long[] counts, double[] min,
                                double[] max, double[] last) {
    }

    /**
     * The answer to a viewport query.
     *
     * @param level       bucket width is {@code 2^level} ns
     * @param fromPyramid true when read from the stored pyramid, false when aggregated from raw events
     */
    public record Viewport(long runId, long fromNs, long toNs, int level, boolean fromPyramid,
                           List<LaneBuckets> lanes, List<SeriesBuckets> series) {
        public long bucketNs() {
            return 1L << level;
        }
    }

    private final Archive archive;

    TimelineQueries(Archive archive) {
        this.archive = archive;
    }

    /** Every lane of run {@code runId} in {@code [fromNs, toNs)}, for a viewport {@code pixels} wide. */
    public Viewport viewport(long runId, long fromNs, long toNs, int pixels) {
        return viewport(runId, fromNs, toNs, pixels, EnumSet.allOf(Lane.class));
    }

    public Viewport viewport(long runId, long fromNs, long toNs, int pixels, Set<Lane> lanes) {
        if (toNs <= fromNs) throw new IllegalArgumentException("empty window [" + fromNs + ", " + toNs + ")");
        int level = Lod.chooseLevel(Lod.idealLevel(toNs - fromNs, pixels));
        return atLevel(runId, fromNs, toNs, level, lanes);
    }

    /**
     * The level {@link #atLevel} answers quickly for a wished {@code idealLevel}: the ideal itself when stored or finer
     * than the pyramid (aggregated from the few events of such a short window), else the next coarser stored level.
     */
    public static int answerLevel(int idealLevel) {
        return Lod.chooseLevel(idealLevel);
    }

    /** The window aggregated at an explicit level: from the pyramid when the level is stored, else from events. */
    public Viewport atLevel(long runId, long fromNs, long toNs, int level, Set<Lane> lanes) {
        try {
            return Lod.isStored(level)
                    ? fromPyramid(runId, fromNs, toNs, level, lanes)
                    : fromEvents(runId, fromNs, toNs, level, lanes);
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** Aggregates the events themselves at {@code level}; the reference the pyramid must agree with. */
    Viewport fromEvents(long runId, long fromNs, long toNs, int level, Set<Lane> lanes) throws SQLException {
        Connection c = archive.connection();
        long b0 = fromNs >> level;
        long b1 = (toNs - 1) >> level;
        long lo = b0 << level;
        long hi = (b1 + 1) << level;
        List<LaneBuckets> laneResults = new ArrayList<>();
        List<SeriesBuckets> seriesResults = new ArrayList<>();
        for (Lane lane : lanes) {
            // few events by construction (finer windows than the pyramid's finest level are short); texts not decoded
            TreeMap<Long, long[]> counts = new TreeMap<>();
            Map<String, TreeMap<Long, double[]>> byKind = new TreeMap<>();
            EventBlocks.scanWindow(c, runId, lane, lo, hi, (seq, at, kind, hasValue, v) -> {
                long bucket = at >> level;
                counts.computeIfAbsent(bucket, b -> new long[1])[0]++;
                if (!hasValue || !Double.isFinite(v)) return;
                double[] agg = byKind.computeIfAbsent(kind, k -> new TreeMap<>())
                        .computeIfAbsent(bucket, b -> new double[] {0, v, v, v, -1});
                agg[0]++;
                agg[1] = Math.min(agg[1], v);
                agg[2] = Math.max(agg[2], v);
                if (seq >= agg[4]) {
                    agg[3] = v;
                    agg[4] = seq;
                }
            });
            if (counts.isEmpty()) continue;
            List<long[]> rows = new ArrayList<>(counts.size());
            counts.forEach((bucket, n) -> rows.add(new long[] {bucket << level, n[0]}));
            laneResults.add(laneBuckets(lane, rows));
            for (Map.Entry<String, TreeMap<Long, double[]>> e : byKind.entrySet()) {
                int n = e.getValue().size();
                long[] starts = new long[n];
                long[] cnt = new long[n];
                double[] min = new double[n];
                double[] max = new double[n];
                double[] last = new double[n];
                int i = 0;
                for (Map.Entry<Long, double[]> b : e.getValue().entrySet()) {
                    starts[i] = b.getKey() << level;
                    cnt[i] = (long) b.getValue()[0];
                    min[i] = b.getValue()[1];
                    max[i] = b.getValue()[2];
                    last[i] = b.getValue()[3];
                    i++;
                }
                seriesResults.add(new SeriesBuckets(lane, e.getKey(), starts, cnt, min, max, last));
            }
        }
        return new Viewport(runId, fromNs, toNs, level, false, laneResults, seriesResults);
    }

    private Viewport fromPyramid(long runId, long fromNs, long toNs, int level, Set<Lane> lanes)
            throws SQLException {
        Connection c = archive.connection();
        long b0 = fromNs >> level;
        long b1 = (toNs - 1) >> level;
        int shift = Lod.tileShift(level);
        List<LaneBuckets> laneResults = new ArrayList<>();
        List<SeriesBuckets> seriesResults = new ArrayList<>();
        try (PreparedStatement tiles = c.prepareStatement("""
                SELECT tile, kind, data FROM lod_tiles
                WHERE run_id = ? AND lane = ? AND level = ? AND tile BETWEEN ? AND ?""")) {
            for (Lane lane : lanes) {
                tiles.setLong(1, runId);
                tiles.setString(2, lane.wireName());
                tiles.setInt(3, level);
                tiles.setLong(4, b0 >> shift);
                tiles.setLong(5, b1 >> shift);
                // rows arrive in (tile, kind) order, so each kind's buckets are appended in time order
                Map<String, Columns> byKind = new TreeMap<>();
                try (ResultSet rs = tiles.executeQuery()) {
                    while (rs.next()) {
                        long tile = rs.getLong(1);
                        String kind = rs.getString(2);
                        Columns cols = byKind.computeIfAbsent(kind, k -> new Columns(!k.isEmpty()));
                        LodTile.decodeInto(rs.getBytes(3), tile, shift, b0, b1,
                                (bucket, count, mn, mx, ls) -> cols.add(bucket << level, count, mn, mx, ls));
                    }
                }
                for (Map.Entry<String, Columns> e : byKind.entrySet()) {
                    Columns cols = e.getValue();
                    if (cols.size == 0) continue;
                    if (e.getKey().isEmpty()) {
                        laneResults.add(new LaneBuckets(lane, cols.starts(), cols.counts()));
                    } else {
                        seriesResults.add(new SeriesBuckets(lane, e.getKey(), cols.starts(), cols.counts(),
                                cols.min(), cols.max(), cols.last()));
                    }
                }
            }
        }
        return new Viewport(runId, fromNs, toNs, level, true, laneResults, seriesResults);
    }

    /** Growable column arrays for one track's buckets. */
    private static final class Columns {
        long[] starts = new long[64];
        long[] counts = new long[64];
        double[] min;
        double[] max;
        double[] last;
        int size;

        Columns(boolean series) {
            if (series) {
                min = new double[64];
                max = new double[64];
                last = new double[64];
            }
        }

        void add(long start, long count, double mn, double mx, double ls) {
            if (size == starts.length) {
                int n = size * 2;
                starts = Arrays.copyOf(starts, n);
                counts = Arrays.copyOf(counts, n);
                if (min != null) {
                    min = Arrays.copyOf(min, n);
                    max = Arrays.copyOf(max, n);
                    last = Arrays.copyOf(last, n);
                }
            }
            starts[size] = start;
            counts[size] = count;
            if (min != null) {
                min[size] = mn;
                max[size] = mx;
                last[size] = ls;
            }
            size++;
        }

        long[] starts() {
            return Arrays.copyOf(starts, size);
        }

        long[] counts() {
            return Arrays.copyOf(counts, size);
        }

        double[] min() {
            return Arrays.copyOf(min, size);
        }

        double[] max() {
            return Arrays.copyOf(max, size);
        }

        double[] last() {
            return Arrays.copyOf(last, size);
        }
    }

    private static LaneBuckets laneBuckets(Lane lane, List<long[]> rows) {
        long[] starts = new long[rows.size()];
        long[] counts = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            starts[i] = rows.get(i)[0];
            counts[i] = rows.get(i)[1];
        }
        return new LaneBuckets(lane, starts, counts);
    }
}
