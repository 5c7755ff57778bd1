package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The storage format of a block of events: up to {@link #MAX_EVENTS} events of one lane of one run, written as one
 * {@code event_blocks} row. Storing blocks instead of a row per event is what lets ingest outrun a plain row insert
 * (issue 7); the columns beside the blob (seq and time range, count) let queries pick blocks without decoding them.
 *
 * <p>Layout: a format byte (1), {@code varint count}, then per event {@code zigzag seq delta}, {@code zigzag at_ns
 * delta} (both from the previous event, the first from 0), {@code varint kind} (0 = a new kind follows as a string,
 * n = the n-th kind seen in this block), a flags byte (1 text, 2 value, 4 detail), then the text ({@code varint length,
 * UTF-8}), the value (f64, little-endian) and the detail JSON (as the text), each only when flagged.
 */
final class EventBlock {
    static final int MAX_EVENTS = 4096;
    private static final byte FORMAT = 1;
    private static final int HAS_TEXT = 1;
    private static final int HAS_VALUE = 2;
    private static final int HAS_DETAIL = 4;

    private EventBlock() {
    }

    /** Encodes {@code events} (all of one lane), reusing {@code out} as scratch space. */
    static byte[] encode(List<RunEvent> events, Sink out) {
        out.reset();
        out.writeByte(FORMAT);
        out.writeVarint(events.size());
        List<String> kinds = new ArrayList<>(4);
        long prevSeq = 0;
        long prevAt = 0;
        for (RunEvent e : events) {
            out.writeVarint(zigzag(e.seq() - prevSeq));
            out.writeVarint(zigzag(e.atNanos() - prevAt));
            prevSeq = e.seq();
            prevAt = e.atNanos();
            int kind = kinds.indexOf(e.kind());
            if (kind < 0) {
                out.writeVarint(0);
                out.writeString(e.kind());
                kinds.add(e.kind());
            } else {
                out.writeVarint(kind + 1);
            }
            boolean text = !e.text().isEmpty();
            int flags = (text ? HAS_TEXT : 0) | (e.value() != null ? HAS_VALUE : 0)
                    | (e.detailJson() != null ? HAS_DETAIL : 0);
            out.writeByte(flags);
            if (text) out.writeString(e.text());
            if (e.value() != null) out.writeDouble(e.value());
            if (e.detailJson() != null) out.writeString(e.detailJson());
        }
        return out.toByteArray();
    }

    /** Decodes a block of {@code lane}; a damaged block is reported as an {@link ArchiveException}. */
    static List<RunEvent> decode(byte[] data, Lane lane) {
        Reader r = new Reader(data);
        List<RunEvent> events = new ArrayList<>(r.count);
        while (r.next(true)) {
            try {
                events.add(new RunEvent(r.seq, r.at, lane, r.kind, r.text, r.hasValue ? r.value : null, r.detail));
            } catch (IllegalArgumentException e) {
                throw damaged("an event holds impossible values: " + e.getMessage());
            }
        }
        return events;
    }

    /** Receives the timing and numeric part of each event of a block, for aggregation. */
    interface TimedSink {
        /** {@code value} is NaN when the event has none (callers ignore non-finite values alike). */
        void accept(long seq, long atNanos, String kind, boolean hasValue, double value);
    }

    /**
     * Streams seq, time, kind and value of every event in a block without building its texts: the timeline's fine
     * zoom levels aggregate thousands of events per query, and decoding their strings would be most of the cost.
     */
    static void scan(byte[] data, TimedSink sink) {
        Reader r = new Reader(data);
        while (r.next(false)) sink.accept(r.seq, r.at, r.kind, r.hasValue, r.value);
    }

    /** Walks a block event by event, reading or skipping the texts; damage is an {@link ArchiveException}. */
    private static final class Reader {
        private final ByteBuffer in;
        private final List<String> kinds = new ArrayList<>(4);
        final int count;
        private int read;
        long seq;
        long at;
        String kind;
        String text;
        boolean hasValue;
        double value;
        String detail;

        Reader(byte[] data) {
            in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            try {
                if (in.get() != FORMAT) throw damaged("unknown block format");
                long n = Varint.read(in);
                if (n < 0 || n > MAX_EVENTS) throw damaged("impossible event count " + n);
                count = (int) n;
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw damaged("it ends early or holds impossible values");
            }
        }

        /** Moves to the next event; false after the last. Texts are null when {@code withTexts} is false. */
        boolean next(boolean withTexts) {
            try {
                if (read == count) {
                    if (in.hasRemaining()) throw damaged(in.remaining() + " stray bytes after the last event");
                    return false;
                }
                read++;
                seq += unzigzag(Varint.read(in));
                at += unzigzag(Varint.read(in));
                long kindRef = Varint.read(in);
                if (kindRef == 0) {
                    kind = readString(in);
                    kinds.add(kind);
                } else if (kindRef <= kinds.size()) {
                    kind = kinds.get((int) kindRef - 1);
                } else {
                    throw damaged("unknown kind reference " + kindRef);
                }
                int flags = in.get();
                text = (flags & HAS_TEXT) != 0 ? string(withTexts) : "";
                hasValue = (flags & HAS_VALUE) != 0;
                value = hasValue ? in.getDouble() : Double.NaN;
                detail = (flags & HAS_DETAIL) != 0 ? string(withTexts) : null;
                return true;
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw damaged("it ends early or holds impossible values");
            }
        }

        private String string(boolean decode) {
            if (decode) return readString(in);
            int length = stringLength(in);
            in.position(in.position() + length);
            return null;
        }
    }

    private static ArchiveException damaged(String why) {
        return new ArchiveException("A block of stored events is damaged (" + why + "); the archive may be corrupt.");
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static String readString(ByteBuffer in) {
        int length = stringLength(in);
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static int stringLength(ByteBuffer in) {
        long length = Varint.read(in);
        if (length < 0 || length > in.remaining()) throw new IllegalArgumentException("string runs past the block");
        return (int) length;
    }

    /** A growable byte buffer, reused across blocks by one writer. */
    static final class Sink {
        private byte[] bytes = new byte[1 << 16];
        private int size;

        void reset() {
            size = 0;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }

        void writeByte(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void writeVarint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[size++] = (byte) v;
        }

        void writeDouble(double d) {
            ensure(8);
            long bits = Double.doubleToRawLongBits(d);
            for (int i = 0; i < 8; i++) bytes[size++] = (byte) (bits >>> (8 * i));
        }

        void writeString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeVarint(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
