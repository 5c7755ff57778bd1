package dev.freezeframe.timeline;

/**
 * A fetched tile. {@code complete} is false when the run's known end fell inside the tile at fetch time (a live run's
 * newest tile): it is drawn, but fetched again once the source reports new data.
 */
record Tile(TileKey key, BucketAggregate data, boolean complete) {
    /** A rough heap footprint, for the cache's budget. */
    long bytes() {
        long b = 64;
        for (BucketAggregate.LaneCounts l : data.lanes()) b += 16L * l.counts().length + 48;
        for (BucketAggregate.SeriesBuckets s : data.series()) b += 40L * s.counts().length + 80;
        return b;
    }
}
