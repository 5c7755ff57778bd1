package dev.freezeframe.coordinator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The guest agent's C header and the Java side must agree on every wire constant. This parses {@code ffwire.h} and
 * compares each constant family in both directions, so a code added, removed or renumbered on one side only fails.
 */
class FfwireHeaderDriftTest {
    private static final Pattern DEFINE =
            Pattern.compile("^#define\\s+(FFWIRE_\\w+)\\s+(0[xX][0-9a-fA-F]+|\\d+)[uU]?\\b", Pattern.MULTILINE);

    private static Map<String, Long> headerConstants() throws IOException {
        Map<String, Long> constants = new TreeMap<>();
        Matcher m = DEFINE.matcher(Files.readString(FfwireHeader.path()));
        while (m.find()) {
            String v = m.group(2);
            constants.put(m.group(1), v.startsWith("0x") || v.startsWith("0X")
                    ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v));
        }
        return constants;
    }

    private static <E extends Enum<E>> void assertFamily(String prefix, Class<E> type, ToLongFunction<E> code)
            throws IOException {
        Map<String, String> expected = new TreeMap<>();
        for (E e : type.getEnumConstants()) expected.put(prefix + e.name(), hex(code.applyAsLong(e)));
        Map<String, String> actual = new TreeMap<>();
        headerConstants().forEach((name, value) -> {
            if (name.startsWith(prefix)) actual.put(name, hex(value));
        });
        assertFalse(expected.isEmpty());
        assertEquals(expected, actual, "ffwire.h " + prefix + "* must equal " + type.getSimpleName());
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    @Test
    void messageTypeCodesMatch() throws IOException {
        assertFamily("FFWIRE_MSG_", MessageType.class, t -> Integer.toUnsignedLong(t.code()));
    }

    @Test
    void lifecyclePhaseCodesMatch() throws IOException {
        assertFamily("FFWIRE_PHASE_", LifecyclePhase.class, LifecyclePhase::code);
    }

    @Test
    void snapshotKindAndStatusCodesMatch() throws IOException {
        assertFamily("FFWIRE_SNAPSHOT_KIND_", SnapshotRequestKind.class, SnapshotRequestKind::code);
        assertFamily("FFWIRE_SNAPSHOT_STATUS_", SnapshotStatus.class, SnapshotStatus::code);
    }

    @Test
    void planUpdateModeCodesMatch() throws IOException {
        assertFamily("FFWIRE_PLAN_", PlanUpdateMode.class, PlanUpdateMode::code);
    }

    @Test
    void workerRoleCodesMatch() throws IOException {
        assertFamily("FFWIRE_WORKER_", WorkerRole.class, WorkerRole::code);
    }

    @Test
    void execStateCodesMatch() throws IOException {
        assertFamily("FFWIRE_EXEC_STATE_", ExecState.class, ExecState::code);
    }

    @Test
    void limitsMatch() throws IOException {
        Map<String, Long> c = headerConstants();
        assertEquals(WireMessage.ExecExit.PATH_MAX, c.get("FFWIRE_EXEC_PATH_MAX"));
        assertEquals(WireMessage.ExecExit.OUTPUT_MAX, c.get("FFWIRE_EXEC_OUTPUT_MAX"));
        assertEquals(FrameHeader.SIZE, c.get("FFWIRE_HEADER_SIZE"));
        assertEquals(FrameAssembler.DEFAULT_MAX_PAYLOAD, c.get("FFWIRE_MAX_PAYLOAD"));
        assertEquals(WireMessage.SNAPSHOT_TAG_MAX, c.get("FFWIRE_SNAPSHOT_TAG_MAX"));
        assertEquals(WireMessage.SYMBOL_NAME_MAX, c.get("FFWIRE_SYMBOL_NAME_MAX"));
        assertEquals(WireMessage.WorkloadMetrics.MAX_WORKERS, c.get("FFWIRE_METRICS_MAX_WORKERS"));
        assertEquals(WireMessage.WorkloadMetrics.MAX_LATENCIES, c.get("FFWIRE_METRICS_MAX_LATENCIES"));
        byte[] oneOfEach = MessageCodec.encode(new WireMessage.WorkloadMetrics(1, 0,
                List.of(new WireMessage.WorkerSample(WorkerRole.CPU, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                List.of(new WireMessage.LatencySummary(0, 0, 0, 0, 0, 0))));
        assertEquals(c.get("FFWIRE_METRICS_HEADER_BYTES") + c.get("FFWIRE_METRICS_WORKER_BYTES")
                + c.get("FFWIRE_METRICS_LATENCY_BYTES"), oneOfEach.length);
    }
}
