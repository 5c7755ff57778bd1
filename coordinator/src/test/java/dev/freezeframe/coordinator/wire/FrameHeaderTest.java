package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {
    @Test
    void encodesLittleEndianFieldsInWireOrder() {
        byte[] bytes = new FrameHeader(0x4646_0008, 0x0102_0304, 0xCBF4_3926, 0).encode();

        assertEquals("08004646" + "04030201" + "2639f4cb" + "00000000", HexFormat.of().formatHex(bytes));
    }

    @Test
    void decodesWhatItEncodesFromArraysAndBuffers() {
        FrameHeader h = new FrameHeader(0xDEAD_BEEF, -2, 0x1234_5678, 7);
        byte[] padded = new byte[20];
        h.encodeTo(padded, 3);

        assertEquals(h, FrameHeader.decode(padded, 3));
        ByteBuffer buf = ByteBuffer.wrap(padded).position(3);
        assertEquals(h, FrameHeader.decode(buf));
        assertEquals(19, buf.position(), "decoding a buffer advances it by one header");
    }

    @Test
    void lengthIsUnsigned() {
        assertEquals(0xFFFF_FFFEL, new FrameHeader(1, -2, 0, 0).lengthUnsigned());
    }

    @Test
    void encoderPutsCrcOfPayloadOnlyIntoTheHeader() {
        byte[] frame = FrameEncoder.encode(MessageType.STDOUT, "123456789".getBytes());

        FrameHeader h = FrameHeader.decode(frame, 0);
        assertEquals(FrameHeader.of(MessageType.STDOUT.code(), 9, 0xCBF4_3926), h, "CRC-32/IEEE check value");
        assertArrayEquals("123456789".getBytes(), java.util.Arrays.copyOfRange(frame, 16, frame.length));
    }
}
