package dev.freezeframe.snapshots;

import java.util.Objects;

/** A value the user asked to watch: its kernel address, how it is named ({@code scx_qmap.bss:nr_enqueued}), its size. */
public record WatchTarget(long address, String label, int size) {
    public WatchTarget {
        Objects.requireNonNull(label, "label");
        if (size <= 0) throw new IllegalArgumentException("a watched value has at least one byte, not " + size);
    }
}
