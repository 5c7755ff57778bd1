package dev.freezeframe.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One tile of the level-of-detail pyramid: {@link #SIZE} consecutive buckets of one track (a lane's counts, or one
 * numeric series) at one level. Stored sparsely: a format byte (1 = counts, 2 = series) then, per non-empty bucket,
 * {@code offset u8, count varint} and for series {@code min f64, max f64, last f64, lastSeq varint}.
 */
final class LodTile {
    static final int SHIFT = 8;
    static final int SIZE = 1 << SHIFT;
    private static final byte COUNTS = 1;
    private static final byte SERIES = 2;

    final boolean series;
    final long[] count = new long[SIZE];
    final double[] min;
    final double[] max;
    final double[] last;
    final long[] lastSeq;

    LodTile(boolean series) {
        this.series = series;
        this.min = series ? new double[SIZE] : null;
        this.max = series ? new double[SIZE] : null;
        this.last = series ? new double[SIZE] : null;
        this.lastSeq = series ? new long[SIZE] : null;
    }

    void clear() {
        java.util.Arrays.fill(count, 0);
    }

    void addInstant(int slot) {
        count[slot]++;
    }

    void addValue(int slot, double v, long seq) {
        if (count[slot] == 0) {
            min[slot] = v;
            max[slot] = v;
            last[slot] = v;
            lastSeq[slot] = seq;
        } else {
            if (v < min[slot]) min[slot] = v;
            if (v > max[slot]) max[slot] = v;
            if (seq >= lastSeq[slot]) {
                last[slot] = v;
                lastSeq[slot] = seq;
            }
        }
        count[slot]++;
    }

    /** Merges a stored tile into this one (used when a late event reopens an earlier tile). */
    void mergeFrom(LodTile other) {
        for (int i = 0; i < SIZE; i++) {
            if (other.count[i] == 0) continue;
            if (!series) {
                count[i] += other.count[i];
            } else if (count[i] == 0) {
                count[i] = other.count[i];
                min[i] = other.min[i];
                max[i] = other.max[i];
                last[i] = other.last[i];
                lastSeq[i] = other.lastSeq[i];
            } else {
                count[i] += other.count[i];
                min[i] = Math.min(min[i], other.min[i]);
                max[i] = Math.max(max[i], other.max[i]);
                if (other.lastSeq[i] > lastSeq[i]) {
                    last[i] = other.last[i];
                    lastSeq[i] = other.lastSeq[i];
                }
            }
        }
    }

    byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(series ? 512 : 128);
        out.write(series ? SERIES : COUNTS);
        byte[] d = new byte[8];
        ByteBuffer doubles = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SIZE; i++) {
            if (count[i] == 0) continue;
            out.write(i);
            writeVarint(out, count[i]);
            if (series) {
                doubles.putDouble(0, min[i]);
                out.write(d, 0, 8);
                doubles.putDouble(0, max[i]);
                out.write(d, 0, 8);
                doubles.putDouble(0, last[i]);
                out.write(d, 0, 8);
                writeVarint(out, lastSeq[i]);
            }
        }
        return out.toByteArray();
    }

    static LodTile decode(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        byte format = in.get();
        if (format != COUNTS && format != SERIES) throw new IllegalArgumentException("unknown tile format " + format);
        LodTile tile = new LodTile(format == SERIES);
        while (in.hasRemaining()) {
            int slot = in.get() & 0xff;
            tile.count[slot] = readVarint(in);
            if (tile.series) {
                tile.min[slot] = in.getDouble();
                tile.max[slot] = in.getDouble();
                tile.last[slot] = in.getDouble();
                tile.lastSeq[slot] = readVarint(in);
            }
        }
        return tile;
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return v;
        }
        throw new IllegalArgumentException("varint too long");
    }
}
