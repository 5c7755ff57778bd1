package dev.freezeframe.coordinator.monitor;

import java.util.Arrays;
import java.util.Objects;

/**
 * Points of the live monitor's series, from one or more samples: each a stats-lane event kind
 * ({@value MonitorSeries#KIND_PREFIX}{@code NAME}), the run time it was read at and the number. Held in flat arrays
 * so a second of samples travels to the run loop as one object instead of hundreds. Immutable; built with a
 * {@link Builder}.
 */
public final class MonitorPoints {
    private final long[] atNs;
    private final String[] kinds;
    private final double[] values;

    private MonitorPoints(long[] atNs, String[] kinds, double[] values) {
        this.atNs = atNs;
        this.kinds = kinds;
        this.values = values;
    }

    public int size() {
        return kinds.length;
    }

    /** Run time (the run loop's clock) the point was read at. */
    public long atNs(int i) {
        return atNs[i];
    }

    /** The stats-lane event kind: {@code monitor:NAME}. */
    public String kind(int i) {
        return kinds[i];
    }

    /** The series name: the kind without {@code monitor:}. */
    public String series(int i) {
        return kinds[i].substring(MonitorSeries.KIND_PREFIX.length());
    }

    public double value(int i) {
        return values[i];
    }

    /**
     * Collects points without allocating per point (the arrays grow by doubling and are reused after {@link #clear}).
     * One thread at a time.
     */
    public static final class Builder {
        private long[] atNs = new long[64];
        private String[] kinds = new String[64];
        private double[] values = new double[64];
        private int size;

        /** Adds a point; {@code kind} is the full event kind ({@link MonitorSeries#kindOf}), made once by the caller. */
        public void add(long at, String kind, double value) {
            if (size == kinds.length) {
                int n = size * 2;
                atNs = Arrays.copyOf(atNs, n);
                kinds = Arrays.copyOf(kinds, n);
                values = Arrays.copyOf(values, n);
            }
            atNs[size] = at;
            kinds[size] = Objects.requireNonNull(kind, "kind");
            values[size] = value;
            size++;
        }

        public int size() {
            return size;
        }

        /** An immutable copy of the points so far. */
        public MonitorPoints build() {
            return new MonitorPoints(Arrays.copyOf(atNs, size), Arrays.copyOf(kinds, size), Arrays.copyOf(values,
                    size));
        }

        public void clear() {
            Arrays.fill(kinds, 0, size, null);
            size = 0;
        }
    }
}
