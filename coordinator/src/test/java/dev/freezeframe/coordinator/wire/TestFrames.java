package dev.freezeframe.coordinator.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Frame bytes for tests, built independently of {@link FrameEncoder} where the test is about the header itself. */
final class TestFrames {
    private TestFrames() {
    }

    static byte[] withCrc(int typeCode, byte[] payload) {
        return FrameEncoder.encode(typeCode, payload);
    }

    static byte[] withCrc(MessageType type, byte[] payload) {
        return withCrc(type.code(), payload);
    }

    static byte[] withCrc(MessageType type, String payload) {
        return withCrc(type, payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] of(WireMessage message) {
        return FrameEncoder.encode(message);
    }

    /** A frame whose header CRC is the real one with every bit flipped: a torn or forged frame. */
    static byte[] withTornCrc(MessageType type, byte[] payload) {
        byte[] frame = withCrc(type, payload);
        for (int i = 8; i < 12; i++) frame[i] ^= (byte) 0xFF;
        return frame;
    }

    static byte[] withTornCrc(MessageType type, String payload) {
        return withTornCrc(type, payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
