package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    static List<WireMessage> samples() {
        LinkedHashMap<String, Long> addresses = new LinkedHashMap<>();
        addresses.put("scx_root", 0xffff_ffff_8300_1000L);
        addresses.put("init_task", 0xffff_ffff_8260_0940L);
        return List.of(
                new WireMessage.SysReady(),
                new WireMessage.Lifecycle(LifecyclePhase.SCHEDULER_STARTING, "scx_qmap -e 50"),
                new WireMessage.Lifecycle(LifecyclePhase.POWERING_OFF, ""),
                new WireMessage.KernelAddresses(addresses),
                new WireMessage.KernelAddresses(new LinkedHashMap<>()),
                new WireMessage.StepStarted(3, "ping-pong ✓"),
                new WireMessage.Stdout("line 1\nline 2 (partial"),
                new WireMessage.Stderr(""),
                new WireMessage.SchedulerLog("sched_ext: BPF scheduler \"qmap\" disabled (runtime error)"),
                new WireMessage.SchedulerExit(-9, 1025, "scx_bpf_error"),
                new WireMessage.Exit(2, "scenario step 1 failed"),
                new WireMessage.SnapshotRequest(-1, SnapshotRequestKind.CAPTURE, "x".repeat(WireMessage.SNAPSHOT_TAG_MAX)),
                new WireMessage.SnapshotReply(42, SnapshotStatus.REFUSED),
                new WireMessage.KernelBtf(4, 9, 100, "7.3.4+deb13-amd64", "b3997c9b", new byte[] {1, 2, 3}),
                new WireMessage.KernelBtf(0, 0, 0, "6.12.0", "", new byte[0]),
                new WireMessage.WorkloadMetrics(2, 2_000_000_123L, List.of(
                        new WireMessage.WorkerSample(WorkerRole.CPU, 0, 1L << 40, 2, 3, 4, 5, 6, 7, 0),
                        new WireMessage.WorkerSample(WorkerRole.LATENCY, 1, 2000, 1, 1, 2000, 2000, 0, 1, 0)),
                        List.of(new WireMessage.LatencySummary(1, 2000, 10, 20, 30, 40))),
                new WireMessage.WorkloadMetrics(1, 0, List.of(), List.of()),
                new WireMessage.Lifecycle(LifecyclePhase.PLAN_REPLACED, "cpu-burn"),
                new WireMessage.PlanUpdate(PlanUpdateMode.CONTINUE, "wall_clock_ns 1\nseed 00\n"),
                new WireMessage.PlanUpdate(PlanUpdateMode.REPLACE, "plan 2\nstep 1 100 a ✓\nend\n"),
                new WireMessage.ExecExit(2, 1, ExecState.EXITED, 7, "tool", "hello\nlast line\n"),
                new WireMessage.ExecExit(1, 0, ExecState.RUNNING, 0, "t", "x".repeat(WireMessage.ExecExit.OUTPUT_MAX)),
                new WireMessage.ExecExit(3, 2, ExecState.KILLED, 9, "tool", ""));
    }

    @Test
    void execExitLayoutIsFixedFieldsThenTheLengthPrefixedPathThenTheOutput() {
        byte[] bytes = MessageCodec.encode(new WireMessage.ExecExit(2, 1, ExecState.KILLED, 9, "ab", "ok"));

        assertEquals("02000000" + "01000000" + "02000000" + "09000000" + "0200" + "6162" + "6f6b",
                HexFormat.of().formatHex(bytes));
        String fixed = "02000000" + "01000000";
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.EXEC_EXIT,
                ByteBuffer.wrap(HexFormat.of().parseHex(fixed + "04000000" + "00000000" + "0000"))), "unknown state");
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.EXEC_EXIT,
                ByteBuffer.wrap(HexFormat.of().parseHex(fixed + "01000000" + "00000000" + "0500" + "61"))),
                "a path longer than the payload");
        byte[] longOutput = MessageCodec.encode(new WireMessage.ExecExit(2, 1, ExecState.EXITED, 0, "ab",
                "y".repeat(WireMessage.ExecExit.OUTPUT_MAX + 1)));
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.EXEC_EXIT, ByteBuffer.wrap(longOutput)),
                "more output than the agent ever sends");
    }

    @Test
    void workloadMetricsRefuseUnknownRolesWrongLengthsHugeCountersAndUnorderedPercentiles() {
        byte[] good = MessageCodec.encode(new WireMessage.WorkloadMetrics(1, 5, List.of(
                new WireMessage.WorkerSample(WorkerRole.CPU, 0, 1, 1, 1, 1, 1, 1, 1, 0)),
                List.of(new WireMessage.LatencySummary(0, 1, 1, 2, 3, 4))));
        assertEquals(16 + 72 + 48, good.length);
        byte[] badRole = good.clone();
        badRole[16] = 99;
        assertMalformed(MessageType.WORKLOAD_METRICS, badRole);
        assertMalformed(MessageType.WORKLOAD_METRICS, java.util.Arrays.copyOf(good, good.length - 1));
        assertMalformed(MessageType.WORKLOAD_METRICS, java.util.Arrays.copyOf(good, good.length + 1));
        byte[] hugeCounter = good.clone();
        hugeCounter[16 + 8 + 7] = (byte) 0x80; // iterations >= 2^63
        assertMalformed(MessageType.WORKLOAD_METRICS, hugeCounter);
        byte[] unordered = good.clone();
        unordered[16 + 72 + 16] = 99; // p50 above p90
        assertMalformed(MessageType.WORKLOAD_METRICS, unordered);
        byte[] pad = good.clone();
        pad[16 + 72 + 4] = 1;
        assertMalformed(MessageType.WORKLOAD_METRICS, pad);
        assertMalformed(MessageType.WORKLOAD_METRICS, new byte[15]);
    }

    @Test
    void kernelBtfLayoutIsOffsetTotalRawThenLengthPrefixedReleaseAndBuildIdThenData() {
        byte[] bytes = MessageCodec.encode(new WireMessage.KernelBtf(1, 3, 0x10, "ab", "c0de", new byte[] {7, 8}));

        assertEquals("01000000" + "03000000" + "10000000" + "02" + "6162" + "02" + "c0de" + "0708",
                HexFormat.of().formatHex(bytes));
    }

    @Test
    void kernelBtfThatOverrunsItsStreamOrHasAnUnprintableReleaseDoesNotDecode() {
        byte[] overrun = MessageCodec.encode(new WireMessage.KernelBtf(2, 3, 9, "ab", "", new byte[] {1, 2}));
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.KERNEL_BTF, ByteBuffer.wrap(overrun)));
        byte[] spaced = MessageCodec.encode(new WireMessage.KernelBtf(0, 1, 9, "a b", "", new byte[] {1}));
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.KERNEL_BTF, ByteBuffer.wrap(spaced)));
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.KERNEL_BTF, ByteBuffer.wrap(new byte[] {0, 0,
                0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 40, 0})), "a release longer than the payload");
    }

    @Test
    void everyMessageSurvivesEncodeThenDecode() {
        for (WireMessage m : samples()) {
            assertEquals(Optional.of(m), MessageCodec.decode(m.type(), ByteBuffer.wrap(MessageCodec.encode(m))),
                    m::toString);
        }
    }

    @Test
    void includeFileLayoutIsSizeThenLengthPrefixedNameThenTheZlibBytes() {
        byte[] bytes = MessageCodec.encode(new WireMessage.IncludeFile("ab", 300, new byte[] {9, 8}));

        assertEquals("2c010000" + "0200" + "6162" + "0908", HexFormat.of().formatHex(bytes));
        WireMessage.IncludeFile back = (WireMessage.IncludeFile) MessageCodec.decode(MessageType.INCLUDE_FILE,
                ByteBuffer.wrap(bytes)).orElseThrow();
        assertEquals("ab", back.name());
        assertEquals(300, back.size());
        assertEquals("0908", HexFormat.of().formatHex(back.compressed()));
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.INCLUDE_FILE,
                ByteBuffer.wrap(HexFormat.of().parseHex("2c0100000500" + "61"))), "a name longer than the payload");
    }

    @Test
    void planUpdateLayoutIsTheModeThenThePlanText() {
        byte[] bytes = MessageCodec.encode(new WireMessage.PlanUpdate(PlanUpdateMode.REPLACE, "ab"));

        assertEquals("01000000" + "6162", HexFormat.of().formatHex(bytes));
        assertEquals(Optional.of(new WireMessage.PlanUpdate(PlanUpdateMode.CONTINUE, "")),
                MessageCodec.decode(MessageType.PLAN_UPDATE, ByteBuffer.wrap(new byte[4])));
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.PLAN_UPDATE,
                ByteBuffer.wrap(HexFormat.of().parseHex("02000000" + "6162"))), "an unknown mode");
        assertEquals(Optional.empty(), MessageCodec.decode(MessageType.PLAN_UPDATE,
                ByteBuffer.wrap(new byte[3])), "shorter than the mode");
    }

    @Test
    void schedulerExitLayoutIsFixedFieldsThenReason() {
        byte[] bytes = MessageCodec.encode(new WireMessage.SchedulerExit(-1, 1025, "ab"));

        assertEquals("ffffffff" + "01040000" + "6162", HexFormat.of().formatHex(bytes));
    }

    @Test
    void kernelAddressLayoutIsAddressThenLengthPrefixedName() {
        LinkedHashMap<String, Long> one = new LinkedHashMap<>();
        one.put("ab", 0x1122_3344_5566_7788L);
        byte[] bytes = MessageCodec.encode(new WireMessage.KernelAddresses(one));

        assertEquals("8877665544332211" + "0200" + "6162", HexFormat.of().formatHex(bytes));
    }

    @Test
    void payloadsThatDoNotFitTheirLayoutDecodeToEmpty() {
        assertMalformed(MessageType.SYS_RDY, new byte[1]);
        assertMalformed(MessageType.LIFECYCLE, new byte[3]);
        assertMalformed(MessageType.LIFECYCLE, le(99));
        assertMalformed(MessageType.STEP, le(-1));
        assertMalformed(MessageType.SCHED_EXIT, new byte[7]);
        assertMalformed(MessageType.EXIT, new byte[3]);
        assertMalformed(MessageType.SNAPSHOT_REQUEST, le(1, 2));
        assertMalformed(MessageType.SNAPSHOT_REQUEST, concat(le(1, 1), new byte[WireMessage.SNAPSHOT_TAG_MAX + 1]));
        assertMalformed(MessageType.SNAPSHOT_REPLY, le(1, 0, 0));
        assertMalformed(MessageType.SNAPSHOT_REPLY, le(1, 3));
        assertMalformed(MessageType.KERNEL_OP_REPLY, new byte[0]);
        assertMalformed(MessageType.KERNEL_OP_REQUEST, new byte[8]);
    }

    @Test
    void kernelAddressesRejectTruncationBadNamesAndDuplicates() {
        byte[] entry = MessageCodec.encode(new WireMessage.KernelAddresses(map("jiffies", 1L)));
        assertMalformed(MessageType.KERNEL_ADDRESSES, java.util.Arrays.copyOf(entry, entry.length - 1));
        assertMalformed(MessageType.KERNEL_ADDRESSES, java.util.Arrays.copyOf(entry, 9));
        assertMalformed(MessageType.KERNEL_ADDRESSES, concat(entry, entry));
        byte[] spaced = entry.clone();
        spaced[10] = ' ';
        assertMalformed(MessageType.KERNEL_ADDRESSES, spaced);
        byte[] emptyName = new byte[10];
        assertMalformed(MessageType.KERNEL_ADDRESSES, emptyName);
    }

    @Test
    void invalidUtf8InTextIsReplacedNotRejected() {
        Optional<WireMessage> m = MessageCodec.decode(MessageType.STDOUT, ByteBuffer.wrap(new byte[] {'o', (byte) 0xC3}));

        assertEquals(Optional.of(new WireMessage.Stdout("o\uFFFD")), m);
    }

    @Test
    void decodingRandomPayloadsNeverThrows() {
        Random random = new Random(4);
        for (int i = 0; i < 20_000; i++) {
            byte[] payload = new byte[random.nextInt(40)];
            random.nextBytes(payload);
            if (random.nextBoolean() && payload.length >= 4) payload[1] = payload[2] = payload[3] = 0;
            for (MessageType t : MessageType.values()) MessageCodec.decode(t, ByteBuffer.wrap(payload));
        }
    }

    @Test
    void decodeReadsFromTheBufferPositionWithoutMovingIt() {
        byte[] body = MessageCodec.encode(new WireMessage.Exit(1, "x"));
        ByteBuffer buf = ByteBuffer.wrap(concat(new byte[] {9, 9}, body)).position(2);

        assertEquals(Optional.of(new WireMessage.Exit(1, "x")), MessageCodec.decode(MessageType.EXIT, buf));
        assertEquals(2, buf.position());
    }

    @Test
    void constructorsRefuseWhatCouldNotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.StepStarted(-1, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> new WireMessage.SnapshotRequest(1, SnapshotRequestKind.CAPTURE, "é".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> new WireMessage.KernelAddresses(map("a b", 1L)));
        assertThrows(IllegalArgumentException.class, () -> FrameEncoder.encode(MessageType.STDOUT,
                new byte[FrameAssembler.DEFAULT_MAX_PAYLOAD + 1]));
    }

    @Test
    void decodingAFrameUsesItsType() {
        Frame f = Frame.valid(MessageType.STEP.code(), MessageCodec.encode(new WireMessage.StepStarted(1, "b")));

        assertEquals(Optional.of(new WireMessage.StepStarted(1, "b")), MessageCodec.decode(f));
        assertTrue(MessageCodec.decode(Frame.valid(0x1234, new byte[0])).isEmpty());
        assertArrayEquals(new byte[0], MessageCodec.encode(new WireMessage.SysReady()));
    }

    private static void assertMalformed(MessageType type, byte[] payload) {
        assertEquals(Optional.empty(), MessageCodec.decode(type, ByteBuffer.wrap(payload)),
                () -> type + " " + HexFormat.of().formatHex(payload));
    }

    private static byte[] le(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) b.putInt(v);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        return TestFrames.concat(parts);
    }

    private static LinkedHashMap<String, Long> map(String name, long address) {
        LinkedHashMap<String, Long> m = new LinkedHashMap<>();
        m.put(name, address);
        return m;
    }
}
