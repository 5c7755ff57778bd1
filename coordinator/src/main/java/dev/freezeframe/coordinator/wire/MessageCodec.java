package dev.freezeframe.coordinator.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Payload layouts of the dialogue's messages, both ways. All integers are little-endian; "text" is UTF-8 running to
 * the end of the payload (malformed sequences decode to U+FFFD rather than failing: output is evidence, not input).
 *
 * <pre>
 * SYS_RDY           (empty)
 * LIFECYCLE         u32 phase (LifecyclePhase code) | text detail
 * KERNEL_ADDRESSES  repeated { u64 address | u16 name_len | name[name_len] (printable ASCII) }, names unique
 * STEP              u32 index (&lt;= 2^31-1) | text name
 * STDOUT, STDERR,
 * SCHED_LOG         text
 * SCHED_EXIT        i32 exit_code | u32 kernel_exit_kind | text reason
 * EXIT              i32 code | text reason
 * SNAPSHOT_REQUEST  u32 request_id | u32 kind (SnapshotRequestKind code) | text tag (&lt;= 64 bytes)
 * SNAPSHOT_REPLY    u32 request_id | u32 status (SnapshotStatus code)      (exactly 8 bytes)
 * KERNEL_OP_*       no layout yet: never decodes
 * KERNEL_SYMBOLS    text: whole /proc/kallsyms lines
 * KERNEL_BTF        u32 offset | u32 total | u32 raw_length | u8 n | release[n] (printable ASCII) | u8 m |
 *                   build_id[m] | data: bytes [offset, offset + len) of the zlib stream of the kernel's BTF
 * WORKLOAD_METRICS  u32 step_index | u16 worker_count | u16 latency_count | u64 elapsed_ns
 *                   | worker_count x { u32 role (WorkerRole) | u32 group | u64 iterations | u64 on_cpu_ns
 *                                      | u64 run_delay_ns | u64 timeslices | u64 voluntary_switches
 *                                      | u64 involuntary_switches | u64 migrations | u64 cpuset_escapes }
 *                   | latency_count x { u32 group | u32 0 | u64 samples | u64 p50_ns | u64 p90_ns | u64 p99_ns
 *                                       | u64 max_ns }                                   (exact length)
 * RUN_PLAN          text: the run plan (host → guest)
 * PLAN_UPDATE       u32 mode (PlanUpdateMode code) | text: plan lines (host → guest, a fork's guest)
 * INCLUDE_FILE      u32 size | u16 name_len | name (UTF-8) | zlib stream of the file (host → guest)
 * EXEC_EXIT         u32 step_index | u32 worker | u32 state (ExecState) | i32 value | u16 path_len (&lt;= 255) | path
 *                   | output (&lt;= 512 bytes, to the end)
 * </pre>
 *
 * Decoding never throws: a payload that does not fit its layout decodes to empty, and the dispatcher counts it as
 * malformed. The guest's {@code ffwire.h} builds the same layouts.
 */
public final class MessageCodec {
    private MessageCodec() {
    }

    /** Decodes {@code payload} (from its position to its limit) as a message of {@code type}. */
    public static Optional<WireMessage> decode(MessageType type, ByteBuffer payload) {
        ByteBuffer in = payload.slice().order(ByteOrder.LITTLE_ENDIAN);
        return Optional.ofNullable(switch (type) {
            case SYS_RDY -> in.hasRemaining() ? null : new WireMessage.SysReady();
            case LIFECYCLE -> decodeLifecycle(in);
            case KERNEL_ADDRESSES -> decodeKernelAddresses(in);
            case STEP -> decodeStep(in);
            case STDOUT -> new WireMessage.Stdout(text(in));
            case STDERR -> new WireMessage.Stderr(text(in));
            case SCHED_LOG -> new WireMessage.SchedulerLog(text(in));
            case KERNEL_SYMBOLS -> new WireMessage.KernelSymbols(text(in));
            case KERNEL_BTF -> decodeKernelBtf(in);
            case SCHED_EXIT -> in.remaining() < 8 ? null
                    : new WireMessage.SchedulerExit(in.getInt(), in.getInt(), text(in));
            case EXIT -> in.remaining() < 4 ? null : new WireMessage.Exit(in.getInt(), text(in));
            case SNAPSHOT_REQUEST -> decodeSnapshotRequest(in);
            case SNAPSHOT_REPLY -> decodeSnapshotReply(in);
            case RUN_PLAN -> new WireMessage.RunPlan(text(in));
            case PLAN_UPDATE -> in.remaining() < 4 ? null : PlanUpdateMode.fromCode(in.getInt())
                    .map(mode -> new WireMessage.PlanUpdate(mode, text(in))).orElse(null);
            case INCLUDE_FILE -> decodeIncludeFile(in);
            case EXEC_EXIT -> decodeExecExit(in);
            case KERNEL_OP_REQUEST, KERNEL_OP_REPLY -> null;
            case WORKLOAD_METRICS -> decodeWorkloadMetrics(in);
        });
    }

    /** Decodes a frame's payload according to its type; empty for unknown types and malformed payloads. */
    public static Optional<WireMessage> decode(Frame frame) {
        MessageType type = MessageType.byCode(frame.typeCode());
        return type == null ? Optional.empty() : decode(type, frame.payload());
    }

    public static byte[] encode(WireMessage message) {
        return switch (message) {
            case WireMessage.SysReady ignored -> new byte[0];
            case WireMessage.Lifecycle m -> withText(4, m.detail()).putInt(m.phase().code()).putText(m.detail()).bytes();
            case WireMessage.KernelAddresses m -> encodeKernelAddresses(m);
            case WireMessage.StepStarted m -> withText(4, m.name()).putInt(m.index()).putText(m.name()).bytes();
            case WireMessage.Stdout m -> m.text().getBytes(StandardCharsets.UTF_8);
            case WireMessage.Stderr m -> m.text().getBytes(StandardCharsets.UTF_8);
            case WireMessage.SchedulerLog m -> m.text().getBytes(StandardCharsets.UTF_8);
            case WireMessage.KernelSymbols m -> m.text().getBytes(StandardCharsets.UTF_8);
            case WireMessage.KernelBtf m -> encodeKernelBtf(m);
            case WireMessage.SchedulerExit m ->
                    withText(8, m.reason()).putInt(m.exitCode()).putInt(m.kernelExitKind()).putText(m.reason()).bytes();
            case WireMessage.Exit m -> withText(4, m.reason()).putInt(m.code()).putText(m.reason()).bytes();
            case WireMessage.SnapshotRequest m ->
                    withText(8, m.tag()).putInt(m.requestId()).putInt(m.kind().code()).putText(m.tag()).bytes();
            case WireMessage.SnapshotReply m ->
                    new Writer(ByteBuffer.allocate(8)).putInt(m.requestId()).putInt(m.status().code()).bytes();
            case WireMessage.WorkloadMetrics m -> encodeWorkloadMetrics(m);
            case WireMessage.RunPlan m -> m.text().getBytes(StandardCharsets.UTF_8);
            case WireMessage.PlanUpdate m -> withText(4, m.text()).putInt(m.mode().code()).putText(m.text()).bytes();
            case WireMessage.IncludeFile m -> {
                byte[] name = m.name().getBytes(StandardCharsets.UTF_8);
                yield new Writer(ByteBuffer.allocate(6 + name.length + m.compressed().length)).putInt(m.size())
                        .putShort((short) name.length).putBytes(name).putBytes(m.compressed()).bytes();
            }
            case WireMessage.ExecExit m -> {
                byte[] path = m.path().getBytes(StandardCharsets.UTF_8);
                byte[] output = m.output().getBytes(StandardCharsets.UTF_8);
                yield new Writer(ByteBuffer.allocate(18 + path.length + output.length)).putInt(m.stepIndex())
                        .putInt(m.worker()).putInt(m.state().code()).putInt(m.value()).putShort((short) path.length)
                        .putBytes(path).putBytes(output).bytes();
            }
        };
    }

    private static WireMessage decodeExecExit(ByteBuffer in) {
        if (in.remaining() < 18) return null;
        int step = in.getInt();
        int worker = in.getInt();
        ExecState state = ExecState.fromCode(in.getInt()).orElse(null);
        int value = in.getInt();
        int pathLength = Short.toUnsignedInt(in.getShort());
        if (state == null || step < 0 || worker < 0 || pathLength > WireMessage.ExecExit.PATH_MAX
                || in.remaining() < pathLength || in.remaining() - pathLength > WireMessage.ExecExit.OUTPUT_MAX) {
            return null;
        }
        byte[] path = new byte[pathLength];
        in.get(path);
        try {
            return new WireMessage.ExecExit(step, worker, state, value, new String(path, StandardCharsets.UTF_8),
                    text(in));
        } catch (IllegalArgumentException notUtf8) {
            return null; // a name whose bad bytes widen to U+FFFD past the limit
        }
    }

    private static WireMessage decodeIncludeFile(ByteBuffer in) {
        if (in.remaining() < 6) return null;
        int size = in.getInt();
        int nameLength = Short.toUnsignedInt(in.getShort());
        if (nameLength == 0 || in.remaining() < nameLength) return null;
        byte[] name = new byte[nameLength];
        in.get(name);
        byte[] compressed = new byte[in.remaining()];
        in.get(compressed);
        return new WireMessage.IncludeFile(new String(name, StandardCharsets.UTF_8), size, compressed);
    }

    private static final int METRICS_HEADER = 16;
    private static final int METRICS_WORKER = 72;
    private static final int METRICS_LATENCY = 48;

    private static WireMessage decodeWorkloadMetrics(ByteBuffer in) {
        if (in.remaining() < METRICS_HEADER) return null;
        int step = in.getInt();
        int workers = Short.toUnsignedInt(in.getShort());
        int latencies = Short.toUnsignedInt(in.getShort());
        long elapsed = in.getLong();
        if (in.remaining() != workers * METRICS_WORKER + latencies * METRICS_LATENCY) return null;
        try {
            java.util.List<WireMessage.WorkerSample> samples = new java.util.ArrayList<>(workers);
            for (int i = 0; i < workers; i++) {
                WorkerRole role = WorkerRole.fromCode(in.getInt()).orElse(null);
                if (role == null) return null;
                samples.add(new WireMessage.WorkerSample(role, in.getInt(), in.getLong(), in.getLong(), in.getLong(),
                        in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getLong()));
            }
            java.util.List<WireMessage.LatencySummary> summaries = new java.util.ArrayList<>(latencies);
            for (int i = 0; i < latencies; i++) {
                int group = in.getInt();
                if (in.getInt() != 0) return null;
                summaries.add(new WireMessage.LatencySummary(group, in.getLong(), in.getLong(), in.getLong(),
                        in.getLong(), in.getLong()));
            }
            return new WireMessage.WorkloadMetrics(step, elapsed, samples, summaries);
        } catch (IllegalArgumentException e) {
            return null; // negative (huge unsigned) counters, unordered percentiles, too many entries
        }
    }

    private static byte[] encodeWorkloadMetrics(WireMessage.WorkloadMetrics m) {
        ByteBuffer out = ByteBuffer.allocate(METRICS_HEADER + m.workers().size() * METRICS_WORKER
                + m.latencies().size() * METRICS_LATENCY).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(m.stepIndex()).putShort((short) m.workers().size()).putShort((short) m.latencies().size())
                .putLong(m.elapsedNs());
        for (WireMessage.WorkerSample w : m.workers()) {
            out.putInt(w.role().code()).putInt(w.group()).putLong(w.iterations()).putLong(w.onCpuNs())
                    .putLong(w.runDelayNs()).putLong(w.timeslices()).putLong(w.voluntarySwitches())
                    .putLong(w.involuntarySwitches()).putLong(w.migrations()).putLong(w.cpusetEscapes());
        }
        for (WireMessage.LatencySummary l : m.latencies()) {
            out.putInt(l.group()).putInt(0).putLong(l.samples()).putLong(l.p50Ns()).putLong(l.p90Ns())
                    .putLong(l.p99Ns()).putLong(l.maxNs());
        }
        return out.array();
    }

    private static WireMessage decodeLifecycle(ByteBuffer in) {
        if (in.remaining() < 4) return null;
        return LifecyclePhase.fromCode(in.getInt())
                .map(phase -> new WireMessage.Lifecycle(phase, text(in)))
                .orElse(null);
    }

    private static WireMessage decodeStep(ByteBuffer in) {
        if (in.remaining() < 4) return null;
        int index = in.getInt();
        return index < 0 ? null : new WireMessage.StepStarted(index, text(in));
    }

    private static WireMessage decodeKernelAddresses(ByteBuffer in) {
        LinkedHashMap<String, Long> addresses = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            if (in.remaining() < 10) return null;
            long address = in.getLong();
            int nameLength = Short.toUnsignedInt(in.getShort());
            if (nameLength > in.remaining() || nameLength > WireMessage.SYMBOL_NAME_MAX) return null;
            byte[] name = new byte[nameLength];
            in.get(name);
            String symbol = new String(name, StandardCharsets.ISO_8859_1);
            if (!WireMessage.KernelAddresses.isValidSymbolName(symbol)) return null;
            if (addresses.putIfAbsent(symbol, address) != null) return null;
        }
        return new WireMessage.KernelAddresses(addresses);
    }

    private static WireMessage decodeKernelBtf(ByteBuffer in) {
        if (in.remaining() < 14) return null;
        long offset = Integer.toUnsignedLong(in.getInt());
        long total = Integer.toUnsignedLong(in.getInt());
        long rawLength = Integer.toUnsignedLong(in.getInt());
        int releaseLength = Byte.toUnsignedInt(in.get());
        if (releaseLength + 1 > in.remaining()) return null;
        byte[] release = new byte[releaseLength];
        in.get(release);
        for (byte b : release) if (b < 0x21 || b > 0x7e) return null;
        int idLength = Byte.toUnsignedInt(in.get());
        if (idLength > in.remaining()) return null;
        byte[] id = new byte[idLength];
        in.get(id);
        byte[] data = new byte[in.remaining()];
        in.get(data);
        if (offset + data.length > total) return null;
        return new WireMessage.KernelBtf(offset, total, rawLength, new String(release, StandardCharsets.US_ASCII),
                java.util.HexFormat.of().formatHex(id), data);
    }

    private static byte[] encodeKernelBtf(WireMessage.KernelBtf m) {
        byte[] release = m.release().getBytes(StandardCharsets.US_ASCII);
        byte[] id = java.util.HexFormat.of().parseHex(m.buildId());
        ByteBuffer out = ByteBuffer.allocate(14 + release.length + id.length + m.data().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt((int) m.offset()).putInt((int) m.total()).putInt((int) m.rawLength());
        out.put((byte) release.length).put(release).put((byte) id.length).put(id).put(m.data());
        return out.array();
    }

    private static WireMessage decodeSnapshotRequest(ByteBuffer in) {
        if (in.remaining() < 8 || in.remaining() > 8 + WireMessage.SNAPSHOT_TAG_MAX) return null;
        int requestId = in.getInt();
        return SnapshotRequestKind.fromCode(in.getInt())
                .map(kind -> new WireMessage.SnapshotRequest(requestId, kind, text(in)))
                .orElse(null);
    }

    private static WireMessage decodeSnapshotReply(ByteBuffer in) {
        if (in.remaining() != 8) return null;
        int requestId = in.getInt();
        return SnapshotStatus.fromCode(in.getInt())
                .map(status -> new WireMessage.SnapshotReply(requestId, status))
                .orElse(null);
    }

    private static String text(ByteBuffer in) {
        byte[] bytes = new byte[in.remaining()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] encodeKernelAddresses(WireMessage.KernelAddresses m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer entry = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        m.addresses().forEach((name, address) -> {
            byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
            entry.clear();
            entry.putLong(address).putShort((short) nameBytes.length);
            out.write(entry.array(), 0, 10);
            out.write(nameBytes, 0, nameBytes.length);
        });
        return out.toByteArray();
    }

    private static Writer withText(int fixedBytes, String text) {
        return new Writer(ByteBuffer.allocate(fixedBytes + text.getBytes(StandardCharsets.UTF_8).length));
    }

    /** Fills a payload of known size; text goes last, as in every layout. */
    private record Writer(ByteBuffer out) {
        Writer {
            out.order(ByteOrder.LITTLE_ENDIAN);
        }

        Writer putInt(int v) {
            out.putInt(v);
            return this;
        }

        Writer putText(String s) {
            out.put(s.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Writer putShort(short v) {
            out.putShort(v);
            return this;
        }

        Writer putBytes(byte[] b) {
            out.put(b);
            return this;
        }

        byte[] bytes() {
            return out.array();
        }
    }
}
