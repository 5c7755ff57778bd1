package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What happened in a time range of one run (the workbench's Selection tab, Perfetto's area aggregation): per lane the
 * exact event count with its first and last time, per numeric series the counter-aggregator columns, a digest of the
 * console lines and the watch hits per slot. Times are run nanoseconds, inclusive at both ends.
 */
public record RangeSummary(long fromNs, long toNs, List<LaneCount> lanes, List<SeriesStats> series,
                           ConsoleDigest console, Map<Integer, Long> watchHitsBySlot) {
    public RangeSummary {
        lanes = List.copyOf(lanes);
        series = List.copyOf(series);
        Objects.requireNonNull(console, "console");
        watchHitsBySlot = Map.copyOf(watchHitsBySlot);
    }

    /** The count of one lane; {@code firstNs}/{@code lastNs} are -1 when the lane has no event in the range. */
    public record LaneCount(Lane lane, long count, long firstNs, long lastNs) {
    }

    /**
     * One series (a stats-lane kind) in the range: values at the first and last sample in time, the extremes and the
     * number of samples.
     */
    public record SeriesStats(String kind, long count, double first, double last, double min, double max,
                              long firstNs, long lastNs) {
        /** last − first. */
        public double delta() {
            return last - first;
        }

        /** The change per second between the first and the last sample; NaN with a single sample. */
        public double ratePerSecond() {
            return lastNs > firstNs ? delta() * 1e9 / (lastNs - firstNs) : Double.NaN;
        }
    }

    /**
     * The console and scheduler lines of the range: how many, how many went to the scheduler's stderr, how many read as
     * errors, and the most repeated messages (numbers folded to {@code #}, so "cpu 3 tick 1204" and "cpu 1 tick 88"
     * count as one message). The digest of texts covers at most {@code textsRead} lines; {@code truncated} says when
     * the range held more.
     */
    public record ConsoleDigest(long lines, long stderr, long errors, List<Repeated> mostRepeated, long textsRead,
                                boolean truncated) {
        public ConsoleDigest {
            mostRepeated = List.copyOf(mostRepeated);
        }
    }

    /** A message shape and how often it occurred. */
    public record Repeated(String message, long count) {
    }
}
