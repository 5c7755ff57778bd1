package dev.freezeframe.persistence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The framing of a run export: a 16-byte header ({@code FFZEXPRT}, format version u32, CRC32C of the first 12 bytes)
 * then frames {@code [sync "FFR1"][length u32][CRC32C of length+payload u32][payload]}, all big-endian. Payloads are
 * at most {@link #MAX_PAYLOAD} bytes.
 *
 * <p>Reading follows the recovery rules of the seed {@code batpak-segment-recovery-tests}: frames are walked from the
 * header, bounded only by the file length; a frame whose tail would pass the end of the file is no frame. At the first
 * position that does not decode as a CRC-valid frame, the rest of the file is searched for any CRC-valid frame: if
 * one exists the damage is in the middle of the stream and reading <em>fails closed</em>; if none does, the position
 * is a torn tail and everything before it is recovered.
 */
final class RecordStream {
    static final byte[] MAGIC = "FFZEXPRT".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int SYNC = 0x46465231; // "FFR1"
    static final int FRAME_HEADER_BYTES = 12;
    static final int MAX_PAYLOAD = 64 << 20;

    private RecordStream() {
    }

    // ---- writing ----

    static void writeHeader(OutputStream out, int version) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(version);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 12);
        b.putInt((int) crc.getValue());
        out.write(b.array());
    }

    static byte[] frame(byte[] payload) {
        if (payload.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("record of " + payload.length + " bytes exceeds " + MAX_PAYLOAD);
        }
        ByteBuffer b = ByteBuffer.allocate(FRAME_HEADER_BYTES + payload.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(SYNC).putInt(payload.length).putInt(crcOf(payload.length, payload, 0, payload.length));
        b.put(payload);
        return b.array();
    }

    static int crcOf(int length, byte[] payload, int offset, int count) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(length).array());
        crc.update(payload, offset, count);
        return (int) crc.getValue();
    }

    // ---- reading ----

    /** Why the header was refused. */
    enum HeaderProblem { TOO_SHORT, NOT_AN_EXPORT, NEWER_VERSION, DAMAGED }

    static final class HeaderException extends Exception {
        final HeaderProblem problem;
        final int version;

        HeaderException(HeaderProblem problem, int version) {
            super(problem.name());
            this.problem = problem;
            this.version = version;
        }
    }

    /** Checks the header and returns the format version. */
    static int readHeader(FileChannel channel) throws IOException, HeaderException {
        if (channel.size() < HEADER_BYTES) {
            byte[] start = new byte[(int) channel.size()];
            readFully(channel, 0, start);
            int k = Math.min(start.length, MAGIC.length);
            boolean prefix = Arrays.equals(Arrays.copyOf(start, k), Arrays.copyOf(MAGIC, k));
            throw new HeaderException(prefix ? HeaderProblem.TOO_SHORT : HeaderProblem.NOT_AN_EXPORT, 0);
        }
        byte[] header = new byte[HEADER_BYTES];
        readFully(channel, 0, header);
        if (!Arrays.equals(Arrays.copyOf(header, 8), MAGIC)) throw new HeaderException(HeaderProblem.NOT_AN_EXPORT, 0);
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
        int version = b.getInt(8);
        // magic + version are stable across formats: a newer version is refused as such, whatever follows
        if (version > FORMAT_VERSION) throw new HeaderException(HeaderProblem.NEWER_VERSION, version);
        CRC32C crc = new CRC32C();
        crc.update(header, 0, 12);
        if ((int) crc.getValue() != b.getInt(12) || version < 1) {
            throw new HeaderException(HeaderProblem.DAMAGED, version);
        }
        return version;
    }

    /**
     * The payload of the CRC-valid frame starting at {@code at}, or null when no frame starts there (bad sync, length
     * beyond the limit or past {@code fileLen}, or checksum mismatch). Frames ending exactly at {@code fileLen} are
     * frames.
     */
    static byte[] tryFrameAt(FileChannel channel, long at, long fileLen) throws IOException {
        if (fileLen - at < FRAME_HEADER_BYTES) return null;
        byte[] head = new byte[FRAME_HEADER_BYTES];
        readFully(channel, at, head);
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN);
        if (b.getInt(0) != SYNC) return null;
        int length = b.getInt(4);
        if (length < 0 || length > MAX_PAYLOAD) return null;
        if (at + FRAME_HEADER_BYTES + length > fileLen) return null;
        byte[] payload = new byte[length];
        readFully(channel, at + FRAME_HEADER_BYTES, payload);
        if (crcOf(length, payload, 0, length) != b.getInt(8)) return null;
        return payload;
    }

    /**
     * The offset of the first CRC-valid frame starting after {@code from} (exclusive), or -1 when none does: the
     * look-ahead that tells mid-stream damage from a torn tail.
     */
    static long nextValidFrame(FileChannel channel, long from, long fileLen) throws IOException {
        ByteBuffer window = ByteBuffer.allocate(1 << 20).order(ByteOrder.BIG_ENDIAN);
        long base = from + 1;
        while (base + FRAME_HEADER_BYTES <= fileLen) {
            window.clear();
            int n = (int) Math.min(window.capacity(), fileLen - base);
            window.limit(n);
            long pos = base;
            while (window.hasRemaining()) {
                int r = channel.read(window, pos);
                if (r < 0) break;
                pos += r;
            }
            int filled = window.position();
            for (int i = 0; i + 4 <= filled; i++) {
                if (window.getInt(i) == SYNC && tryFrameAt(channel, base + i, fileLen) != null) return base + i;
            }
            if (filled < 4) break;
            base += filled - 3; // overlap so a sync word across the window edge is seen
        }
        return -1;
    }

    static void readFully(FileChannel channel, long at, byte[] into) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into);
        long pos = at;
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) throw new IOException("unexpected end of file at " + pos);
            pos += n;
        }
    }
}
