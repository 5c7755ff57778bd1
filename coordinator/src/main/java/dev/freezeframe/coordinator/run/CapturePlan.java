package dev.freezeframe.coordinator.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When the periodic snapshots of a run are taken: {@code count} captures spread evenly over the workload window (the
 * scenario's steps), never closer than {@link #MIN_SPACING} — fewer when the window is too short, and the plan says so.
 *
 * @param count    periodic snapshots asked for
 * @param windowMs the workload window: the scenario's total duration
 */
public record CapturePlan(int count, long windowMs) {
    public static final Duration MIN_SPACING = Duration.ofMillis(100);
    public static final CapturePlan NONE = new CapturePlan(0, 0);

    public CapturePlan {
        if (count < 0 || count > 999) throw new IllegalArgumentException("periodic snapshots must be 0..999: " + count);
        if (windowMs < 0) throw new IllegalArgumentException("window must be >= 0: " + windowMs);
    }

    /** Offsets from the scenario's start, in milliseconds: window·k/(n+1) for k = 1..n. */
    public List<Long> offsetsMs() {
        int n = count;
        while (n > 0 && windowMs / (n + 1) < MIN_SPACING.toMillis()) n--;
        List<Long> offsets = new ArrayList<>(n);
        for (int k = 1; k <= n; k++) offsets.add(windowMs * k / (n + 1));
        return offsets;
    }

    /** The canonical tag of the {@code index}-th periodic snapshot (0-based): {@code periodic_000}. */
    public static String tag(int index) {
        return String.format("periodic_%03d", index);
    }
}
