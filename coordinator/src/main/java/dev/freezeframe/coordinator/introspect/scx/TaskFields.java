package dev.freezeframe.coordinator.introspect.scx;

import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import java.util.function.LongFunction;

/**
 * The fields of a {@code struct task_struct} the sched_ext views show, at BTF offsets: identity ({@code pid},
 * {@code tgid}, {@code comm}, {@code policy}, {@code sched_class} named by its symbol) and the {@code scx} entity.
 */
final class TaskFields {
    static final String T = "struct task_struct";
    /** {@code SCX_TASK_QUEUED}. */
    static final long SCX_TASK_QUEUED = 1;
    /** {@code SCX_DSQ_LNODE_ITER_CURSOR}. */
    static final long LNODE_ITER_CURSOR = 1;
    private final KernelView k;
    private final KernelMemory mem;
    private final KernelTypes types;

    TaskFields(KernelView k) {
        this.k = k;
        this.mem = k.memory();
        this.types = k.types();
    }

    private long off(String path) throws Fault {
        return types.offsetOf(T, path).orFault();
    }

    private long u(KernelVirtAddr t, String path, int size) throws Fault {
        return mem.number(t.plus(off(path)), size).context("task " + t + " " + path).orFault();
    }

    private void check(KernelVirtAddr t) throws Fault {
        if (t.isNull() || t.value() >= 0 || (t.value() & 7) != 0) {
            throw new Fault(t + " is not a task_struct pointer");
        }
    }

    Read<SchedExtKernel.TaskRef> ref(KernelVirtAddr t) {
        return Read.attempt(() -> {
            check(t);
            return new SchedExtKernel.TaskRef((int) u(t, "pid", 4), comm(t), u(t, "policy", 4), schedClass(t));
        });
    }

    Read<SchedExtKernel.Task> task(KernelVirtAddr t, boolean running, long hz, long jiffies,
            LongFunction<String> dsqName) {
        return Read.attempt(() -> {
            check(t);
            long flags = u(t, "scx.flags", 4);
            KernelVirtAddr dsq = mem.pointer(t.plus(off("scx.dsq"))).orFault();
            String dsqText = null;
            if (!dsq.isNull()) {
                long idOff = types.offsetOf("struct scx_dispatch_q", "id").orFault();
                dsqText = mem.u64(dsq.plus(idOff)).map(dsqName::apply).orElse("unreadable DSQ at " + dsq);
            }
            long runnableAt = u(t, "scx.runnable_at", 8);
            Long waitedMs = hz > 0 && jiffies != 0 ? Math.max(0, jiffies - runnableAt) * 1000 / hz : null;
            return new SchedExtKernel.Task((int) u(t, "pid", 4), (int) u(t, "tgid", 4), comm(t), u(t, "policy", 4),
                    (int) u(t, "static_prio", 4) - 120, u(t, "scx.weight", 4), flags, (flags & SCX_TASK_QUEUED) != 0,
                    u(t, "scx.slice", 8), u(t, "scx.dsq_vtime", 8), dsqText, waitedMs, cpu(t), running,
                    schedClass(t));
        });
    }

    /** A DSQ list node of a BPF iterator's cursor (not inside a task). */
    boolean isIterCursor(KernelVirtAddr t) {
        Read<Long> flags = types.offsetOf(T, "scx.dsq_list.flags").flatMap(o -> mem.u32(t.plus(o)));
        return flags.isOk() && (flags.orElse(0L) & LNODE_ITER_CURSOR) != 0;
    }

    private String comm(KernelVirtAddr t) throws Fault {
        return mem.cString(t.plus(off("comm")), 16).context("task " + t + " comm").orFault();
    }

    /** {@code task_cpu()}: {@code p->thread_info.cpu} with THREAD_INFO_IN_TASK, else {@code p->cpu}. */
    private long cpu(KernelVirtAddr t) throws Fault {
        Read<Long> o = types.offsetOf(T, "thread_info.cpu");
        if (!o.isOk()) o = types.offsetOf(T, "cpu");
        return (int) (long) mem.u32(t.plus(o.orFault())).orFault();
    }

    /** {@code ext}, {@code fair}, {@code rt}... from the symbol of {@code p->sched_class}, else its address. */
    private String schedClass(KernelVirtAddr t) throws Fault {
        KernelVirtAddr c = mem.pointer(t.plus(off("sched_class"))).orFault();
        return k.symbols().symbolFor(c.value()).map(n -> n.replaceFirst("_sched_class$", "")).orElse(c.toString());
    }
}
