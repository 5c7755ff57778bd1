package dev.freezeframe.coordinator.wire.bench;

import dev.freezeframe.coordinator.wire.Dispatcher;
import dev.freezeframe.coordinator.wire.Frame;
import dev.freezeframe.coordinator.wire.FrameAssembler;
import dev.freezeframe.coordinator.wire.FrameEncoder;
import dev.freezeframe.coordinator.wire.FrameHeader;
import dev.freezeframe.coordinator.wire.LifecyclePhase;
import dev.freezeframe.coordinator.wire.MessageType;
import dev.freezeframe.coordinator.wire.WireMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Frame decode throughput. One operation decodes a whole prepared stream, pushed in transport-sized reads:
 * {@value #LARGE_FRAMES} frames of 64 KiB, or {@value #SMALL_FRAMES} small frames (the dialogue's typical messages).
 * The baselines do the least any decoder must do with the same bytes — CRC-32 over them — so the ratio says how
 * much the assembler costs on top.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WireDecodeBenchmark {
    static final int LARGE_PAYLOAD = 64 * 1024;
    static final int LARGE_FRAMES = 16;
    static final int SMALL_FRAMES = 16 * 1024;
    static final int READ_SIZE = 64 * 1024;

    @State(Scope.Thread)
    public static class LargeFrames {
        byte[] stream;
        List<int[]> payloadRanges;
        FrameAssembler assembler;

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(64);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < LARGE_FRAMES; i++) {
                byte[] payload = new byte[LARGE_PAYLOAD];
                random.nextBytes(payload);
                out.writeBytes(FrameEncoder.encode(MessageType.STDOUT, payload));
            }
            stream = out.toByteArray();
            payloadRanges = payloadRanges(stream);
            assembler = new FrameAssembler();
        }
    }

    @State(Scope.Thread)
    public static class SmallFrames {
        byte[] stream;
        List<int[]> payloadRanges;
        FrameAssembler assembler;
        Dispatcher dispatcher;

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(5);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < SMALL_FRAMES; i++) {
                WireMessage m = switch (random.nextInt(4)) {
                    case 0 -> new WireMessage.Stdout("worker " + random.nextInt(64) + ": iteration " + i + "\n");
                    case 1 -> new WireMessage.SchedulerLog("sched_ext: dispatch " + random.nextInt(1000));
                    case 2 -> new WireMessage.StepStarted(i, "step-" + i);
                    default -> new WireMessage.Lifecycle(LifecyclePhase.SCENARIO_STARTED, "");
                };
                out.writeBytes(FrameEncoder.encode(m));
            }
            stream = out.toByteArray();
            payloadRanges = payloadRanges(stream);
            assembler = new FrameAssembler();
            dispatcher = new Dispatcher();
        }
    }

    @Benchmark
    public void decodeLargeFrames(LargeFrames s, Blackhole bh) {
        decode(s.assembler, s.stream, bh);
    }

    @Benchmark
    public void baselineCrcLargeFrames(LargeFrames s, Blackhole bh) {
        crcEachPayload(s.stream, s.payloadRanges, bh);
    }

    @Benchmark
    public void decodeSmallFrames(SmallFrames s, Blackhole bh) {
        decode(s.assembler, s.stream, bh);
    }

    @Benchmark
    public void baselineCrcSmallFrames(SmallFrames s, Blackhole bh) {
        crcEachPayload(s.stream, s.payloadRanges, bh);
    }

    /** Decode plus the dispatch gates and payload decoding: what the run loop will actually do per frame. */
    @Benchmark
    public void decodeAndDispatchSmallFrames(SmallFrames s, Blackhole bh) {
        List<Frame> frames = new ArrayList<>(SMALL_FRAMES);
        ByteBuffer in = ByteBuffer.wrap(s.stream);
        while (in.hasRemaining()) {
            int n = Math.min(READ_SIZE, in.remaining());
            s.assembler.push(in.slice(in.position(), n), frames::add);
            in.position(in.position() + n);
        }
        bh.consume(s.dispatcher.dispatch(frames));
    }

    private static void decode(FrameAssembler assembler, byte[] stream, Blackhole bh) {
        for (int off = 0; off < stream.length; off += READ_SIZE) {
            assembler.push(ByteBuffer.wrap(stream, off, Math.min(READ_SIZE, stream.length - off)), bh::consume);
        }
    }

    private static void crcEachPayload(byte[] stream, List<int[]> ranges, Blackhole bh) {
        CRC32 crc = new CRC32();
        for (int[] r : ranges) {
            crc.reset();
            crc.update(stream, r[0], r[1]);
            bh.consume(crc.getValue());
        }
    }

    private static List<int[]> payloadRanges(byte[] stream) {
        List<int[]> ranges = new ArrayList<>();
        for (int off = 0; off < stream.length; ) {
            int length = FrameHeader.decode(stream, off).length();
            ranges.add(new int[] {off + FrameHeader.SIZE, length});
            off += FrameHeader.SIZE + length;
        }
        return ranges;
    }
}
