package dev.freezeframe.persistence;

import java.nio.ByteBuffer;

/** LEB128 unsigned varints, as the archive's blobs (event blocks, pyramid tiles) store integers. */
final class Varint {
    private Varint() {
    }

    /** Reads one varint; throws {@link IllegalArgumentException} for one longer than 64 bits. */
    static long read(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalArgumentException("varint too long");
    }
}
