package dev.freezeframe.vmm;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The byte stream between the host and the guest agent, both directions. It carries bytes only; framing and checksums
 * belong to the wire protocol on top. The guest is untrusted: a guest that breaks the transport's rules makes reads and
 * writes fail with {@link VmmException.Kind#CHANNEL_CORRUPT}, never with garbage lengths.
 */
public interface DataChannel {

    /**
     * Guest → host bytes. {@code read} blocks until at least one byte is available; after the VM has ended it returns the
     * bytes still buffered and then -1. One reader thread at a time.
     */
    InputStream fromGuest();

    /**
     * Host → guest bytes. {@code write} blocks while the guest has not consumed enough; after the VM has ended it fails
     * with {@link VmmException.Kind#VM_GONE}. One writer thread at a time.
     */
    OutputStream toGuest();

    /** Whether the guest side has opened its end (so the host knows someone is listening). */
    boolean guestAttached();

    /** Total guest → host bytes consumed by the host so far. */
    long bytesFromGuest();

    /** Total host → guest bytes written so far. */
    long bytesToGuest();
}
