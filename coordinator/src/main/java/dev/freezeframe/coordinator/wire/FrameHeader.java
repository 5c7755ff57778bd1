package dev.freezeframe.coordinator.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 16-byte little-endian header in front of every frame: {@code msg_type u32, length u32, crc32 u32, pad u32}.
 *
 * <p>{@code crc32} is CRC-32 (IEEE 802.3, as {@link java.util.zip.CRC32}) of the payload only; {@code pad} is always 0
 * on the wire, which the assembler uses as one of its plausibility checks. Fields are kept as Java {@code int}s holding
 * the raw u32 bits; use {@link #lengthUnsigned()} for arithmetic on the length.
 *
 * <p>The static {@code read...} methods read one field straight out of a byte array; the assembler uses them per
 * frame so that it does not allocate a header object for every frame it looks at.
 */
public record FrameHeader(int typeCode, int length, int crc32, int pad) {
    public static final int SIZE = 16;

    private static final int TYPE_OFFSET = 0;
    private static final int LENGTH_OFFSET = 4;
    private static final int CRC_OFFSET = 8;
    private static final int PAD_OFFSET = 12;
    private static final VarHandle LE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** A well-formed header for {@code payloadLength} bytes of payload with checksum {@code crc32}. */
    public static FrameHeader of(int typeCode, int payloadLength, int crc32) {
        if (payloadLength < 0) throw new IllegalArgumentException("negative payload length: " + payloadLength);
        return new FrameHeader(typeCode, payloadLength, crc32, 0);
    }

    /** The {@code length} field as the unsigned number it is on the wire. */
    public long lengthUnsigned() {
        return Integer.toUnsignedLong(length);
    }

    public static FrameHeader decode(byte[] src, int offset) {
        return new FrameHeader(readTypeCode(src, offset), readLength(src, offset), readCrc32(src, offset),
                readPad(src, offset));
    }

    /** Decodes the header at the buffer's position and advances it by {@link #SIZE}. */
    public static FrameHeader decode(ByteBuffer src) {
        ByteBuffer le = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        FrameHeader h = new FrameHeader(le.getInt(TYPE_OFFSET), le.getInt(LENGTH_OFFSET), le.getInt(CRC_OFFSET),
                le.getInt(PAD_OFFSET));
        src.position(src.position() + SIZE);
        return h;
    }

    public void encodeTo(byte[] dst, int offset) {
        LE_INT.set(dst, offset + TYPE_OFFSET, typeCode);
        LE_INT.set(dst, offset + LENGTH_OFFSET, length);
        LE_INT.set(dst, offset + CRC_OFFSET, crc32);
        LE_INT.set(dst, offset + PAD_OFFSET, pad);
    }

    public byte[] encode() {
        byte[] out = new byte[SIZE];
        encodeTo(out, 0);
        return out;
    }

    static int readTypeCode(byte[] src, int headerOffset) {
        return (int) LE_INT.get(src, headerOffset + TYPE_OFFSET);
    }

    static int readLength(byte[] src, int headerOffset) {
        return (int) LE_INT.get(src, headerOffset + LENGTH_OFFSET);
    }

    static int readCrc32(byte[] src, int headerOffset) {
        return (int) LE_INT.get(src, headerOffset + CRC_OFFSET);
    }

    static int readPad(byte[] src, int headerOffset) {
        return (int) LE_INT.get(src, headerOffset + PAD_OFFSET);
    }

    @Override
    public String toString() {
        return "FrameHeader[type=0x%08x, length=%d, crc32=0x%08x, pad=0x%08x]"
                .formatted(typeCode, lengthUnsigned(), crc32, pad);
    }
}
