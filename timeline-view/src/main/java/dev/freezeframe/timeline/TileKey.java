package dev.freezeframe.timeline;

/**
 * One tile of dense-lane buckets: {@link #BUCKETS} consecutive buckets at {@code level}, tile {@code index} covering
 * {@code [index * BUCKETS * 2^level, (index + 1) * BUCKETS * 2^level)}. All dense lanes travel together in one tile.
 */
public record TileKey(int level, long index) {
    public static final int BUCKETS = 256;
    public static final int SHIFT = 8;

    public long fromNs() {
        return (index << SHIFT) << level;
    }

    public long toNs() {
        return ((index + 1) << SHIFT) << level;
    }

    /** The tile at {@code level} holding time {@code ns}. */
    public static TileKey holding(int level, long ns) {
        return new TileKey(level, (Math.max(0, ns) >> level) >> SHIFT);
    }
}
