package dev.freezeframe.coordinator.watch;

import java.time.Duration;
import java.util.Objects;

/**
 * How much a watch may cost the guest. Every hit stops the whole guest; a hit with a snapshot keeps it stopped for the
 * capture (tens of milliseconds under TCG). Two limits keep a watch from drowning the guest:
 *
 * <ul>
 *   <li>a <b>hot</b> watch, hit more than {@code hotHits} times within {@code hotWindow} (host time, counting every
 *       hit), is disarmed with an {@code auto_disarmed} event;</li>
 *   <li>only the first {@code snapshotsPerWatch} hits of each arming get a snapshot; later hits are counted (and put
 *       on the timeline) without one.</li>
 * </ul>
 *
 * @param hotHits           hits tolerated within the window; one more disarms the watch
 * @param hotWindow         the sliding window the hits are counted in
 * @param snapshotsPerWatch hits that get a snapshot, per arming of a watch (0 = hits are only counted)
 */
public record WatchPolicy(int hotHits, Duration hotWindow, int snapshotsPerWatch) {
    /** More than 20 hits within 1 s disarms a watch; the first 10 hits of each watch get a snapshot. */
    public static final WatchPolicy DEFAULT = new WatchPolicy(20, Duration.ofSeconds(1), 10);

    public WatchPolicy {
        Objects.requireNonNull(hotWindow, "hotWindow");
        if (hotHits < 1) throw new IllegalArgumentException("hotHits must be >= 1: " + hotHits);
        if (hotWindow.isNegative() || hotWindow.isZero()) throw new IllegalArgumentException("hotWindow " + hotWindow);
        if (snapshotsPerWatch < 0) throw new IllegalArgumentException("snapshotsPerWatch " + snapshotsPerWatch);
    }

    /** "20 hits per 1 s" for messages. */
    String describeHotLimit() {
        return hotHits + " hits per " + seconds(hotWindow);
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
