package dev.freezeframe.vmm.channel;

import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The host end of the shared-memory data channel (layout in {@link RingLayout}). It works on a slice of the mapped guest
 * RAM, so it needs nothing from the VMM beyond the mapping. The backend calls {@link #guestGone()} when the VM ends:
 * readers then drain what is left and see end-of-stream; writers fail.
 */
public final class SharedMemoryDataChannel implements DataChannel {

    private final MemorySegment window;
    private final RingConsumer fromGuestRing;
    private final RingProducer toGuestRing;
    private final InputStream input = new FromGuest();
    private final OutputStream output = new ToGuest();
    private volatile boolean guestGone;

    /**
     * Attaches to a window whose header was written by {@link RingLayout#initialize} (by this process before boot).
     *
     * @param window the channel window inside mapped guest RAM, writable
     */
    public SharedMemoryDataChannel(MemorySegment window) {
        this.window = Objects.requireNonNull(window);
        long magic = (long) RingLayout.U64_HANDLE.getAcquire(window, RingLayout.OFF_MAGIC);
        if (magic != RingLayout.MAGIC) {
            throw new IllegalStateException("channel window has no header; call RingLayout.initialize first");
        }
        // The sizes are re-derived, not read back: the header is guest-writable, and the host must not trust it.
        RingLayout.Sizes sizes = RingLayout.Sizes.forWindow(window.byteSize());
        fromGuestRing = new RingConsumer(window, sizes.g2hOffset(), sizes.g2hBytes(),
                RingLayout.OFF_G2H_HEAD, RingLayout.OFF_G2H_TAIL);
        toGuestRing = new RingProducer(window, sizes.h2gOffset(), sizes.h2gBytes(),
                RingLayout.OFF_H2G_HEAD, RingLayout.OFF_H2G_TAIL);
    }

    /** Called by the backend once the guest can no longer produce or consume (the VM has exited). */
    public void guestGone() {
        guestGone = true;
    }

    @Override
    public InputStream fromGuest() {
        return input;
    }

    @Override
    public OutputStream toGuest() {
        return output;
    }

    @Override
    public boolean guestAttached() {
        return !guestGone
                && (int) RingLayout.U32_HANDLE.getAcquire(window, RingLayout.OFF_GUEST_STATE) == RingLayout.GUEST_ATTACHED;
    }

    private boolean guestStateAttached() {
        return onMapping(() -> (int) RingLayout.U32_HANDLE.getAcquire(window, RingLayout.OFF_GUEST_STATE)
                == RingLayout.GUEST_ATTACHED);
    }

    @Override
    public synchronized long bytesFromGuest() {
        return fromGuestRing.consumed();
    }

    @Override
    public long bytesToGuest() {
        synchronized (output) {
            return toGuestRing.produced();
        }
    }

    private final class FromGuest extends InputStream {
        /**
         * Until the agent attaches (it does so just before its first frame) nothing can arrive: through a whole boot a
         * 1 ms poll would wake a thread a thousand times a second on cores the booting guest needs, so it looks this
         * rarely instead. SYS_RDY is seen at most this much later.
         */
        static final long UNATTACHED_PARK_NANOS = 10_000_000;
        private final PollingBackoff backoff = new PollingBackoff();
        private boolean attachSeen;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            backoff.reset();
            while (true) {
                // Check "gone" before reading: bytes published before the VM ended are still drained below.
                boolean finalPass = guestGone;
                int n;
                synchronized (SharedMemoryDataChannel.this) {
                    n = onMapping(() -> fromGuestRing.read(b, off, len));
                }
                if (n > 0) {
                    return n;
                }
                if (finalPass) {
                    return -1;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for data from the guest");
                }
                if (attachSeen || (attachSeen = guestStateAttached())) {
                    backoff.pause();
                } else {
                    LockSupport.parkNanos(UNATTACHED_PARK_NANOS);
                }
            }
        }

        @Override
        public int available() {
            synchronized (SharedMemoryDataChannel.this) {
                return (int) Math.min(Integer.MAX_VALUE, onMapping(fromGuestRing::available));
            }
        }
    }

    private final class ToGuest extends OutputStream {
        private final PollingBackoff backoff = new PollingBackoff();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            int done = 0;
            backoff.reset();
            while (done < len) {
                if (guestGone) {
                    throw new VmmException(VmmException.Kind.VM_GONE,
                            "The VM has ended; data for the guest can no longer be delivered.");
                }
                int at = done;
                int n = onMapping(() -> toGuestRing.write(b, off + at, len - at));
                if (n > 0) {
                    done += n;
                    backoff.reset();
                } else {
                    if (Thread.interrupted()) {
                        throw new InterruptedIOException("interrupted while waiting for the guest to read");
                    }
                    backoff.pause();
                }
            }
        }
    }

    /** Runs a ring access; the mapping may have been released under us when the VM was closed. */
    private static <T> T onMapping(Supplier<T> access) {
        try {
            return access.get();
        } catch (IllegalStateException closed) {
            throw new VmmException(VmmException.Kind.VM_GONE, "The VM is closed; its data channel is gone.", closed);
        }
    }
}
