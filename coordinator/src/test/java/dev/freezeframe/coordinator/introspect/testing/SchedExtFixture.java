package dev.freezeframe.coordinator.introspect.testing;

import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;

/**
 * The kernel side of sched_ext on top of a {@link SchedulerFixture} laid out with a real vmlinux BTF (the walkers
 * read {@code struct rq}, {@code task_struct}, {@code scx_dispatch_q}... which the synthetic BTF does not have):
 * <ul>
 *   <li>cpu 0 runs {@code worker}[101] (ext); {@code queued}[102] waits on cpu 0's runnable list and local DSQ;</li>
 *   <li>cpu 1 is idle ({@code swapper/1}[0]); {@code stalled}[103] waits on cpu 1's runnable list, queued on user DSQ
 *       7 (in the scheduler's DSQ hash), runnable for {@link #STALLED_WAIT_MS} ms;</li>
 *   <li>an empty global DSQ (node 0), HZ 250 (default 30 s watchdog), {@code SCX_EV_DISPATCH_KEEP_LAST} 5 + 7,
 *       cpu 0's {@code kernel_cpustat} user time 1 s;</li>
 *   <li>{@code prog_idr}: struct_ops programs 20 {@code qmap_enqueue} ({@code enqueue}, runs 30 + 10, 4 000 ns) and
 *       21 {@code qmap_dispatch} ({@code dispatch}, never run), and a tracing program 22 that is not listed;
 *       {@code kernel.bpf_stats_enabled} on.</li>
 * </ul>
 */
public final class SchedExtFixture {
    public static final long JIFFIES = 100_000;
    public static final long STALLED_WAIT_MS = 2_000;
    public static final long USER_DSQ = 7;
    /** {@code SCX_OPS_ENQ_LAST | SCX_OPS_ENQ_EXITING}. */
    public static final long OPS_FLAGS = 2 | 4;
    public static final long BYPASS_DEPTH = 2;
    /** {@code SCX_RQ_ONLINE} (cpu 1: plus one, {@code SCX_RQ_CAN_STOP_TICK}). */
    public static final long RQ_FLAGS = 1;
    /** {@code SCX_TASK_QUEUED}. */
    public static final long STALLED_SCX_FLAGS = 1;
    public static final long SCHED_EXT = 7;
    static final long RQ = SchedulerFixture.PCPU_BASE + 0x4000;
    static final long CPUSTAT = SchedulerFixture.PCPU_BASE + 0x8000;
    static final long SCHED_PCPU = SchedulerFixture.PCPU_BASE + 0x9000;
    static final long PROG_STATS = SchedulerFixture.PCPU_BASE + 0xC000;
    public static final long ENQUEUE_RUNS_CPU0 = 30;
    public static final long ENQUEUE_RUNS_CPU1 = 10;
    public static final long ENQUEUE_NS = 4_000;

    public final SchedulerFixture f;
    public final SyntheticImage img;
    public final KernelVirtAddr worker;
    public final KernelVirtAddr queued;
    public final KernelVirtAddr stalled;
    public final KernelVirtAddr userDsq;
    public final KernelVirtAddr globalDsq;
    public final KernelVirtAddr bucketTable;
    public final KernelVirtAddr[] rq = new KernelVirtAddr[SchedulerFixture.CPUS];
    public final KernelVirtAddr enqueueProg;
    public final KernelVirtAddr statsEnabledKey;

