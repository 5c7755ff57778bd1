package dev.freezeframe.coordinator.introspect.scx;

import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.mem.Read.Fault;

/**
 * Reads {@link ScxState} from a kernel with {@code scx_root} (7.x; before, {@code scx_ops} held the ops and
 * {@code scx_exit_kind} was a global — the "sched_ext: Introduce scx_sched" change moved both into {@code struct
 * scx_sched}). Layouts from the vmlinux BTF: {@code struct scx_sched} ({@code ops.name}, {@code exit_kind} — an
 * {@code atomic_t}, {@code exit_info}) and {@code struct scx_exit_info} ({@code kind}, {@code exit_code},
 * {@code reason}, {@code msg}). Never throws for bad guest data.
 */
public final class ScxStateReader {
    /** {@code SCX_EXIT_ERROR}: exit kinds from here on are errors (the enum's own value is used when BTF has it). */
    public static final long SCX_EXIT_ERROR = dev.freezeframe.vmm.kit.GuestContract.SCX_EXIT_ERROR;
    static final int MAX_TEXT = 4096;

    private ScxStateReader() {
    }

    public static ScxState read(KernelView k) {
        try {
            return readState(k);
        } catch (RuntimeException e) { // a check forgotten here must not end the capture
            return new ScxState(null, null, -1, null, null, null, null, "cannot read the sched_ext state: " + e);
        }
    }

    private static ScxState readState(KernelView k) {
        KernelMemory mem = k.memory();
        KernelTypes types = k.types();
        KernelVirtAddr root;
        try {
            KernelVirtAddr sym = k.symbols().require("scx_root").orFault();
            root = mem.pointer(sym).context("scx_root").orFault();
        } catch (Fault f) {
            return new ScxState(null, null, -1, null, null, null, null, f.getMessage());
        }
        if (root.isNull()) {
            return new ScxState(root, null, -1, null, null, null, null, null);
        }
        String ops = null;
        long kind = -1;
        String kindName = null;
        KernelVirtAddr kindAddr = null;
        ScxState.ExitInfo info = null;
        KernelVirtAddr infoAddr = types.offsetOf("struct scx_sched", "exit_info")
                .flatMap(o -> mem.pointer(root.plus(o))).orElse(null);
        StringBuilder problems = new StringBuilder();
        Read<String> name = types.offsetOf("struct scx_sched", "ops.name")
                .flatMap(o -> types.memberSize("struct scx_sched", "ops.name")
                        .flatMap(n -> mem.cString(root.plus(o), (int) Math.min(n, MAX_TEXT))));
        if (name.isOk()) {
            ops = name.orElse(null);
        } else {
            problems.append("ops name: ").append(name.reasonOrNull()).append("; ");
        }
        Read<Long> kindOff = types.offsetOf("struct scx_sched", "exit_kind");
        if (kindOff.isOk()) {
            kindAddr = root.plus(kindOff.orElse(0L));
            Read<Long> v = mem.u32(kindAddr);
            if (v.isOk()) {
                kind = (int) (long) v.orElse(0L); // atomic_t: an int
                kindName = types.enumName("enum scx_exit_kind", kind).orElse(null);
            } else {
                problems.append("exit_kind: ").append(v.reasonOrNull()).append("; ");
            }
        } else {
            problems.append(kindOff.reasonOrNull()).append("; ");
        }
        if (kind > 0) {
            Read<ScxState.ExitInfo> ei = Read.attempt(() -> exitInfo(k, root));
            if (ei.isOk()) {
                info = ei.orElse(null);
            } else {
                problems.append("exit info: ").append(ei.reasonOrNull()).append("; ");
            }
        }
        String unavailable = problems.isEmpty() ? null : problems.substring(0, problems.length() - 2);
        return new ScxState(root, ops, kind, kindName, kindAddr, infoAddr, info, unavailable);
    }

    private static ScxState.ExitInfo exitInfo(KernelView k, KernelVirtAddr root) throws Fault {
        KernelMemory mem = k.memory();
        KernelTypes t = k.types();
        String ei = "struct scx_exit_info";
        KernelVirtAddr info = mem.pointer(root.plus(t.offsetOf("struct scx_sched", "exit_info").orFault())).orFault();
        if (info.isNull()) {
            throw new Fault("scx_root->exit_info is NULL");
        }
        long kind = (int) (long) mem.u32(info.plus(t.offsetOf(ei, "kind").orFault())).orFault();
        long code = mem.u64(info.plus(t.offsetOf(ei, "exit_code").orFault())).orFault();
        KernelVirtAddr reasonPtr = mem.pointer(info.plus(t.offsetOf(ei, "reason").orFault())).orFault();
        KernelVirtAddr msgPtr = mem.pointer(info.plus(t.offsetOf(ei, "msg").orFault())).orFault();
        String reason = reasonPtr.isNull() ? null : mem.cString(reasonPtr, MAX_TEXT).orElse(null);
        String msg = msgPtr.isNull() ? null : mem.cString(msgPtr, MAX_TEXT).orElse(null);
        return new ScxState.ExitInfo(kind, t.enumName("enum scx_exit_kind", kind).orElse(null), code, reason, msg);
    }
}
