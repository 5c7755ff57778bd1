package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the assembler and codec over seeded random inputs. Each seed is one case, so a failure names the seed
 * that reproduces it. (Plain JUnit rather than a property-testing library, see the module's test notes.)
 */
class WirePropertiesTest {
    static List<Arguments> seeds() {
        List<Arguments> seeds = new ArrayList<>();
        for (long s = 1; s <= 300; s++) seeds.add(Arguments.of(s));
        return seeds;
    }

    /**
     * Whatever damage sits between good frames — random bytes, zero runs, truncated frames, frames with a torn payload
     * or a corrupted header — every good frame comes out, in order, and nothing else comes out CRC-good.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void goodFramesSurviveAnyDamageBetweenThem(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        List<Frame> good = new ArrayList<>();
        boolean damaged = false;
        for (int i = 0; i < 40; i++) {
            if (r.nextInt(3) == 0) {
                damage(r, stream);
                damaged = true;
            }
            byte[] frame = WireStreams.frame(r);
            // an unknown type is a frame only in sync (not right behind damage) and with a payload
            boolean unknown = !MessageType.isKnownCode(FrameHeader.readTypeCode(frame, 0));
            if (unknown && (damaged || frame.length == FrameHeader.SIZE)) continue;
            stream.writeBytes(frame);
            good.add(new FrameAssembler().push(frame).getFirst());
            damaged = false;
        }
        if (r.nextBoolean()) damage(r, stream);

        FrameAssembler assembler = new FrameAssembler();
        List<Frame> out = pushInRandomReads(r, assembler, stream.toByteArray());

        assertEquals(good, out.stream().filter(Frame::crcOk).toList());
        AssemblerStats s = assembler.stats();
        assertEquals(s.bytesIn(), s.frameBytes() + s.garbageBytes());
        assertEquals(stream.size(), s.frameBytes() + s.garbageBytes());
        assertEquals(0, s.budgetExhaustions(), "ordinary damage must never run the rescan budget out");
    }

    /** The assembler is a function of the byte stream: how it is cut into reads changes nothing. */
    @ParameterizedTest
    @MethodSource("seeds")
    void outputDoesNotDependOnHowTheStreamIsCut(long seed) {
        Random r = new Random(seed);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] previous = WireStreams.frame(r);
        for (int i = 0; i < 60; i++) {
            byte[] frame = WireStreams.frame(r);
            WireStreams.writeMutated(r, WireStreams.mutation(r), frame, previous, stream);
            previous = frame;
        }
        byte[] bytes = stream.toByteArray();

        FrameAssembler whole = new FrameAssembler();
        List<Frame> expected = new ArrayList<>(whole.push(bytes));
        expected.addAll(whole.finish());
        FrameAssembler cut = new FrameAssembler();
        List<Frame> actual = pushInRandomReads(r, cut, bytes);

        assertEquals(expected, actual);
        assertEquals(whole.stats(), cut.stats());
    }

    /** Every message of the dialogue survives encode → frame → any split → assemble → decode. */
    @ParameterizedTest
    @MethodSource("seeds")
    void messagesRoundTripThroughFramesAndCodec(long seed) {
        Random r = new Random(seed);
        List<WireMessage> sent = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 30; i++) {
            WireMessage m = WireStreams.message(r);
            sent.add(m);
            stream.writeBytes(FrameEncoder.encode(m));
        }

        List<Frame> frames = pushInRandomReads(r, new FrameAssembler(), stream.toByteArray());

        assertEquals(sent.stream().map(Optional::of).toList(),
                frames.stream().map(MessageCodec::decode).toList());
    }

    /** Decoding arbitrary bytes as any type never throws, and what decodes re-encodes to a payload that decodes equal. */
    @ParameterizedTest
    @MethodSource("seeds")
    void decodingArbitraryPayloadsIsTotalAndStable(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            byte[] payload = WireStreams.bytes(r, r.nextInt(48));
            if (payload.length >= 4 && r.nextBoolean()) payload[0] = (byte) (1 + r.nextInt(6));
            if (payload.length >= 4) payload[1] = payload[2] = payload[3] = 0; // plausible small codes
            for (MessageType t : MessageType.values()) {
                Optional<WireMessage> m = MessageCodec.decode(t, ByteBuffer.wrap(payload));
                m.ifPresent(msg -> assertEquals(m, MessageCodec.decode(t, ByteBuffer.wrap(MessageCodec.encode(msg)))));
            }
        }
    }

    /** Damage that contains no complete good frame. */
    private static void damage(Random r, ByteArrayOutputStream out) {
        byte[] victim = FrameEncoder.encode(WireStreams.message(r));
        switch (r.nextInt(6)) {
            case 0 -> out.writeBytes(WireStreams.bytes(r, 1 + r.nextInt(200)));
            case 1 -> out.writeBytes(new byte[1 + r.nextInt(300)]);
            case 2 -> out.write(victim, 0, r.nextInt(victim.length)); // truncated frame
            case 3 -> { // torn payload
                if (victim.length == FrameHeader.SIZE) victim = FrameEncoder.encode(MessageType.STDOUT, new byte[] {1});
                victim[FrameHeader.SIZE + r.nextInt(victim.length - FrameHeader.SIZE)] ^= (byte) (1 << r.nextInt(8));
                out.writeBytes(victim);
            }
            case 4 -> { // length corrupted into another plausible value
                int length = FrameHeader.readLength(victim, 0) + 1 + r.nextInt(300);
                FrameHeader h = FrameHeader.decode(victim, 0);
                new FrameHeader(h.typeCode(), length, h.crc32(), 0).encodeTo(victim, 0);
                out.writeBytes(victim);
            }
            default -> { // length, CRC or pad damaged (a damaged type field leaves a good frame of another type)
                victim[4 + r.nextInt(FrameHeader.SIZE - 4)] ^= (byte) (1 << r.nextInt(8));
                out.writeBytes(victim);
            }
        }
    }

    private static List<Frame> pushInRandomReads(Random r, FrameAssembler assembler, byte[] bytes) {
        List<Frame> out = new ArrayList<>();
        for (int off = 0; off < bytes.length; ) {
            int n = Math.min(bytes.length - off, WireStreams.readSize(r));
            out.addAll(assembler.push(bytes, off, n));
            off += n;
        }
        out.addAll(assembler.finish());
        return out;
    }
}
