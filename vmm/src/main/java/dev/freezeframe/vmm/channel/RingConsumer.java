package dev.freezeframe.vmm.channel;

import dev.freezeframe.vmm.VmmException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The consuming end of one ring in the window (the host's end of guest → host). Keeps its tail privately; trusts the
 * producer's head only after checking it against the ring size. Not thread-safe: one consumer.
 */
final class RingConsumer {

    private final MemorySegment window;
    private final MemorySegment ring;
    private final long headOffset;
    private final long tailOffset;
    private final long mask;
    private long tail;

    RingConsumer(MemorySegment window, long ringOffset, int ringBytes, long headOffset, long tailOffset) {
        this.window = window;
        this.ring = window.asSlice(ringOffset, ringBytes);
        this.headOffset = headOffset;
        this.tailOffset = tailOffset;
        this.mask = ringBytes - 1;
        this.tail = (long) RingLayout.U64_HANDLE.getAcquire(window, tailOffset);
    }

    /** Bytes the producer has published and we have not consumed yet. */
    long available() {
        long head = (long) RingLayout.U64_HANDLE.getAcquire(window, headOffset);
        long used = head - tail;
        if (Long.compareUnsigned(used, ring.byteSize()) > 0) {
            throw new VmmException(VmmException.Kind.CHANNEL_CORRUPT, "The guest corrupted the data channel (it claims "
                    + Long.toUnsignedString(used) + " unread bytes in a ring of " + ring.byteSize()
                    + "); the run cannot trust further data from it.");
        }
        return used;
    }

    /** Copies up to {@code length} available bytes into {@code target}; returns how many (0 when none). */
    int read(byte[] target, int offset, int length) {
        int count = (int) Math.min(length, available());
        if (count == 0) {
            return 0;
        }
        int start = (int) (tail & mask);
        int first = (int) Math.min(count, ring.byteSize() - start);
        MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, start, target, offset, first);
        if (count > first) {
            MemorySegment.copy(ring, ValueLayout.JAVA_BYTE, 0, target, offset + first, count - first);
        }
        tail += count;
        RingLayout.U64_HANDLE.setRelease(window, tailOffset, tail);
        return count;
    }

    long consumed() {
        return tail;
    }
}
