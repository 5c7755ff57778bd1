package dev.freezeframe.persistence;

/**
 * The level-of-detail geometry shared by the pyramid writer and the timeline queries. A level {@code L} has buckets of
 * {@code 2^L} ns; bucket {@code b} covers {@code [b * 2^L, (b + 1) * 2^L)}. Levels {@link #MIN_LEVEL} to
 * {@link #MAX_LEVEL} in steps of {@link #STEP} are stored; finer views are aggregated from the events themselves.
 */
final class Lod {
    /** Finest stored level: 2^16 ns = 65.5 µs buckets (finer views aggregate the event blocks). */
    static final int MIN_LEVEL = 16;
    /** Coarsest stored level: 2^40 ns = 18.3 min buckets. */
    static final int MAX_LEVEL = 40;
    /** Stored levels are MIN_LEVEL, MIN_LEVEL + STEP, ...; a factor of 4 between neighbours. */
    static final int STEP = 2;
    static final int LEVEL_COUNT = (MAX_LEVEL - MIN_LEVEL) / STEP + 1;

    /** Every tile spans at least 2^22 ns (4.2 ms) ... */
    static final int MIN_TILE_SPAN_SHIFT = 22;
    /** ... and holds at least 2^8 buckets. */
    static final int MIN_TILE_SHIFT = 8;

    private Lod() {
    }

    /** log2 of the number of buckets per tile at {@code level}. */
    static int tileShift(int level) {
        return Math.max(MIN_TILE_SHIFT, MIN_TILE_SPAN_SHIFT - level);
    }

    static int storedLevel(int index) {
        return MIN_LEVEL + index * STEP;
    }

    /** The level whose buckets give about two buckets per pixel for {@code spanNs} over {@code pixels}. */
    static int idealLevel(long spanNs, int pixels) {
        long perBucket = Math.max(1, spanNs / (2L * Math.max(1, pixels)));
        return 63 - Long.numberOfLeadingZeros(perBucket);
    }

    /**
     * The stored level for {@code ideal}: itself when stored, else the next coarser one (so a viewport gets one to
     * four buckets per pixel, never more), or {@code ideal} when it is finer than anything stored (the caller then
     * aggregates raw events).
     */
    static int chooseLevel(int ideal) {
        if (ideal < MIN_LEVEL) return Math.max(0, ideal);
        if (ideal >= MAX_LEVEL) return MAX_LEVEL;
        int below = MIN_LEVEL + ((ideal - MIN_LEVEL) / STEP) * STEP;
        return below == ideal ? ideal : Math.min(below + STEP, MAX_LEVEL);
    }

    static boolean isStored(int level) {
        return level >= MIN_LEVEL && level <= MAX_LEVEL && (level - MIN_LEVEL) % STEP == 0;
    }
}
