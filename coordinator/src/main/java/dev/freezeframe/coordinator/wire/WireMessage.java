package dev.freezeframe.coordinator.wire;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;

/**
 * A decoded message of the dialogue. {@link MessageCodec} maps between these and frame payloads; the byte layouts are
 * documented there and in {@code wire-protocol.md}.
 *
 * <p>The two branches split what the dispatcher may do with a message at the type level: a {@link Report} is what the
 * guest tells about the run and may become a verdict entry; a {@link Control} message steers the coordinator and can
 * never be one — a {@link Dispatcher.VerdictEntry} only holds a {@code Report}.
 */
public sealed interface WireMessage {
    /** Longest snapshot tag in UTF-8 bytes ({@code FFWIRE_SNAPSHOT_TAG_MAX}). */
    int SNAPSHOT_TAG_MAX = 64;
    /** Longest kernel symbol name in bytes ({@code FFWIRE_SYMBOL_NAME_MAX}, the kernel's KSYM_NAME_LEN). */
    int SYMBOL_NAME_MAX = 512;

    MessageType type();

    /** What the guest reports about the run: the inputs of the lifecycle fold and the verdict. */
    sealed interface Report extends WireMessage {
    }

    /** Messages that steer the coordinator (readiness, snapshots). Never verdict entries. */
    sealed interface Control extends WireMessage {
    }

    record Lifecycle(LifecyclePhase phase, String detail) implements Report {
        public Lifecycle {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public MessageType type() {
            return MessageType.LIFECYCLE;
        }
    }

    /** Kernel symbol name to kernel-virtual address, in the order the guest sent them; names are unique. */
    record KernelAddresses(SequencedMap<String, Long> addresses) implements Report {
        public KernelAddresses {
            LinkedHashMap<String, Long> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : addresses.entrySet()) {
                if (!isValidSymbolName(e.getKey())) throw new IllegalArgumentException("bad symbol name: " + e.getKey());
                copy.put(e.getKey(), Objects.requireNonNull(e.getValue(), "address"));
            }
            addresses = Collections.unmodifiableSequencedMap(copy);
        }

        @Override
        public MessageType type() {
            return MessageType.KERNEL_ADDRESSES;
        }

