package dev.freezeframe.coordinator.wire;

import java.util.Optional;

/**
 * The message types of the guest dialogue, with the numeric codes that go into a frame header's {@code msg_type}.
 *
 * <p>The codes are part of the wire format and never change meaning; the guest agent's C header
 * ({@code vmm/src/main/c/agent/ffwire.h}) repeats them and a unit test keeps the two identical. Every code carries
 * {@value #CODE_PREFIX_HEX} ("FF") in its upper 16 bits: when the assembler has lost sync and scans garbage or
 * zero-filled ring memory for the next header, a plausible type is then a specific 32-bit value rather than any small
 * number, which makes a false match unlikely.
 *
 * <p>A code that is not listed here is an <em>unknown</em> type: it still assembles into a {@link Frame}, and the
 * {@link Dispatcher} counts and drops it. Code 0 is reserved: the assembler never takes it for a frame.
 */
public enum MessageType {
    /** Guest → host. The agent is up and can talk; empty payload, honoured once per run. */
    SYS_RDY(0x4646_0001, Direction.GUEST_TO_HOST, true),
    /** Guest → host. A milestone of the agent's script (scheduler started, sched_ext enabled, scenario done...). */
    LIFECYCLE(0x4646_0002, Direction.GUEST_TO_HOST, false),
    /** Guest → host. Kernel symbol addresses the host needs for introspection. */
    KERNEL_ADDRESSES(0x4646_0003, Direction.GUEST_TO_HOST, false),
    /** Guest → host. A scenario step starts (the stimulus; ktstr calls this message STIMULUS). */
    STEP(0x4646_0004, Direction.GUEST_TO_HOST, false),
    /** Guest → host. A chunk of the scheduler's standard output. */
    STDOUT(0x4646_0005, Direction.GUEST_TO_HOST, false),
    /** Guest → host. A chunk of the scheduler's standard error. */
    STDERR(0x4646_0006, Direction.GUEST_TO_HOST, false),
    /** Guest → host. Kernel log lines about sched_ext and other scheduler log text. */
    SCHED_LOG(0x4646_0007, Direction.GUEST_TO_HOST, false),
    /** Guest → host. The scheduler ended (process exit and/or sched_ext disabled), with the kernel's reason. */
    SCHED_EXIT(0x4646_0008, Direction.GUEST_TO_HOST, false),
    /** Guest → host. The agent is done and about to power off; carries its exit code. */
    EXIT(0x4646_0009, Direction.GUEST_TO_HOST, false),
    /** Guest → host. The scenario asks the host for a snapshot (a capture step action). */
    SNAPSHOT_REQUEST(0x4646_000A, Direction.GUEST_TO_HOST, true),
    /** Host → guest. Answer to a {@link #SNAPSHOT_REQUEST}. A guest sending it is ignored. */
    SNAPSHOT_REPLY(0x4646_000B, Direction.HOST_TO_GUEST, true),
    /** Host → guest. Reserved for the host asking the agent to act on the kernel; no payload layout yet. */
    KERNEL_OP_REQUEST(0x4646_000C, Direction.HOST_TO_GUEST, true),
    /** Guest → host. Reserved answer to a {@link #KERNEL_OP_REQUEST}; no payload layout yet, dropped on receipt. */
    KERNEL_OP_REPLY(0x4646_000D, Direction.GUEST_TO_HOST, true),
    /** Guest → host. A chunk of the guest's {@code /proc/kallsyms}: whole lines, for the symbol table. */
    KERNEL_SYMBOLS(0x4646_000E, Direction.GUEST_TO_HOST, false),
    /** Guest → host. The running kernel's release, build id and a part of its zlib-compressed vmlinux BTF. */
    KERNEL_BTF(0x4646_000F, Direction.GUEST_TO_HOST, false),
    /** Guest → host. What a step's workload did: per-worker counters and schedstat, the probes' wake-up delays. */
    WORKLOAD_METRICS(0x4646_0010, Direction.GUEST_TO_HOST, false),
    /** Host → guest. The run plan (AgentPlan text) for an agent booted with {@code ff.plan=channel}: a boot template. */
    RUN_PLAN(0x4646_0011, Direction.HOST_TO_GUEST, true),
    /**
     * Host → guest. A fork's guest, restored mid-run: the host's wall clock and fresh randomness, and either "go on with
     * your plan" or a new plan that replaces the rest of it (docs/fork-and-templates.md).
     */
    PLAN_UPDATE(0x4646_0012, Direction.HOST_TO_GUEST, true),
    /** Host → guest. A file shipped with {@code --include}, zlib-compressed, right after a template guest's plan. */
    INCLUDE_FILE(0x4646_0013, Direction.HOST_TO_GUEST, true),
    /** Guest → host. How an {@code exec} worker ended at its step's end: exit status and the tail of its output. */
    EXEC_EXIT(0x4646_0014, Direction.GUEST_TO_HOST, false);

    /** Who sends a message type. Documents intent; the dispatch gates rely on {@link #coordinatorInternal()}. */
    public enum Direction { GUEST_TO_HOST, HOST_TO_GUEST }

    static final String CODE_PREFIX_HEX = "0x4646";
    private static final int CODE_PREFIX = 0x4646_0000;
    /** Low 16 bits of every code stay below this, so a code maps to its type by one array index. */
    private static final int LOW_BITS_LIMIT = 0x40;
    private static final MessageType[] BY_LOW_BITS = new MessageType[LOW_BITS_LIMIT];

    static {
        for (MessageType t : values()) {
            int low = t.code & 0xFFFF;
            if ((t.code & 0xFFFF_0000) != CODE_PREFIX || low >= BY_LOW_BITS.length || BY_LOW_BITS[low] != null) {
                throw new ExceptionInInitializerError("message type codes must be prefixed, unique and below 0x40: " + t);
            }
            BY_LOW_BITS[low] = t;
        }
    }

    private final int code;
    private final Direction direction;
    private final boolean coordinatorInternal;

    MessageType(int code, Direction direction, boolean coordinatorInternal) {
        this.code = code;
        this.direction = direction;
        this.coordinatorInternal = coordinatorInternal;
    }

    /** The {@code msg_type} value on the wire. */
    public int code() {
        return code;
    }

    public Direction direction() {
        return direction;
    }

    /**
     * True for types that steer the coordinator itself (readiness, snapshots, kernel ops). They are never verdict
     * entries, whatever their CRC or payload: letting them through would let a guest forge harness state.
     */
    public boolean coordinatorInternal() {
        return coordinatorInternal;
    }

    /** The type with this wire code, or {@code null} for an unknown code. Allocation-free: used per frame. */
    static MessageType byCode(int code) {
        if ((code & 0xFFFF_0000) != CODE_PREFIX) return null;
        int low = code & 0xFFFF;
        return low < BY_LOW_BITS.length ? BY_LOW_BITS[low] : null;
    }

    /** The type with this wire code, if it is one we know. */
    public static Optional<MessageType> fromCode(int code) {
        return Optional.ofNullable(byCode(code));
    }

    public static boolean isKnownCode(int code) {
        return byCode(code) != null;
    }
}
