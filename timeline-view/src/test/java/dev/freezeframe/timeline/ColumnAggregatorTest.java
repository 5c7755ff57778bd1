package dev.freezeframe.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Level of detail (check T6): pixel columns built from tiles count every event of the window exactly once. */
class ColumnAggregatorTest {
    private static final long END = 30_000_000_000L;

    private static MemorySource source(Random r) {
        MemorySource s = new MemorySource(END);
        for (Lane lane : new Lane[] {Lane.CONSOLE, Lane.SCHEDULER, Lane.HARNESS}) {
            long[] t = new long[40_000];
            for (int i = 0; i < t.length; i++) {
                // bursts on tile edges of several levels, plus a uniform background
                t[i] = i % 4 == 0 ? ((r.nextLong(END) >> 20) << 20) + r.nextInt(3) - 1 : r.nextLong(END);
                t[i] = Math.max(0, Math.min(END - 1, t[i]));
            }
            s.lane(lane, t);
        }
        return s;
    }

    @Test
    void columnsOfTwoHundredRandomWindowsSumToTheExactEventCount() {
        Random r = new Random(7);
        MemorySource s = source(r);
        Map<TileKey, Tile> cache = new HashMap<>();
        for (int n = 0; n < 200; n++) {
            long span = Math.max(TimeWindow.MIN_SPAN_NS, (long) Math.pow(10, 3 + r.nextDouble() * 7.5));
            long from = r.nextLong(-span / 4, END);
            if (n % 5 == 0) from = (from >> 24) << 24; // windows starting on a tile edge
            double width = 300 + r.nextInt(1400);
            TimeAxis axis = new TimeAxis(from, from + span, width);
            int level = s.answerLevel(axis.idealLevel());
            for (TileKey k : ColumnAggregator.tilesFor(axis, level, END, 0)) {
                cache.computeIfAbsent(k, key -> new Tile(key,
                        s.buckets(TimelineSource.DENSE_LANES, key.level(), key.fromNs(), key.toNs()), true));
            }
            Columns c = ColumnAggregator.aggregate(axis, level, END, cache::get, new int[0]);
            assertTrue(c.exact, "every tile at the frame's level");
            assertFalse(c.uncovered);
            long bucket = 1L << level;
            long lo = Math.floorDiv(axis.fromNs(), bucket) * bucket;
            long hi = Math.floorDiv(axis.toNs() + bucket - 1, bucket) * bucket;
            for (Lane lane : new Lane[] {Lane.CONSOLE, Lane.SCHEDULER, Lane.HARNESS}) {
                long exact = s.count(lane, lo, hi);
                assertEquals(exact, c.total(lane), 1e-6,
                        "window " + n + " [" + from + ", " + (from + span) + ") level " + level + " " + lane);
            }
            if (cache.size() > 4000) cache.clear();
        }
    }

    @Test
    void aCoarserCachedLevelStandsInForMissingTilesAndKeepsTheTotal() {
        MemorySource s = source(new Random(3));
        TimeAxis axis = new TimeAxis(0, END, 1000);
        int fine = s.answerLevel(axis.idealLevel());
        int coarse = s.answerLevel(fine + 4);
        Map<TileKey, Tile> cache = new HashMap<>();
        for (TileKey k : ColumnAggregator.tilesFor(axis, coarse, END, 0)) {
            cache.put(k, new Tile(k, s.buckets(TimelineSource.DENSE_LANES, coarse, k.fromNs(), k.toNs()), true));
        }
        Columns c = ColumnAggregator.aggregate(axis, fine, END, cache::get, new int[] {coarse});
        assertFalse(c.exact);
        assertFalse(c.uncovered);
        assertEquals(s.count(Lane.CONSOLE, 0, END), c.total(Lane.CONSOLE), 1e-3);
        Columns none = ColumnAggregator.aggregate(axis, fine, END, k -> null, new int[] {coarse});
        assertTrue(none.uncovered);
    }

    @Test
    void clustersJoinItemsCloserThanSixPixels() {
        var cl = GlyphClusters.of(new double[] {10, 11, 15.9, 16, 30}, 0, 100);
        assertEquals(3, cl.size());
        assertEquals(3, cl.get(0).count());
        assertEquals(1, cl.get(1).count());
        assertEquals(16, cl.get(1).x());
    }

    @Test
    void rulerStepsAreOneTwoFiveAndLabelsAtLeastEightyPixelsApart() {
        TimeAxis axis = new TimeAxis(12_000_000_000L, 12_600_000_000L, 1200);
        long step = RulerTicks.step(axis);
        assertEquals(50_000_000L, step);
        var ticks = RulerTicks.of(axis);
        assertEquals("+12.00 s", ticks.getFirst().label());
        for (int i = 1; i < ticks.size(); i++) assertTrue(ticks.get(i).x() - ticks.get(i - 1).x() >= 80);
        assertEquals("+12.480 s", RulerTicks.label(12_480_000_000L, 1_000_000L));
    }

    @Test
    void aRulerWithAnOriginReadsZeroThereAndNegativeBefore() {
        // 1.5 s .. 3.5 s of run time read from an alignment point at 2.3 s: -0.8 s .. +1.2 s
        TimeAxis axis = new TimeAxis(1_500_000_000L, 3_500_000_000L, 1000);
        long origin = 2_300_000_000L;
        var ticks = RulerTicks.of(axis, origin);
        long step = RulerTicks.step(axis);
        assertEquals(200_000_000L, step);
        assertEquals("-0.8 s", ticks.getFirst().label());
        assertEquals(origin - 800_000_000L, ticks.getFirst().ns());
        var zero = ticks.stream().filter(t -> t.ns() == origin).findFirst().orElseThrow();
        assertEquals("+0.0 s", zero.label());
        assertEquals(axis.x(origin), zero.x(), 1e-9);
        for (var t : ticks) assertEquals(0, Math.floorMod(t.ns() - origin, step), "ticks on whole steps from 0");
        assertEquals("+1.0 s", ticks.getLast().label(), "the window ends at +1.2 s, exclusive");
    }
}
