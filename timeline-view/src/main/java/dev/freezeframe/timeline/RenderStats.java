package dev.freezeframe.timeline;

/**
 * What the timeline has drawn so far (tests wait on {@code pendingTiles == 0}; the benchmark reads the frame times).
 *
 * @param frames            data-layer frames painted
 * @param lastFrameNanos    how long the last data-layer frame took (aggregation + paint), wall clock
 * @param lastFrameCpuNanos the FX thread's CPU time in that frame (-1 when the JVM cannot tell): the wall clock is
 *                          inflated when other processes take the CPU
 * @param appliedGeneration the window generation the last frame drew (each window or size change is a generation)
 * @param pendingTiles      tile fetches queued or running
 * @param blankFrames       frames that had to leave a part of the run with data empty (no tile at any level)
 * @param tileHits          needed tiles found in the cache
 * @param tileMisses        needed tiles that had to be fetched
 */
public record RenderStats(long frames, long lastFrameNanos, long lastFrameCpuNanos, long appliedGeneration,
                          int pendingTiles, long blankFrames, long tileHits, long tileMisses) {
    public static final RenderStats NONE = new RenderStats(0, 0, 0, 0, 0, 0, 0, 0);
}