        /** Printable ASCII without spaces, 1..{@link #SYMBOL_NAME_MAX} bytes: what kallsyms names look like. */
        public static boolean isValidSymbolName(String name) {
            if (name == null || name.isEmpty() || name.length() > SYMBOL_NAME_MAX) return false;
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 0x21 || c > 0x7E) return false;
            }
            return true;
        }
    }

    /**
     * Scenario step {@code index} named {@code name} starts now. Indexes are numbered as the run model numbers steps
     * ({@code SnapshotRecord.stepIndex}): 0 for a baseline phase before the first step, 1..N for the steps.
     */
    record StepStarted(int index, String name) implements Report {
        public StepStarted {
            if (index < 0) throw new IllegalArgumentException("step index must be >= 0: " + index);
            Objects.requireNonNull(name, "name");
        }

        @Override
        public MessageType type() {
            return MessageType.STEP;
        }
    }

    /** A chunk of the scheduler's stdout; not necessarily whole lines. */
    record Stdout(String text) implements Report {
        public Stdout {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageType type() {
            return MessageType.STDOUT;
        }
    }

    /** A chunk of the scheduler's stderr; not necessarily whole lines. */
    record Stderr(String text) implements Report {
        public Stderr {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageType type() {
            return MessageType.STDERR;
        }
    }

    /**
     * A chunk of the guest's {@code /proc/kallsyms} ("{@code ffffffff81000000 T _text}" lines, possibly with a
     * {@code [module]}); chunks end on line boundaries, so each parses on its own.
     */
    record KernelSymbols(String text) implements Report {
        public KernelSymbols {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageType type() {
            return MessageType.KERNEL_SYMBOLS;
        }
    }

    /**
     * One part of the running kernel's type information: {@code data} is the part of the zlib (RFC 1950) stream of
     * {@code /sys/kernel/btf/vmlinux} that starts at {@code offset}; parts arrive in order and {@code total} is the
     * stream's length (0: the kernel has no BTF). Every part repeats the kernel's identity.
     *
     * @param rawLength the uncompressed BTF's length in bytes
     * @param release   {@code uname -r}
     * @param buildId   the kernel's GNU build id, lower-case hex (empty when the kernel has none)
     */
    record KernelBtf(long offset, long total, long rawLength, String release, String buildId, byte[] data)
            implements Report {
        /** Longest release or build id in bytes ({@code FFWIRE_KERNEL_TEXT_MAX}). */
        public static final int TEXT_MAX = 255;

        public KernelBtf {
            Objects.requireNonNull(release, "release");
            Objects.requireNonNull(buildId, "buildId");
            Objects.requireNonNull(data, "data");
        }

        @Override
        public MessageType type() {
            return MessageType.KERNEL_BTF;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KernelBtf k && offset == k.offset && total == k.total && rawLength == k.rawLength
                    && release.equals(k.release) && buildId.equals(k.buildId) && java.util.Arrays.equals(data, k.data);
        }

        @Override
        public int hashCode() {
            return Objects.hash(offset, total, rawLength, release, buildId, java.util.Arrays.hashCode(data));
        }

        @Override
        public String toString() {
            return "KernelBtf[" + release + " " + buildId + " " + offset + "+" + data.length + "/" + total + "]";
        }
    }

    /** Kernel log text about sched_ext, or other scheduler log text. */
    record SchedulerLog(String text) implements Report {
        public SchedulerLog {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageType type() {
            return MessageType.SCHED_LOG;
        }
    }

    /**
     * The scheduler ended.
     *
     * @param exitCode       the scheduler process's exit code as the agent saw it ({@code >= 0}), or minus the signal
     *                       that killed it; scx_qmap can exit 0 after an error, so this alone decides nothing
     * @param kernelExitKind the kernel's {@code enum scx_exit_kind} value if the agent could read it, else 0
     * @param reason         the kernel's exit reason text (e.g. the {@code scx_bpf_error} message), may be empty
     */
    record SchedulerExit(int exitCode, int kernelExitKind, String reason) implements Report {
        public SchedulerExit {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public MessageType type() {
            return MessageType.SCHED_EXIT;
        }
    }

    /** The agent is done: its exit code (0 = scenario completed) and a reason when it is not 0. */
    record Exit(int code, String reason) implements Report {
        public Exit {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public MessageType type() {
            return MessageType.EXIT;
        }
    }

    /**
     * What one step's workload did, read by the agent at the step's end while the workers still ran.
     *
     * @param stepIndex the step (as in {@link StepStarted})
     * @param elapsedNs from the workers' start to the reading
     * @param workers   one sample per workload process
     * @param latencies the latency probes' wake-up delays, one summary per group (empty without probes)
     */
    record WorkloadMetrics(int stepIndex, long elapsedNs, java.util.List<WorkerSample> workers,
                           java.util.List<LatencySummary> latencies) implements Report {
        /** {@code FFWIRE_METRICS_MAX_WORKERS} and {@code FFWIRE_METRICS_MAX_LATENCIES}. */
        public static final int MAX_WORKERS = 256;
        public static final int MAX_LATENCIES = 64;

        public WorkloadMetrics {
            if (stepIndex < 0) throw new IllegalArgumentException("step index must be >= 0: " + stepIndex);
            if (elapsedNs < 0) throw new IllegalArgumentException("elapsed must be >= 0: " + elapsedNs);
            workers = java.util.List.copyOf(workers);
            latencies = java.util.List.copyOf(latencies);
            if (workers.size() > MAX_WORKERS || latencies.size() > MAX_LATENCIES) {
                throw new IllegalArgumentException("too many samples");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.WORKLOAD_METRICS;
        }
    }

    /**
     * One workload process over one step. Counters are unsigned 64-bit on the wire; values beyond
     * {@link Long#MAX_VALUE} do not occur in a step's lifetime and are refused.
     *
     * @param group the scenario cgroup the worker was placed in (1.., declaration order), 0 = none
     */
    record WorkerSample(WorkerRole role, int group, long iterations, long onCpuNs, long runDelayNs, long timeslices,
                        long voluntarySwitches, long involuntarySwitches, long migrations, long cpusetEscapes) {
        public WorkerSample {
            Objects.requireNonNull(role, "role");
            if (group < 0 || iterations < 0 || onCpuNs < 0 || runDelayNs < 0 || timeslices < 0 || voluntarySwitches < 0
                    || involuntarySwitches < 0 || migrations < 0 || cpusetEscapes < 0) {
                throw new IllegalArgumentException("worker counters must be >= 0");
            }
        }
    }

    /** A group's wake-up delays in ns: percentiles from the agent's histogram (about 3 % resolution), exact max. */
    record LatencySummary(int group, long samples, long p50Ns, long p90Ns, long p99Ns, long maxNs) {
        public LatencySummary {
            if (group < 0 || samples < 0 || p50Ns < 0 || p90Ns < p50Ns || p99Ns < p90Ns || maxNs < p99Ns) {
                throw new IllegalArgumentException("latency percentiles must be ordered and >= 0");
            }
        }
    }

    /** The guest is ready. Carries nothing: a SYS_RDY with payload bytes is rejected. */
    record SysReady() implements Control {
        @Override
        public MessageType type() {
            return MessageType.SYS_RDY;
        }
    }

    record SnapshotRequest(int requestId, SnapshotRequestKind kind, String tag) implements Control {
        public SnapshotRequest {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(tag, "tag");
            if (tag.getBytes(StandardCharsets.UTF_8).length > SNAPSHOT_TAG_MAX) {
                throw new IllegalArgumentException("snapshot tag longer than " + SNAPSHOT_TAG_MAX + " bytes");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.SNAPSHOT_REQUEST;
        }
    }

    /** Host → guest answer to the request with the same id. */
    record SnapshotReply(int requestId, SnapshotStatus status) implements Control {
        public SnapshotReply {
            Objects.requireNonNull(status, "status");
        }

        @Override
        public MessageType type() {
            return MessageType.SNAPSHOT_REPLY;
        }
    }

    /** Host → guest: the run plan for an agent that waits for it on the channel (a boot template's guest). */
    record RunPlan(String text) implements Control {
        public RunPlan {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageType type() {
            return MessageType.RUN_PLAN;
        }
    }

    /**
     * Host → guest: a fork's plan (docs/fork-and-templates.md). {@code text} is in the plan's format (AgentPlan): for
     * {@link PlanUpdateMode#CONTINUE} only its {@code wall_clock_ns} and {@code seed} lines, for
     * {@link PlanUpdateMode#REPLACE} a whole plan that carries them too.
     */
    record PlanUpdate(PlanUpdateMode mode, String text) implements Control {
        public PlanUpdate {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public MessageType type() {
            return MessageType.PLAN_UPDATE;
        }
    }

    /**
     * Guest → host: how an {@code exec} worker (a user's binary shipped with {@code --include}) ended when its step
     * did.
     *
     * @param stepIndex the step (1..)
     * @param worker    the worker's index among the step's workload processes
     * @param state     exited, killed, or still running at the step's end
     * @param value     the exit code ({@link ExecState#EXITED}), the signal ({@link ExecState#KILLED}), else 0
     * @param path      the included file's name
     * @param output    the last bytes (at most {@link #OUTPUT_MAX}) of its stdout and stderr, as UTF-8
     */
    record ExecExit(int stepIndex, int worker, ExecState state, int value, String path, String output)
            implements Report {
        /** {@code FFWIRE_EXEC_PATH_MAX} and {@code FFWIRE_EXEC_OUTPUT_MAX}: bytes of the name and of the tail. */
        public static final int PATH_MAX = 255;
        public static final int OUTPUT_MAX = 512;

        public ExecExit {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(output, "output");
            if (stepIndex < 0 || worker < 0) throw new IllegalArgumentException("step and worker must be >= 0");
            if (path.getBytes(StandardCharsets.UTF_8).length > PATH_MAX) {
                throw new IllegalArgumentException("exec path longer than " + PATH_MAX + " bytes");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.EXEC_EXIT;
        }
    }

    /**
     * Host → guest: a file shipped with {@code --include}, sent after the run plan to a boot template's guest.
     *
     * @param name       its name in the guest's include folder
     * @param size       its size in bytes
     * @param compressed its bytes as a zlib stream
     */
    record IncludeFile(String name, int size, byte[] compressed) implements Control {
        public IncludeFile {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(compressed, "compressed");
        }

        @Override
        public MessageType type() {
            return MessageType.INCLUDE_FILE;
        }

        /** By content: the bytes are an array. */
        @Override
        public boolean equals(Object o) {
            return o instanceof IncludeFile f && name.equals(f.name) && size == f.size
                    && java.util.Arrays.equals(compressed, f.compressed);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, size, java.util.Arrays.hashCode(compressed));
        }

        @Override
        public String toString() {
            return "IncludeFile[name=" + name + ", size=" + size + ", compressed=" + compressed.length + " bytes]";
        }
    }
}
