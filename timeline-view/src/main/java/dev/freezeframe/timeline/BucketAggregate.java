package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import java.util.List;
import java.util.Objects;

/**
 * Dense lanes aggregated at one level: event counts per bucket for each lane, and min/max/last per bucket for each
 * numeric series (one per kind of the STATS lane). Only non-empty buckets are listed, in time order.
 *
 * <p>Console counts do not split out stderr or error lines: the archive's pyramid counts a lane's events without
 * their kinds, and splitting would mean decoding every event block of a coarse window.
 */
public record BucketAggregate(int level, List<LaneCounts> lanes, List<SeriesBuckets> series) {
    public BucketAggregate {
        lanes = List.copyOf(lanes);
        series = List.copyOf(series);
    }

    /** Event counts of one lane; {@code bucketStartNs[i]} is the start of the bucket holding {@code counts[i]}. */
    public record LaneCounts(Lane lane, long[] bucketStartNs, long[] counts) {
        public LaneCounts {
            Objects.requireNonNull(lane, "lane");
            if (bucketStartNs.length != counts.length) throw new IllegalArgumentException("column lengths differ");
        }
    }

    /** One numeric series per bucket: sample count, min, max and the last sample. */
    public record SeriesBuckets(String kind, long[] bucketStartNs, long[] counts, double[] min, double[] max,
                                double[] last) {
        public SeriesBuckets {
            Objects.requireNonNull(kind, "kind");
            int n = bucketStartNs.length;
            if (counts.length != n || min.length != n || max.length != n || last.length != n) {
                throw new IllegalArgumentException("column lengths differ");
            }
        }
    }

    public static BucketAggregate empty(int level) {
        return new BucketAggregate(level, List.of(), List.of());
    }
}
