package dev.freezeframe.coordinator.wire;

/**
 * Builds frames: header plus payload, with the CRC filled in. The host uses it for host → guest messages (snapshot
 * replies); tests and benchmarks use it to make guest streams.
 */
public final class FrameEncoder {
    private FrameEncoder() {
    }

    public static byte[] encode(WireMessage message) {
        return encode(message.type().code(), MessageCodec.encode(message));
    }

    public static byte[] encode(MessageType type, byte[] payload) {
        return encode(type.code(), payload);
    }

    /** A frame with any type code, known or not. */
    public static byte[] encode(int typeCode, byte[] payload) {
        byte[] frame = new byte[FrameHeader.SIZE + checkedLength(payload)];
        FrameHeader.of(typeCode, payload.length, Crc.of(payload, 0, payload.length)).encodeTo(frame, 0);
        System.arraycopy(payload, 0, frame, FrameHeader.SIZE, payload.length);
        return frame;
    }

    private static int checkedLength(byte[] payload) {
        if (payload.length > FrameAssembler.DEFAULT_MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds the wire maximum of "
                    + FrameAssembler.DEFAULT_MAX_PAYLOAD);
        }
        return payload.length;
    }
}