    public SchedExtFixture(SchedulerFixture f) {
        this.f = f;
        this.img = f.img;
        KernelVirtAddr ext = img.symbol("ext_sched_class", 256, 64);
        KernelVirtAddr idleClass = img.symbol("idle_sched_class", 256, 64);
        img.defineSymbol("runqueues", RQ);
        img.defineSymbol("kernel_cpustat", CPUSTAT);
        img.w64(img.symbol("jiffies_64", 8, 8), JIFFIES);
        img.w32(img.symbol("nr_node_ids", 4, 4), 1);
        KernelVirtAddr sch = f.scxSched;
        img.w64(sch.plus(img.off("struct scx_sched", "watchdog_timeout")), 30 * 250);
        img.w64(sch.plus(img.off("struct scx_sched", "pcpu")), SCHED_PCPU);
        img.w64(sch.plus(img.off("struct scx_sched", "ops.flags")), OPS_FLAGS);
        img.w32(sch.plus(img.off("struct scx_sched", "bypass_depth")), BYPASS_DEPTH);
        img.w8(sch.plus(img.off("struct scx_sched", "aborting")), 1);

        worker = task(101, "worker", ext, 0);
        queued = task(102, "queued", ext, 0);
        stalled = task(103, "stalled", ext, 1);
        KernelVirtAddr idle = task(0, "swapper/1", idleClass, 1);
        img.w64(stalled.plus(img.off("struct task_struct", "scx.runnable_at")), JIFFIES - STALLED_WAIT_MS * 250 / 1000);
        img.w64(queued.plus(img.off("struct task_struct", "scx.runnable_at")), JIFFIES - 1);
        img.w32(stalled.plus(img.off("struct task_struct", "static_prio")), 125); // nice 5
        img.w32(stalled.plus(img.off("struct task_struct", "tgid")), 100); // a thread of process 100
        img.w32(stalled.plus(img.off("struct task_struct", "scx.flags")), STALLED_SCX_FLAGS);

        for (int c = 0; c < SchedulerFixture.CPUS; c++) {
            rq[c] = f.cpuArea[c].plus(RQ - SchedulerFixture.PCPU_BASE);
            img.w64(rq[c].plus(img.off("struct rq", "curr")), (c == 0 ? worker : idle).value());
            img.w32(rq[c].plus(img.off("struct rq", "nr_running")), c == 0 ? 2 : 1);
            img.w32(rq[c].plus(img.off("struct rq", "scx.nr_running")), c == 0 ? 2 : 1);
            img.w64(rq[c].plus(img.off("struct rq", "scx.clock")), 5_000_000L + c);
            img.w32(rq[c].plus(img.off("struct rq", "scx.flags")), RQ_FLAGS + c);
            img.w8(rq[c].plus(img.off("struct rq", "scx.cpu_released")), c);
            KernelVirtAddr local = rq[c].plus(img.off("struct rq", "scx.local_dsq"));
            dsqHeader(local, 0x8000_0000_0000_0002L, c == 0 ? 1 : 0);
            link(local.plus(img.off("struct scx_dispatch_q", "list")), "scx.dsq_list.node",
                    c == 0 ? new KernelVirtAddr[] {queued} : new KernelVirtAddr[0]);
            link(rq[c].plus(img.off("struct rq", "scx.runnable_list")), "scx.runnable_node",
                    c == 0 ? new KernelVirtAddr[] {queued} : new KernelVirtAddr[] {stalled});
            KernelVirtAddr pcpu = f.cpuArea[c].plus(SCHED_PCPU - SchedulerFixture.PCPU_BASE);
            img.w64(pcpu.plus(img.off("struct scx_sched_pcpu", "event_stats.SCX_EV_DISPATCH_KEEP_LAST")), 5 + 2 * c);
            img.w64(f.cpuArea[c].plus(CPUSTAT - SchedulerFixture.PCPU_BASE + img.off("struct kernel_cpustat",
                    "cpustat")), c == 0 ? 1_000_000_000L : 0);
        }
        img.w64(queued.plus(img.off("struct task_struct", "scx.dsq")), rq[0].plus(img.off("struct rq",
                "scx.local_dsq")).value());

        // global DSQ: sch->pnode → [pnode0] → global_dsq (empty)
        KernelVirtAddr pnodes = img.kmalloc(8);
        KernelVirtAddr pnode = img.kmalloc(img.size("struct scx_sched_pnode"));
        img.w64(pnodes, pnode.value());
        img.w64(sch.plus(img.off("struct scx_sched", "pnode")), pnodes.value());
        globalDsq = pnode.plus(img.off("struct scx_sched_pnode", "global_dsq"));
        dsqHeader(globalDsq, 0x8000_0000_0000_0001L, 0);
        link(globalDsq.plus(img.off("struct scx_dispatch_q", "list")), "scx.dsq_list.node");

        // user DSQ 7 in sch->dsq_hash: a 4-bucket table, the DSQ in bucket 1, chain ended by a nulls marker
        userDsq = img.kmalloc(img.size("struct scx_dispatch_q"));
        dsqHeader(userDsq, USER_DSQ, 1);
        link(userDsq.plus(img.off("struct scx_dispatch_q", "list")), "scx.dsq_list.node", stalled);
        img.w64(stalled.plus(img.off("struct task_struct", "scx.dsq")), userDsq.value());
        bucketTable = img.kmalloc(img.size("struct bucket_table") + 4 * 8);
        img.w32(bucketTable.plus(img.off("struct bucket_table", "size")), 4);
        KernelVirtAddr buckets = bucketTable.plus(img.off("struct bucket_table", "buckets"));
        img.w64(buckets.plus(8), userDsq.plus(img.off("struct scx_dispatch_q", "hash_node")).value());
        img.w64(userDsq.plus(img.off("struct scx_dispatch_q", "hash_node")), (1L << 1) | 1);
        img.w64(sch.plus(img.off("struct scx_sched", "dsq_hash") + img.off("struct rhashtable", "tbl")),
                bucketTable.value());

        // struct_ops programs with per-CPU stats, and one of another type
        KernelVirtAddr ops = img.kmalloc(img.size("struct bpf_struct_ops"));
        img.w64(ops.plus(img.off("struct bpf_struct_ops", "name")), string("sched_ext_ops").value());
        long structOps = enumValue("BPF_PROG_TYPE_STRUCT_OPS");
        enqueueProg = prog("qmap_enqueue", "enqueue", structOps, ops, PROG_STATS, new long[] {ENQUEUE_RUNS_CPU0,
                ENQUEUE_RUNS_CPU1}, new long[] {ENQUEUE_NS * 3 / 4 * (ENQUEUE_RUNS_CPU0 + ENQUEUE_RUNS_CPU1),
                ENQUEUE_NS / 4 * (ENQUEUE_RUNS_CPU0 + ENQUEUE_RUNS_CPU1)});
        KernelVirtAddr dispatch = prog("qmap_dispatch", "dispatch", structOps, ops, PROG_STATS + 0x100,
                new long[] {0, 0}, new long[] {0, 0});
        KernelVirtAddr tracing = prog("trace_fork", null, enumValue("BPF_PROG_TYPE_TRACING"), null,
                PROG_STATS + 0x200, new long[] {99, 99}, new long[] {1, 1});
        img.idr("prog_idr", 0, java.util.Map.of(20L, enqueueProg.value(), 21L, dispatch.value(), 22L,
                tracing.value()));
        statsEnabledKey = img.symbol("bpf_stats_enabled_key", img.size("struct static_key_false"), 8);
        img.w32(statsEnabledKey.plus(img.off("struct static_key_false", "key.enabled")), 1);
    }

