package dev.freezeframe.timeline;

/**
 * The visible span of run time, {@code [fromNs, toNs)}, in nanoseconds since the run started. Immutable; views share
 * one {@code ObjectProperty<TimeWindow>} so panning one pans the others.
 */
public record TimeWindow(long fromNs, long toNs) {
    /** The narrowest window a view zooms to (100 ns). */
    public static final long MIN_SPAN_NS = 100;

    public TimeWindow {
        if (toNs - fromNs < 1) throw new IllegalArgumentException("empty window [" + fromNs + ", " + toNs + ")");
    }

    public long spanNs() {
        return toNs - fromNs;
    }

    public boolean contains(long ns) {
        return ns >= fromNs && ns < toNs;
    }

    /** This window moved so that it starts at {@code newFrom}, same span. */
    public TimeWindow startingAt(long newFrom) {
        return new TimeWindow(newFrom, newFrom + spanNs());
    }

    /** Zoomed by {@code factor} (&lt; 1 zooms in) keeping {@code anchorNs} at the same relative position. */
    public TimeWindow zoomedAround(long anchorNs, double factor) {
        double span = Math.max(MIN_SPAN_NS, spanNs() * factor);
        double rel = (anchorNs - fromNs) / (double) spanNs();
        long from = Math.round(anchorNs - rel * span);
        return new TimeWindow(from, from + Math.round(span));
    }

    /** The window moved just enough to show {@code ns} (unchanged when it is visible already), same span. */
    public TimeWindow showing(long ns) {
        if (contains(ns)) return this;
        return startingAt(ns - spanNs() / 2);
    }
}
