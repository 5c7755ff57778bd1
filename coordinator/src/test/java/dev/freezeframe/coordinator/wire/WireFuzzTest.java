package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * More than a million random and mutated frames (bit flips, header fields, truncations, garbage, splices, duplicates,
 * zero runs), cut into random reads, through {@link FrameAssembler} and {@link Dispatcher}. Seeds are fixed; a failure
 * names the stream seed that reproduces it. Checked on every batch:
 * <ul>
 *   <li>no exception escapes;</li>
 *   <li>{@code crcOk} tells the truth and no frame exceeds the maximum payload;</li>
 *   <li>no CRC-bad, unknown or coordinator-internal frame becomes a verdict entry; every entry is its frame decoded;</li>
 *   <li>signals come only from CRC-good frames of their own type, SYS_RDY at most once per stream;</li>
 *   <li>unknown types and CRC failures are counted exactly, and every frame is accounted for once;</li>
 *   <li>every byte of the stream ends up in a frame or in the garbage count.</li>
 * </ul>
 */
class WireFuzzTest {
    private static final long FRAMES = 1_000_000;
    private static final int FRAMES_PER_STREAM = 2_000;

    /** Each of the 500 dispatchers warns once per kind of drop; that is right for a run and noise here. */
    @BeforeAll
    static void quietDispatcherLog() {
        if (LoggerFactory.getLogger(Dispatcher.class) instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    @AfterAll
    static void restoreDispatcherLog() {
        if (LoggerFactory.getLogger(Dispatcher.class) instanceof ch.qos.logback.classic.Logger l) l.setLevel(null);
    }

    private final EnumMap<WireStreams.Mutation, Long> mutations = new EnumMap<>(WireStreams.Mutation.class);
    private final Map<String, Long> seen = new HashMap<>();

    @Test
    void aMillionMutatedFramesKeepEveryInvariant() {
        long generated = 0;
        long base = dev.freezeframe.coordinator.FuzzSeed.base(0xF2EE_0000L);
        for (long seed = base; generated < FRAMES; seed++) {
            try {
                generated += fuzzOneStream(new Random(seed));
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("stream seed 0x" + Long.toHexString(seed) + " broke an invariant; "
                        + dev.freezeframe.coordinator.FuzzSeed.rerun(base), e);
            }
        }

        assertTrue(generated >= FRAMES);
        System.out.printf("wire fuzz: %d frames generated, mutations %s, outcomes %s%n", generated, mutations, seen);
        // the run must actually have exercised every path it claims to check
        for (WireStreams.Mutation m : WireStreams.Mutation.values()) {
            assertTrue(mutations.getOrDefault(m, 0L) > 1000, () -> m + " applied " + mutations.get(m) + " times");
        }
        for (String counter : List.of("entries", "sysReady", "snapshotRequested", "schedulerExited", "unknown",
                "crcRejected", "malformed", "internalDropped", "duplicateSysReady", "garbage", "oversize")) {
            assertTrue(seen.getOrDefault(counter, 0L) > 0, () -> counter + " never happened: " + seen);
        }
    }

    private long fuzzOneStream(Random r) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        byte[] previous = WireStreams.frame(r);
        for (int i = 0; i < FRAMES_PER_STREAM; i++) {
            byte[] frame = WireStreams.frame(r);
            WireStreams.Mutation m = WireStreams.mutation(r);
            mutations.merge(m, 1L, Long::sum);
            WireStreams.writeMutated(r, m, frame, previous, stream);
            previous = frame;
        }
        byte[] bytes = stream.toByteArray();

        FrameAssembler assembler = new FrameAssembler();
        Run run = new Run();
        for (int off = 0; off < bytes.length; ) {
            int n = Math.min(bytes.length - off, WireStreams.readSize(r));
            checkBatch(assembler.push(bytes, off, n), run);
            off += n;
        }
        checkBatch(assembler.finish(), run);

        AssemblerStats s = assembler.stats();
        assertEquals(bytes.length, s.bytesIn());
        assertEquals(0, s.pendingBytes());
        assertEquals(s.bytesIn(), s.frameBytes() + s.garbageBytes(), "every byte is in a frame or counted as garbage");
        count("garbage", s.garbageBytes());
        count("oversize", s.oversizeHeaders());
        count("budgetExhaustions", s.budgetExhaustions());
        assertTrue(s.checkedBytes() <= (FrameAssembler.RESCAN_BUDGET_PER_BYTE + 1L) * s.bytesIn()
                + 3L * (FrameHeader.SIZE + FrameAssembler.DEFAULT_MAX_PAYLOAD), "work stays linear in the input");
        return FRAMES_PER_STREAM;
    }

    /** One stream's dispatcher plus what the checks need to remember across its batches. */
    private static final class Run {
        final Dispatcher dispatcher = new Dispatcher();
        long framesDispatched;
        long sysReadySignals;
    }

    private void checkBatch(List<Frame> frames, Run run) {
        long firstSeq = run.framesDispatched;
        run.framesDispatched += frames.size();
        DispatchOutcome out = run.dispatcher.dispatch(frames);

        long unknown = 0;
        long crcBad = 0;
        for (Frame f : frames) {
            assertTrue(f.payloadLength() <= FrameAssembler.DEFAULT_MAX_PAYLOAD);
            assertEquals(crc32(f.payloadBytes()) == f.declaredCrc32(), f.crcOk(), "crcOk must tell the truth");
            assertTrue(f.typeCode() != 0, "code 0 is never a frame");
            if (f.type().isEmpty()) {
                unknown++;
                assertTrue(f.crcOk() && f.payloadLength() > 0, "an unknown type needs a payload with a good CRC");
            } else if (!f.crcOk()) {
                crcBad++;
            }
        }
        assertEquals(unknown, out.dropped().unknownTypes(), "unknown types are counted, each once");
        assertEquals(crcBad, out.dropped().crcRejected(), "CRC-bad known frames are counted, each once");

        for (VerdictEntry e : out.verdictEntries()) {
            Frame src = frames.get((int) (e.frameSeq() - firstSeq));
            assertTrue(src.crcOk(), "a CRC-bad frame became a verdict entry");
            MessageType type = src.type().orElseThrow(() -> new AssertionError("unknown type became an entry"));
            assertTrue(!type.coordinatorInternal(), "a coordinator-internal frame became a verdict entry");
            assertEquals(type, e.type());
            assertEquals(MessageCodec.decode(src).orElseThrow(), e.report());
        }
        long exits = 0;
        for (ControlSignal sig : out.signals()) {
            Frame src = frames.get((int) (sig.frameSeq() - firstSeq));
            assertTrue(src.crcOk(), "a CRC-bad frame raised " + sig);
            MessageType expected = switch (sig) {
                case ControlSignal.SysReady ignored -> {
                    assertEquals(0, src.payloadLength(), "SYS_RDY fires only with an empty payload");
                    assertEquals(1, ++run.sysReadySignals, "SYS_RDY fires once per run");
                    count("sysReady", 1);
                    yield MessageType.SYS_RDY;
                }
                case ControlSignal.SnapshotRequested ignored -> {
                    count("snapshotRequested", 1);
                    yield MessageType.SNAPSHOT_REQUEST;
                }
                case ControlSignal.SchedulerExited x -> {
                    exits++;
                    assertTrue(out.verdictEntries().stream().anyMatch(e -> e.frameSeq() == x.frameSeq()));
                    count("schedulerExited", 1);
                    yield MessageType.SCHED_EXIT;
                }
            };
            assertEquals(expected.code(), src.typeCode());
        }
        assertEquals(frames.size(),
                out.verdictEntries().size() + (out.signals().size() - exits) + out.dropped().total(),
                "every frame is an entry, a signal or a counted drop — exactly one of them");

        count("entries", out.verdictEntries().size());
        count("unknown", out.dropped().unknownTypes());
        count("crcRejected", out.dropped().crcRejected());
        count("malformed", out.dropped().malformed());
        count("internalDropped", out.dropped().internalDropped());
        count("duplicateSysReady", out.dropped().duplicateSysReady());
    }

    private void count(String what, long n) {
        seen.merge(what, n, Long::sum);
    }

    private static int crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
