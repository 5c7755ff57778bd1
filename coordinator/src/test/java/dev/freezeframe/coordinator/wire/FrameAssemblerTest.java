package dev.freezeframe.coordinator.wire;

import static dev.freezeframe.coordinator.wire.TestFrames.concat;
import static dev.freezeframe.coordinator.wire.TestFrames.of;
import static dev.freezeframe.coordinator.wire.TestFrames.withCrc;
import static dev.freezeframe.coordinator.wire.TestFrames.withTornCrc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameAssemblerTest {
    private final FrameAssembler assembler = new FrameAssembler();

    private static final byte[] STDOUT_A = of(new WireMessage.Stdout("alpha"));
    private static final byte[] STEP_1 = of(new WireMessage.StepStarted(1, "ping-pong"));
    private static final byte[] EXIT_0 = of(new WireMessage.Exit(0, ""));

    /** Whatever a test did, every byte is accounted for. */
    @AfterEach
    void everyByteIsAccountedFor() {
        AssemblerStats s = assembler.stats();
        assertEquals(s.bytesIn(), s.frameBytes() + s.garbageBytes() + s.pendingBytes(), s::toString);
    }

    @Test
    void framesSplitAtEveryPossiblePointAssembleTheSame() {
        byte[] stream = concat(STDOUT_A, STEP_1, EXIT_0);
        List<Frame> expected = new FrameAssembler().push(stream);
        assertEquals(3, expected.size());
        for (int cut = 0; cut <= stream.length; cut++) {
            FrameAssembler a = new FrameAssembler();
            List<Frame> got = new ArrayList<>(a.push(stream, 0, cut));
            got.addAll(a.push(stream, cut, stream.length - cut));
            assertEquals(expected, got, "cut at " + cut);
        }
    }

    @Test
    void byteByByteDeliveryYieldsEachFrameWhenItsLastByteArrives() {
        byte[] stream = concat(STDOUT_A, EXIT_0);
        List<Integer> completedAt = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            if (!assembler.push(stream, i, 1).isEmpty()) completedAt.add(i);
        }
        assertEquals(List.of(STDOUT_A.length - 1, stream.length - 1), completedAt);
        assertEquals(0, assembler.pendingBytes());
    }

    @Test
    void crcMismatchSurfacesAsCrcBadAndParsingGoesOn() {
        List<Frame> frames = assembler.push(concat(withTornCrc(MessageType.STDERR, "torn"), STEP_1));

        assertEquals(List.of(false, true), frames.stream().map(Frame::crcOk).toList());
        assertEquals("torn", new String(frames.getFirst().payloadBytes()), "a CRC-bad frame keeps its payload");
        assertEquals(1, assembler.stats().crcFailures());
        assertEquals(16 + 4, assembler.stats().garbageBytes(), "a bad frame owns no bytes: rescanned, then garbage");
    }

    @Test
    void nonZeroPadLosesSyncAndTheNextFrameIsFound() {
        byte[] bad = withCrc(MessageType.STDOUT, "xyz");
        bad[12] = 1;

        List<Frame> frames = assembler.push(concat(bad, STEP_1));

        assertEquals(List.of(decoded(STEP_1)), frames);
        assertEquals(bad.length, assembler.stats().garbageBytes());
        assertEquals(1, assembler.stats().resyncs());
    }

    @Test
    void oversizeHeaderIsSkippedWithoutWaitingForItsPayload() {
        byte[] huge = FrameHeader.of(MessageType.STDOUT.code(), FrameAssembler.DEFAULT_MAX_PAYLOAD + 1, 0).encode();

        List<Frame> frames = assembler.push(concat(huge, STEP_1));

        assertEquals(List.of(decoded(STEP_1)), frames, "the frame behind an oversize header comes out at once");
        assertEquals(1, assembler.stats().oversizeHeaders());
        assertEquals(0, assembler.pendingBytes());
    }

    @Test
    void maximumPayloadIsConfigurable() {
        FrameAssembler small = new FrameAssembler(8);
        List<Frame> frames = small.push(concat(withCrc(MessageType.STDOUT, "123456789"), withCrc(MessageType.STDOUT,
                "12345678")));

        assertEquals(List.of("12345678"), frames.stream().map(f -> new String(f.payloadBytes())).toList());
        assertEquals(1, small.stats().oversizeHeaders());
        assertThrows(IllegalArgumentException.class, () -> new FrameAssembler(-1));
        assertThrows(IllegalArgumentException.class, () -> new FrameAssembler(FrameAssembler.MAX_PAYLOAD_LIMIT + 1));
    }

    @Test
    void aFrameOfExactlyTheMaximumPayloadIsAccepted() {
        byte[] payload = new byte[FrameAssembler.DEFAULT_MAX_PAYLOAD];
        new Random(1).nextBytes(payload);
        byte[] frame = withCrc(MessageType.STDOUT, payload);

        List<Frame> frames = new ArrayList<>();
        for (int off = 0; off < frame.length; off += 10_000) {
            frames.addAll(assembler.push(frame, off, Math.min(10_000, frame.length - off)));
        }

        assertEquals(1, frames.size());
        assertTrue(frames.getFirst().crcOk());
        assertTrue(Arrays.equals(payload, frames.getFirst().payloadBytes()));
    }

    @Test
    void randomGarbageBeforeTheFirstFrameIsSkipped() {
        byte[] garbage = new byte[1000];
        new Random(7).nextBytes(garbage);
        garbage[12] = 1; // the first 16 bytes must not pass as a header in sync (pad == 0 has odds of 2^-32 anyway)

        List<Frame> frames = assembler.push(concat(garbage, STDOUT_A, STEP_1, EXIT_0));

        assertEquals(List.of(decoded(STDOUT_A), decoded(STEP_1), decoded(EXIT_0)), frames);
        assertEquals(1000, assembler.stats().garbageBytes());
    }

    @Test
    void zeroFilledMemoryIsGarbageNotFrames() {
        List<Frame> frames = assembler.push(concat(new byte[4096], STEP_1));

        assertEquals(List.of(decoded(STEP_1)), frames, "an all-zero header must not pass as an empty unknown frame");
        assertEquals(4096, assembler.stats().garbageBytes());
    }

    @Test
    void garbageFollowedByZerosIsNotAnEmptyUnknownFrame() {
        byte[] stream = concat(STDOUT_A, new byte[] {0x28, 0x5c}, new byte[64], STEP_1);

        assertEquals(List.of(decoded(STDOUT_A), decoded(STEP_1)), assembler.push(stream));
        assertEquals(66, assembler.stats().garbageBytes());
    }

    @Test
    void unknownTypeWithBadCrcIsTreatedAsGarbage() {
        byte[] junk = withCrc(0x0BAD_0001, "payload".getBytes());
        junk[8] ^= 1;

        List<Frame> frames = assembler.push(concat(junk, STEP_1));

        assertEquals(List.of(decoded(STEP_1)), frames);
        assertEquals(junk.length, assembler.stats().garbageBytes());
    }

    @Test
    void outOfSyncABadFrameIsReportedButDoesNotEndTheScan() {
        byte[] badPad = FrameHeader.of(1, 0, 0).encode();
        badPad[12] = 1;
        byte[] torn = withTornCrc(MessageType.SCHED_EXIT,
                MessageCodec.encode(new WireMessage.SchedulerExit(0, 1025, "forged")));

        List<Frame> frames = assembler.push(concat(badPad, torn, STDOUT_A));

        assertEquals(List.of(decoded(torn), decoded(STDOUT_A)), frames);
        assertEquals(badPad.length + torn.length, assembler.stats().garbageBytes());
    }

    @Test
    void outOfSyncAnUnknownTypeIsNotAFrameEvenWithAGoodCrc() {
        byte[] badPad = FrameHeader.of(1, 0, 0).encode();
        badPad[12] = 1;
        byte[] unknown = withCrc(0x0BAD_0001, "future".getBytes());

        List<Frame> frames = assembler.push(concat(badPad, unknown, STDOUT_A));

        assertEquals(List.of(decoded(STDOUT_A)), frames);
        assertEquals(badPad.length + unknown.length, assembler.stats().garbageBytes());
    }

    @Test
    void aCorruptedLengthCannotSwallowTheFramesItCovers() {
        byte[] first = STDOUT_A.clone();
        first[4] += 40; // the length now reaches over STEP_1 and into the next frame
        byte[] third = of(new WireMessage.Stdout("gamma"));

        List<Frame> frames = assembler.push(concat(first, STEP_1, third, EXIT_0));

        assertEquals(4, frames.size());
        assertTrue(!frames.get(0).crcOk() && frames.get(0).payloadLength() == 45, "reported as the bad frame it is");
        assertEquals(List.of(decoded(STEP_1), decoded(third), decoded(EXIT_0)), frames.subList(1, 4));
    }

    @Test
    void aCraftedStreamCannotMakeTheWorkQuadratic() {
        int max = 64 * 1024;
        FrameAssembler small = new FrameAssembler(max);
        // a plausible header every 16 bytes, each announcing a full payload with a wrong CRC: without the rescan
        // budget every one would be checked over 64 KiB, about 2 GiB of CRC work for this 512 KiB
        byte[] header = FrameHeader.of(MessageType.STDOUT.code(), max, 0x1234_5678).encode();
        byte[] stream = new byte[512 * 1024];
        for (int off = 0; off < stream.length; off += 16) System.arraycopy(header, 0, stream, off, 16);

        List<Frame> frames = new ArrayList<>();
        for (int off = 0; off < stream.length; off += max) frames.addAll(small.push(stream, off, max));
        frames.addAll(small.finish());

        AssemblerStats s = small.stats();
        long bound = (FrameAssembler.RESCAN_BUDGET_PER_BYTE + 1L) * s.bytesIn() + 3L * (FrameHeader.SIZE + max);
        assertTrue(s.checkedBytes() <= bound, () -> s + " exceeds " + bound);
        assertTrue(s.budgetExhaustions() > 0);
        assertTrue(frames.stream().noneMatch(Frame::crcOk));
        assertEquals(s.bytesIn(), s.garbageBytes());
    }

    @Test
    void truncatedLastFrameIsGarbageAtEndOfStream() {
        byte[] stream = concat(STDOUT_A, Arrays.copyOf(STEP_1, STEP_1.length - 1));

        assertEquals(1, assembler.push(stream).size());
        assertEquals(STEP_1.length - 1, assembler.pendingBytes());
        assertEquals(List.of(), assembler.finish());
        assertEquals(0, assembler.pendingBytes());
        assertEquals(STEP_1.length - 1, assembler.stats().garbageBytes());
    }

    @Test
    void finishRescansBehindACandidateThatCanNeverComplete() {
        byte[] badPad = FrameHeader.of(1, 0, 0).encode();
        badPad[12] = 1;
        byte[] candidate = FrameHeader.of(MessageType.STDOUT.code(), 500, 0).encode();

        assertEquals(List.of(), assembler.push(concat(badPad, candidate, STEP_1)),
                "the plausible header waits for its 500 bytes, holding the frame behind it");
        assertEquals(List.of(decoded(STEP_1)), assembler.finish());
    }

    @Test
    void afterFinishANewStreamStartsInSync() {
        assembler.push(new byte[] {1, 2, 3});
        assembler.finish();

        assertEquals(List.of(decoded(STDOUT_A)), assembler.push(STDOUT_A));
    }

    @Test
    void directBuffersAreConsumedCompletely() {
        ByteBuffer direct = ByteBuffer.allocateDirect(STEP_1.length + 4).put(new byte[] {9, 9}).put(STEP_1);
        direct.flip().position(2);

        assertEquals(List.of(decoded(STEP_1)), assembler.push(direct));
        assertEquals(0, direct.remaining());
    }

    @Test
    void framePayloadCannotBeChangedThroughItsAccessors() {
        Frame f = assembler.push(STDOUT_A).getFirst();
        f.payloadBytes()[0] = 'X';

        assertThrows(java.nio.ReadOnlyBufferException.class, () -> f.payload().put(0, (byte) 'X'));
        assertEquals("alpha", new String(f.payloadBytes()));
    }

    private static Frame decoded(byte[] frame) {
        List<Frame> frames = new FrameAssembler().push(frame);
        assertEquals(1, frames.size());
        return frames.getFirst();
    }
}
