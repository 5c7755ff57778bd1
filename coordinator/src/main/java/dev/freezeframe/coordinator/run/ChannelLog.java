package dev.freezeframe.coordinator.run;

import java.util.Arrays;

/**
 * Every byte a forkable run's guest sent over the data channel, in order. A fork replays the bytes up to its snapshot
 * into its own fold (silently), so it starts knowing what the parent knew at that instant: the guest's symbols and
 * kernel types, the scheduler's phase, the scenario step. Bounded: past {@link #CAP} bytes the log stops and the run's
 * later snapshots cannot be forked (said where they are taken).
 */
final class ChannelLog {
    static final int CAP = 128 << 20;
    private byte[] bytes = new byte[1 << 20];
    private int size;
    private boolean overflowed;

    synchronized void append(byte[] chunk, int offset, int length) {
        if (overflowed) return;
        if ((long) size + length > CAP) {
            overflowed = true;
            return;
        }
        if (size + length > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(size + length, bytes.length * 2));
        System.arraycopy(chunk, offset, bytes, size, length);
        size += length;
    }

    synchronized long size() {
        return overflowed ? -1 : size;
    }

    /** The first {@code length} bytes (the log only grows, so a prefix read later is what it was then). */
    synchronized byte[] prefix(long length) {
        return Arrays.copyOf(bytes, (int) length);
    }
}