    private KernelVirtAddr prog(String name, String callback, long type, KernelVirtAddr ops, long stats, long[] runs,
                                long[] ns) {
        KernelVirtAddr prog = img.kmalloc(img.size("struct bpf_prog"));
        KernelVirtAddr aux = img.kmalloc(img.size("struct bpf_prog_aux"));
        img.w32(prog.plus(img.off("struct bpf_prog", "type")), type);
        img.w64(prog.plus(img.off("struct bpf_prog", "aux")), aux.value());
        img.w64(prog.plus(img.off("struct bpf_prog", "stats")), stats);
        img.wstr(aux.plus(img.off("struct bpf_prog_aux", "name")), name);
        if (callback != null) {
            img.w64(aux.plus(img.off("struct bpf_prog_aux", "attach_func_name")), string(callback).value());
        }
        if (ops != null) img.w64(aux.plus(img.off("struct bpf_prog_aux", "st_ops")), ops.value());
        for (int c = 0; c < SchedulerFixture.CPUS; c++) {
            KernelVirtAddr mine = f.cpuArea[c].plus(stats - SchedulerFixture.PCPU_BASE);
            img.w64(mine.plus(img.off("struct bpf_prog_stats", "cnt")), runs[c]);
            img.w64(mine.plus(img.off("struct bpf_prog_stats", "nsecs")), ns[c]);
        }
        return prog;
    }

