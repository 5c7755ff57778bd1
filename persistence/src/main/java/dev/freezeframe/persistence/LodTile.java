package dev.freezeframe.persistence;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tile of the level-of-detail pyramid: {@code 2^shift} consecutive buckets of one track (a lane's counts, or one
 * numeric series) at one level ({@link Lod#tileShift} makes every tile span at least 4.2 ms, so fine levels do not
 * explode into rows). Stored sparsely: a format byte (1 = counts, 2 = series) then, per non-empty bucket in bucket
 * order, {@code slot varint, count varint} and for series {@code min f64, max f64, last f64, lastSeq varint}
 * (little-endian), where a bucket holding a single sample stores only {@code last} (its min and max are the same). In memory only the touched slots are visited, so a sparse tile costs what it holds.
 */
final class LodTile {
    private static final byte COUNTS = 1;
    private static final byte SERIES = 2;

    final boolean series;
    final long[] count;
    final double[] min;
    final double[] max;
    final double[] last;
    final long[] lastSeq;
    private int[] touched = new int[16];
    private int touchedCount;
    private boolean inOrder = true;

    LodTile(boolean series, int size) {
        this.series = series;
        this.count = new long[size];
        this.min = series ? new double[size] : null;
        this.max = series ? new double[size] : null;
        this.last = series ? new double[size] : null;
        this.lastSeq = series ? new long[size] : null;
    }

    int size() {
        return count.length;
    }

    void clear() {
        for (int i = 0; i < touchedCount; i++) count[touched[i]] = 0;
        touchedCount = 0;
        inOrder = true;
    }

    private void touch(int slot) {
        if (touchedCount == touched.length) touched = Arrays.copyOf(touched, touchedCount * 2);
        if (touchedCount > 0 && slot < touched[touchedCount - 1]) inOrder = false;
        touched[touchedCount++] = slot;
    }

    void addInstant(int slot) {
        if (count[slot] == 0) touch(slot);
        count[slot]++;
    }

    void addValue(int slot, double v, long seq) {
        if (count[slot] == 0) {
            touch(slot);
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
    void mergeFrom(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        checkFormat(in.get(), series);
        while (in.hasRemaining()) {
            int slot = (int) Varint.read(in);
            long n = Varint.read(in);
            if (!series) {
                if (count[slot] == 0) touch(slot);
                count[slot] += n;
                continue;
            }
            double mn = n > 1 ? in.getDouble() : Double.NaN;
            double mx = n > 1 ? in.getDouble() : Double.NaN;
            double ls = in.getDouble();
            if (n == 1) {
                mn = ls;
                mx = ls;
            }
            long seq = Varint.read(in);
            if (count[slot] == 0) {
                touch(slot);
                min[slot] = mn;
                max[slot] = mx;
                last[slot] = ls;
                lastSeq[slot] = seq;
            } else {
                min[slot] = Math.min(min[slot], mn);
                max[slot] = Math.max(max[slot], mx);
                if (seq > lastSeq[slot]) {
                    last[slot] = ls;
                    lastSeq[slot] = seq;
                }
            }
            count[slot] += n;
        }
    }

    byte[] encode() {
        if (!inOrder) {
            Arrays.sort(touched, 0, touchedCount);
            inOrder = true;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 + touchedCount * (series ? 30 : 3));
        out.write(series ? SERIES : COUNTS);
        byte[] d = new byte[8];
        ByteBuffer doubles = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        for (int t = 0; t < touchedCount; t++) {
            int i = touched[t];
            writeVarint(out, i);
            writeVarint(out, count[i]);
            if (series) {
                if (count[i] > 1) {
                    doubles.putDouble(0, min[i]);
                    out.write(d, 0, 8);
                    doubles.putDouble(0, max[i]);
                    out.write(d, 0, 8);
                }
                doubles.putDouble(0, last[i]);
                out.write(d, 0, 8);
                writeVarint(out, lastSeq[i]);
            }
        }
        return out.toByteArray();
    }

    /** Receives the non-empty buckets of a tile as {@link #decodeInto} finds them, in bucket order. */
    interface BucketSink {
        void accept(long bucket, long count, double min, double max, double last);
    }

    /**
     * Streams the non-empty buckets of an encoded tile (tile index {@code tile} of {@code 2^shift} buckets) that lie in
     * {@code [b0, b1]} to {@code sink}, without materialising the tile: the viewport query's hot path.
     */
    static void decodeInto(byte[] data, long tile, int shift, long b0, long b1, BucketSink sink) {
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        byte format = in.get();
        boolean isSeries = format == SERIES;
        checkFormat(format, isSeries);
        long base = tile << shift;
        while (in.hasRemaining()) {
            long bucket = base + Varint.read(in);
            long n = Varint.read(in);
            double mn = 0;
            double mx = 0;
            double ls = 0;
            if (isSeries) {
                if (n > 1) {
                    mn = in.getDouble();
                    mx = in.getDouble();
                }
                ls = in.getDouble();
                if (n == 1) {
                    mn = ls;
                    mx = ls;
                }
                Varint.read(in);
            }
            if (bucket >= b0 && bucket <= b1) sink.accept(bucket, n, mn, mx, ls);
        }
    }

    private static void checkFormat(byte format, boolean series) {
        if (format != (series ? SERIES : COUNTS)) throw new IllegalArgumentException("unexpected tile format " + format);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

}
