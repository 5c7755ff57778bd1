package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import java.util.Arrays;

/**
 * The seqs (ascending) and lanes of the events that match a filter: a filtered view's rows, fetched by index with
 * {@link EventQueries#events(long, EventRefs, int, int)}. Immutable; a live view appends what newer batches match.
 */
public final class EventRefs {
    public static final EventRefs EMPTY = new EventRefs(new long[0], new byte[0], 0);
    private static final Lane[] LANES = Lane.values();

    private final long[] seqs;
    private final byte[] lanes;
    private final int size;

    EventRefs(long[] seqs, byte[] lanes, int size) {
        this.seqs = seqs;
        this.lanes = lanes;
        this.size = size;
    }

    public int size() {
        return size;
    }

    public long seq(int i) {
        return seqs[checked(i)];
    }

    public Lane lane(int i) {
        return LANES[lanes[checked(i)]];
    }

    /** The highest seq, or -1 when empty. */
    public long lastSeq() {
        return size == 0 ? -1 : seqs[size - 1];
    }

    /** The index of the last ref whose seq is at most {@code seq}, or -1 when every ref comes after it. */
    public int indexAtOrBefore(long seq) {
        int i = Arrays.binarySearch(seqs, 0, size, seq);
        return i >= 0 ? i : -i - 2;
    }

    /** These refs followed by {@code later} (whose seqs must all be higher). */
    public EventRefs append(EventRefs later) {
        if (later.size == 0) return this;
        if (size == 0) return later;
        if (later.seqs[0] <= lastSeq()) throw new IllegalArgumentException("appended refs must come later");
        long[] s = Arrays.copyOf(seqs, size + later.size);
        byte[] l = Arrays.copyOf(lanes, size + later.size);
        System.arraycopy(later.seqs, 0, s, size, later.size);
        System.arraycopy(later.lanes, 0, l, size, later.size);
        return new EventRefs(s, l, s.length);
    }

    private int checked(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i + " of " + size);
        return i;
    }
}
