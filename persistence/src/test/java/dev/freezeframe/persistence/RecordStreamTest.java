package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framing's recovery rules, after the intent of the seed batpak-segment-recovery-tests. */
class RecordStreamTest {
    @TempDir
    Path dir;

    private static byte[] stream(String... payloads) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordStream.writeHeader(out, RecordStream.FORMAT_VERSION);
        for (String p : payloads) out.write(RecordStream.frame(p.getBytes(StandardCharsets.UTF_8)));
        return out.toByteArray();
    }

    private static long frameLength(String payload) {
        return RecordStream.FRAME_HEADER_BYTES + payload.getBytes(StandardCharsets.UTF_8).length;
    }

    private FileChannel channel(byte[] bytes) throws Exception {
        Path f = Files.createTempFile(dir, "s", ".ffx");
        Files.write(f, bytes);
        return FileChannel.open(f, StandardOpenOption.READ);
    }

    @Test
    void anEmptyPayloadFrameIsAValidFrame() throws Exception {
        byte[] bytes = stream("");
        try (FileChannel c = channel(bytes)) {
            assertArrayEquals(new byte[0], RecordStream.tryFrameAt(c, RecordStream.HEADER_BYTES, bytes.length));
        }
    }

    @Test
    void aZeroFilledRegionIsNeverAFrame() throws Exception {
        byte[] bytes = new byte[64];
        try (FileChannel c = channel(bytes)) {
            assertNull(RecordStream.tryFrameAt(c, 0, bytes.length));
            assertEquals(-1, RecordStream.nextValidFrame(c, 0, bytes.length));
        }
    }

    @Test
    void aFrameEndingExactlyAtTheFileEndIsAdmittedAndOnePastItIsNot() throws Exception {
        byte[] bytes = stream("exact-tail");
        try (FileChannel c = channel(bytes)) {
            assertNotNull(RecordStream.tryFrameAt(c, RecordStream.HEADER_BYTES, bytes.length));
            // the bound, not a short read, rejects a frame whose tail passes it
            assertNull(RecordStream.tryFrameAt(c, RecordStream.HEADER_BYTES, bytes.length - 1));
        }
    }

    @Test
    void fewerBytesThanAFrameHeaderAreNoFrame() throws Exception {
        byte[] bytes = stream("abc");
        try (FileChannel c = channel(bytes)) {
            assertNull(RecordStream.tryFrameAt(c, bytes.length - 4, bytes.length));
        }
    }

    @Test
    void aFlippedPayloadByteBreaksOnlyThatFrameAndTheLookAheadFindsTheNextOne() throws Exception {
        byte[] bytes = stream("a", "b", "c", "d", "e");
        long f3 = RecordStream.HEADER_BYTES + frameLength("a") + frameLength("b");
        bytes[(int) f3 + RecordStream.FRAME_HEADER_BYTES] ^= 0x01;
        try (FileChannel c = channel(bytes)) {
            assertNotNull(RecordStream.tryFrameAt(c, RecordStream.HEADER_BYTES, bytes.length));
            assertNull(RecordStream.tryFrameAt(c, f3, bytes.length));
            // mid-stream damage: valid frames follow, so a reader must fail closed
            assertEquals(f3 + frameLength("c"), RecordStream.nextValidFrame(c, f3, bytes.length));
        }
    }

    @Test
    void aFlippedLengthByteIsFoundAsDamageWithIntactFramesAfterIt() throws Exception {
        byte[] bytes = stream("alpha", "beta", "gamma");
        long f2 = RecordStream.HEADER_BYTES + frameLength("alpha");
        bytes[(int) f2 + 5] ^= 0x40; // inside the length field
        try (FileChannel c = channel(bytes)) {
            assertNull(RecordStream.tryFrameAt(c, f2, bytes.length));
            assertEquals(f2 + frameLength("beta"), RecordStream.nextValidFrame(c, f2, bytes.length));
        }
    }

    @Test
    void aTornLastFrameHasNothingValidAfterIt() throws Exception {
        byte[] full = stream("a", "b", "c");
        long f3 = RecordStream.HEADER_BYTES + frameLength("a") + frameLength("b");
        byte[] torn = Arrays.copyOf(full, (int) f3 + RecordStream.FRAME_HEADER_BYTES - 3);
        try (FileChannel c = channel(torn)) {
            assertNull(RecordStream.tryFrameAt(c, f3, torn.length));
            assertEquals(-1, RecordStream.nextValidFrame(c, f3, torn.length), "a torn tail, not damage");
        }
    }

    @Test
    void headerProblemsAreToldApart() throws Exception {
        byte[] good = stream();
        try (FileChannel c = channel(good)) {
            assertEquals(RecordStream.FORMAT_VERSION, RecordStream.readHeader(c));
        }
        byte[] newer = good.clone();
        newer[11] = 9; // version 9, header CRC not updated: the version alone decides
        try (FileChannel c = channel(newer)) {
            RecordStream.HeaderException e = assertThrows(RecordStream.HeaderException.class,
                    () -> RecordStream.readHeader(c));
            assertEquals(RecordStream.HeaderProblem.NEWER_VERSION, e.problem);
            assertEquals(9, e.version);
        }
        byte[] damaged = good.clone();
        damaged[13] ^= 1;
        try (FileChannel c = channel(damaged)) {
            assertEquals(RecordStream.HeaderProblem.DAMAGED,
                    assertThrows(RecordStream.HeaderException.class, () -> RecordStream.readHeader(c)).problem);
        }
        try (FileChannel c = channel("PK\u0003\u0004 not an export at all".getBytes(StandardCharsets.ISO_8859_1))) {
            assertEquals(RecordStream.HeaderProblem.NOT_AN_EXPORT,
                    assertThrows(RecordStream.HeaderException.class, () -> RecordStream.readHeader(c)).problem);
        }
        try (FileChannel c = channel(Arrays.copyOf(good, 10))) {
            assertEquals(RecordStream.HeaderProblem.TOO_SHORT,
                    assertThrows(RecordStream.HeaderException.class, () -> RecordStream.readHeader(c)).problem);
        }
    }

    @Test
    void aFrameOverTheSizeLimitIsNeverWrittenNorRead() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> RecordStream.frame(new byte[RecordStream.MAX_PAYLOAD + 1]));
        byte[] bytes = stream("x");
        int at = RecordStream.HEADER_BYTES;
        // claim a length beyond the limit: no frame, whatever the checksum says
        bytes[at + 4] = 0x7f;
        try (FileChannel c = channel(bytes)) {
            assertNull(RecordStream.tryFrameAt(c, at, bytes.length));
        }
    }
}
