package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a run's level-of-detail pyramid while its events stream past: for each track (a lane's event counts, and
 * each numeric series of a lane by kind) and each stored level, the open {@link LodTile} lives in memory. A tile is
 * handed to the store when an event moves past it, and every changed open tile is handed over by {@link #flushOpen},
 * which the writer calls just before each commit — so the stored pyramid always describes exactly the committed
 * events. A late (out-of-order) event that falls into an earlier tile reopens it from the store and merges.
 * Not thread-safe; owned by the writer thread.
 */
final class LodPyramid {
    /** Where tiles live. {@code kind} is {@code ""} for a lane's counts. */
    interface TileStore {
        /** The stored tile, or null. */
        byte[] load(Lane lane, String kind, int level, long tile);

        void store(Lane lane, String kind, int level, long tile, byte[] data);
    }

    private static final class Track {
        final Lane lane;
        final String kind;
        final LodTile[] open = new LodTile[Lod.LEVEL_COUNT];
        final long[] tileIndex = new long[Lod.LEVEL_COUNT];
        final long[] maxTileSeen = new long[Lod.LEVEL_COUNT];
        final boolean[] dirty = new boolean[Lod.LEVEL_COUNT];

        Track(Lane lane, String kind, boolean series) {
            this.lane = lane;
            this.kind = kind;
            for (int i = 0; i < Lod.LEVEL_COUNT; i++) {
                open[i] = new LodTile(series, 1 << Lod.tileShift(Lod.storedLevel(i)));
                tileIndex[i] = Long.MIN_VALUE;
                maxTileSeen[i] = Long.MIN_VALUE;
            }
        }
    }

    private static final int[] TILE_SHIFTS = new int[Lod.LEVEL_COUNT];

    static {
        for (int i = 0; i < Lod.LEVEL_COUNT; i++) TILE_SHIFTS[i] = Lod.tileShift(Lod.storedLevel(i));
    }

    private final TileStore store;
    private final Track[] laneTracks = new Track[Lane.values().length];
    private final Map<Lane, Map<String, Track>> seriesTracks = new HashMap<>();

    LodPyramid(TileStore store) {
        this.store = store;
    }

    /** Adds one event. {@code value} null (or not finite) means it only counts; otherwise it is also a sample. */
    void add(Lane lane, String kind, long atNanos, Double value, long seq) {
        Track counts = laneTracks[lane.ordinal()];
        if (counts == null) counts = laneTracks[lane.ordinal()] = new Track(lane, "", false);
        for (int i = 0; i < Lod.LEVEL_COUNT; i++) {
            long bucket = atNanos >> Lod.storedLevel(i);
            int shift = TILE_SHIFTS[i];
            moveTo(counts, i, bucket >> shift);
            counts.open[i].addInstant((int) (bucket & ((1L << shift) - 1)));
            counts.dirty[i] = true;
        }
        if (value == null || !Double.isFinite(value)) return;
        double v = value;
        Track series = seriesTracks.computeIfAbsent(lane, l -> new HashMap<>())
                .computeIfAbsent(kind, k -> new Track(lane, k, true));
        for (int i = 0; i < Lod.LEVEL_COUNT; i++) {
            long bucket = atNanos >> Lod.storedLevel(i);
            int shift = TILE_SHIFTS[i];
            moveTo(series, i, bucket >> shift);
            series.open[i].addValue((int) (bucket & ((1L << shift) - 1)), v, seq);
            series.dirty[i] = true;
        }
    }

    private void moveTo(Track t, int i, long tile) {
        if (t.tileIndex[i] == tile) return;
        int level = Lod.storedLevel(i);
        if (t.dirty[i]) store.store(t.lane, t.kind, level, t.tileIndex[i], t.open[i].encode());
        t.open[i].clear();
        t.tileIndex[i] = tile;
        t.dirty[i] = false;
        if (t.maxTileSeen[i] == Long.MIN_VALUE || tile <= t.maxTileSeen[i]) {
            t.maxTileSeen[i] = Math.max(t.maxTileSeen[i], tile);
            byte[] stored = store.load(t.lane, t.kind, level, tile);
            if (stored != null) t.open[i].mergeFrom(stored);
        } else {
            t.maxTileSeen[i] = tile;
        }
    }

    /** Hands every changed open tile to the store. */
    void flushOpen() {
        for (Track t : laneTracks) {
            if (t != null) flush(t);
        }
        for (Map<String, Track> byKind : seriesTracks.values()) {
            for (Track t : byKind.values()) flush(t);
        }
    }

    private void flush(Track t) {
        for (int i = 0; i < Lod.LEVEL_COUNT; i++) {
            if (t.dirty[i]) {
                store.store(t.lane, t.kind, Lod.storedLevel(i), t.tileIndex[i], t.open[i].encode());
                t.dirty[i] = false;
            }
        }
    }
}
