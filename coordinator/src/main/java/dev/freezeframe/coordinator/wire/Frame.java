package dev.freezeframe.coordinator.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * One complete message as it came off the wire: the raw type code, the payload, and whether the payload matched the
 * header's CRC. Nothing here has been judged yet; that is the {@link Dispatcher}'s job.
 *
 * <p>A class rather than a record because it owns a byte array: the payload is handed out only as a read-only view or
 * a copy, so a frame cannot change after the assembler checked its CRC.
 */
public final class Frame {
    private final int typeCode;
    private final byte[] payload;
    private final int declaredCrc32;
    private final boolean crcOk;

    private Frame(int typeCode, byte[] payload, int declaredCrc32, boolean crcOk) {
        this.typeCode = typeCode;
        this.payload = payload;
        this.declaredCrc32 = declaredCrc32;
        this.crcOk = crcOk;
    }

    /** Takes ownership of {@code payload} without copying; only for code that never touches the array again. */
    static Frame adopt(int typeCode, byte[] payload, int declaredCrc32, boolean crcOk) {
        return new Frame(typeCode, payload, declaredCrc32, crcOk);
    }

    /** A frame with a correct CRC, e.g. to feed a dispatcher in tests or tools. The payload is copied. */
    public static Frame valid(int typeCode, byte[] payload) {
        byte[] copy = payload.clone();
        return new Frame(typeCode, copy, Crc.of(copy, 0, copy.length), true);
    }

    /** The raw {@code msg_type}, known or not. */
    public int typeCode() {
        return typeCode;
    }

    /** The message type, or empty when the code is unknown. */
    public Optional<MessageType> type() {
        return MessageType.fromCode(typeCode);
    }

    /** Whether CRC-32 of the payload equals the header's {@code crc32}. */
    public boolean crcOk() {
        return crcOk;
    }

    /** The {@code crc32} field of the header, as sent. */
    public int declaredCrc32() {
        return declaredCrc32;
    }

    public int payloadLength() {
        return payload.length;
    }

    /** A read-only little-endian view of the payload, positioned at 0. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of the payload. */
    public byte[] payloadBytes() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.typeCode == typeCode && f.declaredCrc32 == declaredCrc32 && f.crcOk == crcOk
                && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * typeCode + Arrays.hashCode(payload)) + (crcOk ? 1 : 0);
    }

    @Override
    public String toString() {
        String name = type().map(Enum::name).orElse("UNKNOWN");
        return "Frame[%s 0x%08x, %d bytes, crc %s]".formatted(name, typeCode, payload.length, crcOk ? "ok" : "BAD");
    }
}
