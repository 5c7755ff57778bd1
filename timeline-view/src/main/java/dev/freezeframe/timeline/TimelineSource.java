package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import java.util.Set;

/**
 * Where a {@link TimelineView} gets a run's data. Every method is called on a background thread (never the FX thread)
 * and may block on I/O; an implementation must be safe to call from several threads at once (the view uses a small
 * pool). Failures are reported by throwing; the view shows the message of the exception and keeps what it has.
 *
 * <p>Two kinds of data: {@link #items()} are the few exact things drawn one by one (steps, lifecycle points, snapshots,
 * watch hits, frozen spans); {@link #buckets} are dense lanes aggregated into power-of-two buckets (bucket {@code b} at
 * level {@code L} covers {@code [b * 2^L, (b + 1) * 2^L)} ns).
 */
public interface TimelineSource {
    /** The lanes answered by {@link #buckets}: counts per bucket for each, and for STATS one series per kind. */
    Set<Lane> DENSE_LANES = Set.of(Lane.CONSOLE, Lane.SCHEDULER, Lane.HARNESS, Lane.STATS);

    /**
     * Re-reads what may have changed since the last call (a live run's extent, new items) and returns the data
     * version: it grows when anything changed, so the view refetches items and the buckets past the previous end.
     */
    long refresh();

    /** The run's extent in ns since it started, as of the last {@link #refresh()}. */
    long endNs();

    /** True while the run is still being recorded (the view then refreshes periodically and offers follow-tail). */
    default boolean live() {
        return false;
    }

    /** The exact items of the run, loaded whole. */
    TimelineItems items();

    /**
     * The level {@link #buckets} will answer at when the view would like {@code idealLevel}: the ideal itself or the
     * nearest coarser level the source has (never finer, so a column never gets more buckets than it asked for).
     */
    int answerLevel(int idealLevel);

    /**
     * The non-empty buckets of {@code lanes} (a subset of {@link #DENSE_LANES}) at {@code level} whose start lies in
     * {@code [fromNs, toNs)}; {@code fromNs} and {@code toNs} are multiples of {@code 2^level}.
     */
    BucketAggregate buckets(Set<Lane> lanes, int level, long fromNs, long toNs);
}
