package dev.freezeframe.vmm.channel;

import dev.freezeframe.vmm.VmmException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The producing end of one ring in the window (the host's end of host → guest). Keeps its head privately; trusts the
 * consumer's tail only after checking it. Not thread-safe: one producer.
 */
final class RingProducer {

    private final MemorySegment window;
    private final MemorySegment ring;
    private final long headOffset;
    private final long tailOffset;
    private final long mask;
    private long head;

    RingProducer(MemorySegment window, long ringOffset, int ringBytes, long headOffset, long tailOffset) {
        this.window = window;
        this.ring = window.asSlice(ringOffset, ringBytes);
        this.headOffset = headOffset;
        this.tailOffset = tailOffset;
        this.mask = ringBytes - 1;
        this.head = (long) RingLayout.U64_HANDLE.getAcquire(window, headOffset);
    }

    /** Bytes we may write now without overtaking the consumer. */
    long free() {
        long tail = (long) RingLayout.U64_HANDLE.getAcquire(window, tailOffset);
        long used = head - tail;
        if (Long.compareUnsigned(used, ring.byteSize()) > 0) {
            throw new VmmException(VmmException.Kind.CHANNEL_CORRUPT, "The guest corrupted the data channel (its read "
                    + "position is outside the ring); the run cannot send it further data.");
        }
        return ring.byteSize() - used;
    }

    /** Copies up to {@code length} bytes from {@code source} as space allows; returns how many (0 when full). */
    int write(byte[] source, int offset, int length) {
        int count = (int) Math.min(length, free());
        if (count == 0) {
            return 0;
        }
        int start = (int) (head & mask);
        int first = (int) Math.min(count, ring.byteSize() - start);
        MemorySegment.copy(source, offset, ring, ValueLayout.JAVA_BYTE, start, first);
        if (count > first) {
            MemorySegment.copy(source, offset + first, ring, ValueLayout.JAVA_BYTE, 0, count - first);
        }
        head += count;
        RingLayout.U64_HANDLE.setRelease(window, headOffset, head);
        return count;
    }

    long produced() {
        return head;
    }
}
