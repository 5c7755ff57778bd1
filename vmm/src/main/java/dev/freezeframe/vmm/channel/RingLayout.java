package dev.freezeframe.vmm.channel;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Byte layout of the shared-memory data channel, shared with the guest side in
 * {@code vmm/src/main/c/agent/ffchan.h} (keep the two in step; a test checks them against each other).
 *
 * <pre>
 * window offset  size  field          written by
 * 0x000          8     magic "FFCHAN01" host (before boot)
 * 0x008          4     version = 1      host
 * 0x00C          4     header bytes     host (= 0x1000)
 * 0x010          4     g2h offset       host   guest → host ring, from the window start
 * 0x014          4     g2h size         host   power of two
 * 0x018          4     h2g offset       host   host → guest ring
 * 0x01C          4     h2g size         host   power of two
 * 0x020          4     guest state      guest  0 = not attached, 1 = attached
 * 0x040          8     g2h head         guest  bytes ever produced (free-running; index = head & (size-1))
 * 0x080          8     g2h tail         host   bytes ever consumed
 * 0x0C0          8     h2g head         host
 * 0x100          8     h2g tail         guest
 * </pre>
 *
 * Each index sits on its own 64-byte line so producer and consumer do not share a cache line. Ordering: a producer
 * copies data, then publishes its head with a release store; a consumer reads the head with an acquire load, copies, then
 * publishes its tail with a release store. All fields are little-endian. Each side keeps its own index privately and only
 * ever trusts the peer's index after checking {@code 0 <= head - tail <= size}.
 */
public final class RingLayout {

    public static final long MAGIC = 0x3130_4E41_4843_4646L; // "FFCHAN01" read as a little-endian u64
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 0x1000;

    public static final long OFF_MAGIC = 0x000;
    public static final long OFF_VERSION = 0x008;
    public static final long OFF_HEADER_BYTES = 0x00C;
    public static final long OFF_G2H_OFFSET = 0x010;
    public static final long OFF_G2H_SIZE = 0x014;
    public static final long OFF_H2G_OFFSET = 0x018;
    public static final long OFF_H2G_SIZE = 0x01C;
    public static final long OFF_GUEST_STATE = 0x020;
    public static final long OFF_G2H_HEAD = 0x040;
    public static final long OFF_G2H_TAIL = 0x080;
    public static final long OFF_H2G_HEAD = 0x0C0;
    public static final long OFF_H2G_TAIL = 0x100;

    public static final int GUEST_ATTACHED = 1;

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Acquire/release access to the shared indices; coordinates (segment, offset). */
    static final VarHandle U64_HANDLE = U64.varHandle();
    static final VarHandle U32_HANDLE = U32.varHandle();

    /** Ring sizes for a window; the guest → host ring gets the larger share because that is where the traffic is. */
    public record Sizes(int g2hBytes, int h2gBytes) {
        public static Sizes forWindow(long windowBytes) {
            long usable = windowBytes - HEADER_BYTES;
            long g2h = Long.highestOneBit(usable * 2 / 3);
            long h2g = Long.highestOneBit(usable - g2h);
            if (h2g < 4096 || g2h > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("window of " + windowBytes + " bytes is too small or too large");
            }
            return new Sizes((int) g2h, (int) h2g);
        }

        public int g2hOffset() {
            return HEADER_BYTES;
        }

        public int h2gOffset() {
            return HEADER_BYTES + g2hBytes;
        }
    }

    private RingLayout() {
    }

    /**
     * Writes a fresh header into {@code window} (the host does this before the guest boots): magic last, so a reader that
     * sees the magic sees a complete header.
     */
    public static Sizes initialize(MemorySegment window) {
        Sizes sizes = Sizes.forWindow(window.byteSize());
        window.asSlice(0, HEADER_BYTES).fill((byte) 0);
        window.set(U32, OFF_VERSION, VERSION);
        window.set(U32, OFF_HEADER_BYTES, HEADER_BYTES);
        window.set(U32, OFF_G2H_OFFSET, sizes.g2hOffset());
        window.set(U32, OFF_G2H_SIZE, sizes.g2hBytes());
        window.set(U32, OFF_H2G_OFFSET, sizes.h2gOffset());
        window.set(U32, OFF_H2G_SIZE, sizes.h2gBytes());
        U64_HANDLE.setRelease(window, OFF_MAGIC, MAGIC);
        return sizes;
    }
}
