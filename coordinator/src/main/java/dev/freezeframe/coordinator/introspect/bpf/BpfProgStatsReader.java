package dev.freezeframe.coordinator.introspect.bpf;

import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers;
import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers.IdrEntry;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.kernel.WalkBudget;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import java.util.ArrayList;
import java.util.List;

/**
 * How often each struct_ops program (a sched_ext scheduler's callbacks: {@code enqueue}, {@code dispatch}, ...) ran and
 * for how long, from the kernel's own per-program counters: {@code prog_idr} → {@code struct bpf_prog} of type
 * {@code BPF_PROG_TYPE_STRUCT_OPS} → {@code prog->stats} (per CPU {@code struct bpf_prog_stats}: {@code cnt},
 * {@code nsecs}, {@code misses}). The callback's name is {@code aux->attach_func_name} (the {@code struct
 * sched_ext_ops} member the verifier attached it to). The kernel counts only while {@code kernel.bpf_stats_enabled} is
 * on (the static key {@code bpf_stats_enabled_key}); when it is off the programs are listed with the reason. Every read
 * is bounded; bad guest data ends in a reason, never an exception.
 */
public final class BpfProgStatsReader {
    /** Programs listed per snapshot (the rest is marked truncated). */
    public static final int MAX_PROGRAMS = 256;
    static final int MAX_CPUS = 512;
    static final WalkBudget BUDGET = new WalkBudget(1 << 12, 1 << 14);

    /**
     * One struct_ops program's counters, summed over CPUs.
     *
     * @param callback   the ops member it implements ({@code aux->attach_func_name}), or null when unknown
     * @param structOps  the ops struct ({@code aux->st_ops->name}, e.g. {@code sched_ext_ops}), or null when unknown
     * @param nsPerRun   {@code totalNs / runs}, null before the first run
     * @param runsPerCpu each CPU's {@code cnt}
     */
    public record ProgStats(long id, String name, String callback, String structOps, long runs, long totalNs,
            Long nsPerRun, long misses, List<Long> runsPerCpu) {
    }

    private final KernelView k;
    private final KernelMemory mem;
    private final KernelTypes types;

    private BpfProgStatsReader(KernelView k) {
        this.k = k;
        this.mem = k.memory();
        this.types = k.types();
    }

    /** Every struct_ops program's counters, in program id order. */
    public static Walk<ProgStats> read(KernelView k) {
        try {
            return new BpfProgStatsReader(k).readAll();
        } catch (Fault f) {
            return new Walk<>(List.of(), false, f.getMessage());
        } catch (RuntimeException e) { // a check forgotten here must not end the capture
            return new Walk<>(List.of(), false, "cannot read: " + e);
        }
    }

    private Walk<ProgStats> readAll() throws Fault {
        long structOps = types.enumValue("enum bpf_prog_type", "BPF_PROG_TYPE_STRUCT_OPS")
                .orElseThrow(() -> new Fault("this kernel has no BPF_PROG_TYPE_STRUCT_OPS"));
        long[] offsets = KernelHelpers.per_cpu_offsets(k, MAX_CPUS).orFault();
        Walk<IdrEntry> progs = KernelHelpers.bpf_prog_for_each(k, BUDGET);
        List<ProgStats> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (progs.unavailable() != null) problems.add(progs.unavailable());
        boolean truncated = progs.truncated();
        long typeOff = off("struct bpf_prog", "type");
        for (IdrEntry e : progs.items()) {
            Read<Long> type = mem.u32(e.pointer().plus(typeOff));
            if (!type.isOk()) {
                problems.add("program " + e.id() + ": " + type.reasonOrNull());
                continue;
            }
            if (type.orElse(0L) != structOps) continue;
            if (out.size() >= MAX_PROGRAMS) {
                truncated = true;
                break;
            }
            try {
                out.add(program(e, offsets));
            } catch (Fault f) {
                problems.add("program " + e.id() + ": " + f.getMessage());
            }
        }
        String off = statsOff();
        if (off != null) problems.addFirst(off);
        return new Walk<>(out, truncated, problems.isEmpty() ? null : String.join("; ", problems));
    }

    private ProgStats program(IdrEntry e, long[] cpuOffsets) throws Fault {
        KernelVirtAddr prog = e.pointer();
        KernelVirtAddr aux = mem.pointer(prog.plus(off("struct bpf_prog", "aux"))).context("prog->aux").orFault();
        String name = mem.cString(aux.plus(off("struct bpf_prog_aux", "name")), 16).context("aux->name").orFault();
        String callback = string(aux.plus(off("struct bpf_prog_aux", "attach_func_name")));
        String ops = null;
        Read<KernelVirtAddr> stOps = types.offsetOf("struct bpf_prog_aux", "st_ops")
                .flatMap(o -> mem.pointer(aux.plus(o)));
        Read<Long> opsName = types.offsetOf("struct bpf_struct_ops", "name");
        if (stOps.isOk() && !stOps.orElse(null).isNull() && opsName.isOk()) {
            ops = string(stOps.orElse(null).plus(opsName.orElse(0L)));
        }
        KernelVirtAddr stats = mem.pointer(prog.plus(off("struct bpf_prog", "stats"))).context("prog->stats").orFault();
        long cntOff = off("struct bpf_prog_stats", "cnt");
        long nsOff = off("struct bpf_prog_stats", "nsecs");
        Read<Long> missesOff = types.offsetOf("struct bpf_prog_stats", "misses");
        long runs = 0;
        long ns = 0;
        long misses = 0;
        List<Long> perCpu = new ArrayList<>(cpuOffsets.length);
        for (int cpu = 0; cpu < cpuOffsets.length; cpu++) {
            KernelVirtAddr mine = stats.plus(cpuOffsets[cpu]);
            long cnt = mem.u64(mine.plus(cntOff)).context("cpu " + cpu + " stats").orFault();
            perCpu.add(cnt);
            runs += cnt;
            ns += mem.u64(mine.plus(nsOff)).context("cpu " + cpu + " stats").orFault();
            if (missesOff.isOk()) misses += mem.u64(mine.plus(missesOff.orElse(0L))).orElse(0L);
        }
        return new ProgStats(e.id(), name, callback, ops, runs, ns, runs > 0 ? Long.divideUnsigned(ns, runs) : null,
                misses, perCpu);
    }

    /** Why the counters stand still, or null while the kernel keeps them (or when that cannot be told). */
    private String statsOff() {
        Read<Long> enabled = k.symbols().require("bpf_stats_enabled_key").flatMap(key ->
                types.offsetOf("struct static_key_false", "key.enabled").flatMap(o -> mem.u32(key.plus(o))));
        if (enabled.isOk() && enabled.orElse(1L) == 0) {
            return "kernel.bpf_stats_enabled is off, so the kernel counts no runs or time (the guest agent turns it "
                    + "on before the scheduler starts)";
        }
        return null;
    }

    /** The string a {@code const char *} at {@code at} points to, or null when it is NULL or unreadable. */
    private String string(KernelVirtAddr at) {
        Read<KernelVirtAddr> p = mem.pointer(at);
        if (!p.isOk() || p.orElse(null).isNull()) return null;
        return mem.cString(p.orElse(null), 128).orElse(null);
    }

    private long off(String type, String path) throws Fault {
        return types.offsetOf(type, path).orFault();
    }
}