    private KernelVirtAddr string(String text) {
        KernelVirtAddr at = img.kmalloc(text.length() + 1);
        img.wstr(at, text);
        return at;
    }

    private long enumValue(String name) {
        try {
            var t = f.vmlinux.resolve(f.vmlinux.requireType("enum bpf_prog_type").id());
            for (var v : ((dev.freezeframe.coordinator.introspect.btf.BtfType.Enum) t).values()) {
                if (v.name().equals(name)) return v.value();
            }
        } catch (dev.freezeframe.coordinator.introspect.btf.BtfException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no " + name);
    }

    /**
     * {@code count} more sched_ext tasks {@code COMMn}[firstPid + n] last seen on {@code cpu}, not linked anywhere yet
     * ({@link #link} puts them on a run queue's runnable list or a DSQ).
     */
    public KernelVirtAddr[] moreTasks(int count, int firstPid, String comm, int cpu) {
        KernelVirtAddr ext = KernelVirtAddr.of(img.symbols().get("ext_sched_class"));
        KernelVirtAddr[] out = new KernelVirtAddr[count];
        for (int i = 0; i < count; i++) out[i] = task(firstPid + i, comm + i, ext, cpu);
        return out;
    }

    private KernelVirtAddr task(int pid, String comm, KernelVirtAddr schedClass, int cpu) {
        String t = "struct task_struct";
        KernelVirtAddr p = img.kmalloc(img.size(t));
        img.w32(p.plus(img.off(t, "pid")), pid);
        img.w32(p.plus(img.off(t, "tgid")), pid);
        img.w32(p.plus(img.off(t, "policy")), pid == 0 ? 0 : SCHED_EXT);
        img.wstr(p.plus(img.off(t, "comm")), comm);
        img.w32(p.plus(img.off(t, "static_prio")), 120);
        img.w64(p.plus(img.off(t, "sched_class")), schedClass.value());
        img.w32(p.plus(img.off(t, "thread_info.cpu")), cpu);
        img.w32(p.plus(img.off(t, "scx.weight")), 100);
        img.w64(p.plus(img.off(t, "scx.slice")), 20_000_000L);
        img.w64(p.plus(img.off(t, "scx.dsq_vtime")), 1000L * pid);
        return p;
    }

    private void dsqHeader(KernelVirtAddr dsq, long id, long nr) {
        img.w64(dsq.plus(img.off("struct scx_dispatch_q", "id")), id);
        img.w32(dsq.plus(img.off("struct scx_dispatch_q", "nr")), nr);
        img.w32(dsq.plus(img.off("struct scx_dispatch_q", "seq")), 10 + nr);
    }

    /** A circular list at {@code head} through {@code member} of the given tasks. */
    public void link(KernelVirtAddr head, String member, KernelVirtAddr... tasks) {
        long next = img.off("struct list_head", "next");
        long prevOff = img.off("struct list_head", "prev");
        KernelVirtAddr prev = head;
        for (KernelVirtAddr t : tasks) {
            KernelVirtAddr node = t.plus(img.off("struct task_struct", member));
            img.w64(prev.plus(next), node.value());
            img.w64(node.plus(prevOff), prev.value());
            prev = node;
        }
        img.w64(prev.plus(next), head.value());
        img.w64(head.plus(prevOff), prev.value());
    }
}
