package dev.freezeframe.timeline;

/** Maps run time to x pixels for one window drawn {@code widthPx} wide (x = 0 is the window's start). */
public record TimeAxis(long fromNs, long toNs, double widthPx) {
    public TimeAxis {
        if (toNs <= fromNs) throw new IllegalArgumentException("empty axis");
        if (!(widthPx > 0)) throw new IllegalArgumentException("axis width must be positive");
    }

    public static TimeAxis of(TimeWindow w, double widthPx) {
        return new TimeAxis(w.fromNs(), w.toNs(), widthPx);
    }

    public long spanNs() {
        return toNs - fromNs;
    }

    public double nsPerPixel() {
        return spanNs() / widthPx;
    }

    public double x(long ns) {
        return (ns - fromNs) / nsPerPixel();
    }

    public long ns(double x) {
        return fromNs + Math.round(x * nsPerPixel());
    }

    /**
     * The bucket level for this axis: {@code floor(log2(nsPerPixel / 2))}, two buckets per pixel (Perfetto's
     * BUCKETS_PER_PIXEL), never below 0.
     */
    public int idealLevel() {
        double perBucket = nsPerPixel() / 2;
        if (perBucket < 2) return 0;
        return 63 - Long.numberOfLeadingZeros((long) perBucket);
    }
}
