package dev.freezeframe.coordinator.wire;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Turns a byte stream from the (untrusted) guest into {@link Frame}s, however the stream is cut into reads.
 *
 * <h2>Rules</h2>
 * At each position the assembler looks at 16 bytes as a header. It is <em>plausible</em> when {@code pad == 0},
 * {@code length <= maxPayload} and the type code is not 0 (0 is what zero-filled memory reads as). Once the payload
 * is there:
 * <ol>
 *   <li><b>Good frame</b> — CRC matches: handed out with {@code crcOk == true} and consumed. The assembler is now
 *       <em>in sync</em>. An unknown type code qualifies only in sync (at stream start or right after a good frame)
 *       and only with a non-empty payload, since CRC-32 of nothing is 0 and proves nothing; out of sync the type must
 *       be a known {@link MessageType}.</li>
 *   <li><b>Bad frame</b> — known type, CRC mismatch: handed out with {@code crcOk == false} (a CRC mismatch does not
 *       stop parsing) but <em>not consumed</em>: its length field is as suspect as its payload, so scanning resumes one
 *       byte after its start. A length corrupted into another plausible value therefore cannot swallow the good frames
 *       it covers.</li>
 *   <li><b>Anything else</b> — implausible header (an oversize length is counted as such), unknown type out of sync,
 *       unknown type with a CRC mismatch or no payload: one byte is counted as garbage and the assembler is <em>out of
 *       sync</em>.</li>
 * </ol>
 *
 * <h2>Resync rule</h2>
 * Out of sync, every byte offset is tried in turn, and the first good frame of a known type ends the scan (rule 1).
 * The CRC confirmation is what makes the scan safe: a chance match in garbage fails it (odds 2<sup>-32</sup>, after
 * the type and pad already had to match 2<sup>-64</sup>-ish odds thanks to the "FF" code prefix), so the scan can
 * neither swallow the good frames behind garbage nor surface a phantom good frame.
 *
 * <h2>Rescan budget</h2>
 * Rescanning after a failed CRC check re-examines bytes, and a crafted stream (a plausible header every 16 bytes,
 * each announcing a large payload with a wrong CRC) would make that quadratic. So failed checks draw on a budget of
 * {@value #RESCAN_BUDGET_PER_BYTE} bytes per byte received plus two maximum frames; while it is exhausted, a frame
 * that fails its check is consumed whole instead of rescanned (ktstr's behaviour), which keeps the total work linear
 * in the input. Honest streams with occasional damage never get near it; {@link AssemblerStats#budgetExhaustions()}
 * counts the times it ran out.
 *
 * <h2>Bounds and costs</h2>
 * Memory is bounded by one maximum frame ({@value FrameHeader#SIZE} + maxPayload bytes) plus the read chunk size; a
 * header announcing more is never waited for. The cost: a plausible header (e.g. one whose length was corrupted) is
 * waited for until its announced payload has arrived, and later frames wait behind it; {@link #finish()} at end of
 * stream settles such a header as garbage and rescans the bytes behind it.
 *
 * <p>Accounting: every byte pushed in is eventually part of exactly one good frame or counted as garbage (bad frames
 * are reports about bytes, not owners of them), see {@link AssemblerStats}. No exception escapes {@code push} or
 * {@code finish} for any input (only those thrown by the caller's sink). Not thread-safe: one reader thread owns an
 * assembler.
 */
public final class FrameAssembler {
    /** The default maximum payload: 1 MiB, far above any message of the dialogue. */
    public static final int DEFAULT_MAX_PAYLOAD = 1 << 20;
    /** Upper bound on what a caller may configure, so a frame always fits a Java array. */
    public static final int MAX_PAYLOAD_LIMIT = 64 << 20;

    private static final int INITIAL_CAPACITY = 64 * 1024;
    /** Bytes of failed CRC checks allowed per byte received. */
    static final int RESCAN_BUDGET_PER_BYTE = 4;

    private final int maxPayload;
    private final CRC32 crc = new CRC32();
    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int start;
    private int end;
    private boolean inSync = true;
    private long rescanBudget;

    private long bytesIn;
    private long frames;
    private long frameBytes;
    private long crcFailures;
    private long garbageBytes;
    private long oversizeHeaders;
    private long resyncs;
    private long checkedBytes;
    private long budgetExhaustions;

    public FrameAssembler() {
        this(DEFAULT_MAX_PAYLOAD);
    }

    public FrameAssembler(int maxPayload) {
        if (maxPayload < 0 || maxPayload > MAX_PAYLOAD_LIMIT) {
            throw new IllegalArgumentException("maxPayload must be in [0, " + MAX_PAYLOAD_LIMIT + "]: " + maxPayload);
        }
        this.maxPayload = maxPayload;
        this.rescanBudget = 2L * (FrameHeader.SIZE + maxPayload);
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** Consumes all remaining bytes of {@code chunk} and returns the frames they completed. */
    public List<Frame> push(ByteBuffer chunk) {
        List<Frame> out = new ArrayList<>();
        push(chunk, out::add);
        return out;
    }

    public List<Frame> push(byte[] chunk) {
        return push(ByteBuffer.wrap(chunk));
    }

    public List<Frame> push(byte[] chunk, int offset, int length) {
        return push(ByteBuffer.wrap(chunk, offset, length));
    }

    /** Consumes all remaining bytes of {@code chunk}, handing each completed frame to {@code sink} in stream order. */
    public void push(ByteBuffer chunk, Consumer<? super Frame> sink) {
        while (chunk.hasRemaining()) {
            makeRoom();
            int n = Math.min(chunk.remaining(), buf.length - end);
            chunk.get(buf, end, n);
            end += n;
            bytesIn += n;
            rescanBudget = Math.min(rescanBudget + (long) RESCAN_BUDGET_PER_BYTE * n, Long.MAX_VALUE / 2);
            drain(sink, false);
        }
    }

    /**
     * The stream has ended: no more bytes will come. A frame still waiting for bytes can never complete, so its header
     * is garbage, and the bytes behind it are rescanned for frames, which are returned. Afterwards nothing is pending
     * and the assembler is ready for a new stream.
     */
    public List<Frame> finish() {
        List<Frame> out = new ArrayList<>();
        drain(out::add, true);
        start = 0;
        end = 0;
        inSync = true;
        return out;
    }

    /** Bytes held for a frame that is not complete yet. */
    public int pendingBytes() {
        return end - start;
    }

    public AssemblerStats stats() {
        return new AssemblerStats(bytesIn, frames, frameBytes, crcFailures, garbageBytes, oversizeHeaders, resyncs,
                checkedBytes, budgetExhaustions, pendingBytes());
    }

    private void drain(Consumer<? super Frame> sink, boolean endOfStream) {
        while (true) {
            int available = end - start;
            if (available < FrameHeader.SIZE) {
                if (endOfStream && available > 0) skipGarbage(available);
                return;
            }
            int typeCode = FrameHeader.readTypeCode(buf, start);
            long length = Integer.toUnsignedLong(FrameHeader.readLength(buf, start));
            boolean known = MessageType.isKnownCode(typeCode);
            boolean padOk = FrameHeader.readPad(buf, start) == 0;
            // Code 0 is never a frame: it is what zero-filled memory reads as, and an all-zero header would
            // otherwise pass as an empty unknown frame (CRC-32 of nothing is 0).
            boolean typeOk = typeCode != 0 && (inSync || known);
            if (!padOk || !typeOk || length > maxPayload) {
                if (padOk && typeOk) oversizeHeaders++;
                skipGarbage(1);
                continue;
            }
            int total = FrameHeader.SIZE + (int) length;
            if (available < total) {
                if (!endOfStream) return;
                skipGarbage(1);
                continue;
            }
            int declaredCrc = FrameHeader.readCrc32(buf, start);
            crc.reset();
            crc.update(buf, start + FrameHeader.SIZE, (int) length);
            boolean crcOk = (int) crc.getValue() == declaredCrc;
            checkedBytes += length;
            // An unknown type must prove itself with its CRC, and the CRC of an empty payload (0) proves nothing:
            // garbage followed by zeros would otherwise read as an empty unknown frame.
            boolean provesNothing = !known && (!crcOk || length == 0);
            // After a failed check, rescan from the next byte while the budget allows, else skip what was checked.
            int afterFailure = 1;
            if (!crcOk) {
                if (rescanBudget < length) {
                    budgetExhaustions++;
                    afterFailure = total;
                }
                rescanBudget -= length;
            }
            if (provesNothing) {
                skipGarbage(afterFailure);
                continue;
            }
            byte[] payload = new byte[(int) length];
            System.arraycopy(buf, start + FrameHeader.SIZE, payload, 0, payload.length);
            frames++;
            if (crcOk) {
                start += total;
                inSync = true;
                frameBytes += total;
            } else {
                crcFailures++;
                skipGarbage(afterFailure); // surfaced but not trusted: rescan what its length claimed
            }
            sink.accept(Frame.adopt(typeCode, payload, declaredCrc, crcOk));
        }
    }

    private void skipGarbage(int n) {
        start += n;
        garbageBytes += n;
        if (inSync) {
            inSync = false;
            resyncs++;
        }
    }

    /**
     * Makes room at the end of the buffer: first by moving pending bytes to the front, and only when a pending frame
     * needs more than the whole buffer, by growing it — never beyond one maximum frame, since longer headers are
     * rejected before they are waited for.
     */
    private void makeRoom() {
        if (end < buf.length) return;
        int pending = end - start;
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, pending);
            start = 0;
            end = pending;
            return;
        }
        int needed = Math.max(pending + 1, FrameHeader.SIZE + pendingFrameLength());
        int capacity = (int) Math.min((long) FrameHeader.SIZE + maxPayload, Math.max(needed, 2L * buf.length));
        byte[] bigger = new byte[Math.max(capacity, needed)];
        System.arraycopy(buf, start, bigger, 0, pending);
        buf = bigger;
        start = 0;
        end = pending;
    }

    /** Payload length announced by the pending header; only called when the buffer holds an accepted header. */
    private int pendingFrameLength() {
        if (end - start < FrameHeader.SIZE) return 0;
        return FrameHeader.readLength(buf, start);
    }
}
