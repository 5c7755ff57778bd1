package dev.freezeframe.coordinator.introspect.scx;

import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.btf.BtfType;
import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.kernel.WalkBudget;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel.Cpu;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel.CpuTime;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel.Dsq;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel.Event;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel.Sched;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@link SchedExtKernel} from a frozen 7.x kernel, the way {@code scx_dump_state()} walks it: per CPU
 * {@code runqueues} ({@code rq->scx}: {@code local_dsq}, {@code runnable_list}, {@code nr_running}, {@code flags},
 * {@code cpu_released}, {@code clock}; {@code rq->curr}), the root scheduler's global DSQs ({@code sch->pnode[node]
 * ->global_dsq}) and user DSQs (the {@code sch->dsq_hash} rhashtable), its per-CPU {@code event_stats}
 * ({@code sch->pcpu}), and {@code kernel_cpustat}. Layouts come from the vmlinux BTF; every list and table walk is
 * bounded and cycle-checked, and each part ends in its own reason when it cannot be read. Never throws for bad guest
 * data.
 */
public final class SchedExtKernelReader {
    public static final int MAX_CPUS = 512;
    /** Runnable tasks listed per snapshot (the rest is marked truncated). */
    public static final int MAX_TASKS_LISTED = 512;
    /** Tasks listed per DSQ ({@code nr} still counts them all). */
    public static final int MAX_QUEUED_LISTED = 64;
    static final int MAX_RUNNABLE_PER_CPU = 4096;
    static final int MAX_NODES = 64;
    static final long MAX_HASH_BUCKETS = 1 << 16;
    static final int MAX_USER_DSQS = 1024;
    static final long DSQ_FLAG_BUILTIN = 1L << 63;
    static final long DSQ_FLAG_LOCAL_ON = 1L << 62;

    private final KernelView k;
    private final KernelMemory mem;
    private final KernelTypes types;
    private final TaskFields taskFields;
    private Read<long[]> cpuOffsets;

    private SchedExtKernelReader(KernelView k) {
        this.k = k;
        this.mem = k.memory();
        this.types = k.types();
        this.taskFields = new TaskFields(k);
    }

    /** Reads everything; {@code scx} is the already-read root state (its {@code root} may be NULL). */
    public static SchedExtKernel read(KernelView k, ScxState scx) {
        return new SchedExtKernelReader(k).readAll(scx);
    }

    /**
     * Only what a stall watch needs, cheap enough to poll: the scheduler's settings, the run queues and the runnable
     * tasks (no DSQs, counters or CPU time: those parts are empty).
     */
    public static SchedExtKernel readRunQueues(KernelView k, ScxState scx) {
        return new SchedExtKernelReader(k).read(scx, false);
    }

    private SchedExtKernel readAll(ScxState scx) {
        return read(scx, true);
    }

    private SchedExtKernel read(ScxState scx, boolean everything) {
        KernelVirtAddr root = scx != null && scx.attached() ? scx.root() : null;
        String noRoot = scx == null || scx.root() == null
                ? "scx_root unreadable" + (scx == null || scx.unavailable() == null ? "" : ": " + scx.unavailable())
                : "no BPF scheduler is attached (scx_root is NULL)";
        Sched sched = root == null ? new Sched(null, 0, List.of(), 0, false, 0, 0, jiffies(), null, noRoot)
                : guard(() -> sched(root), r -> new Sched(null, 0, List.of(), 0, false, 0, 0, 0, null, r));
        long hz = sched.hz();
        long now = sched.jiffies();

        List<KernelVirtAddr> rqs = new ArrayList<>();
        List<Walk<KernelVirtAddr>> runnableLists = new ArrayList<>();
        Walk<Cpu> cpus = guardWalk(() -> cpus(rqs, runnableLists));
        Map<Long, Boolean> running = new LinkedHashMap<>(); // task → is some CPU's current task
        List<KernelVirtAddr> runnable = new ArrayList<>();
        boolean runnableTruncated = false;
        List<String> problems = new ArrayList<>();
        for (int cpu = 0; cpu < rqs.size(); cpu++) {
            KernelVirtAddr rq = rqs.get(cpu);
            Read<KernelVirtAddr> curr = off("struct rq", "curr").flatMap(o -> mem.pointer(rq.plus(o)));
            if (curr.isOk()) {
                running.put(curr.orElse(null).value(), true);
                // 7.x takes the running task off runnable_list (set_next_task_scx): list it as running
                if (taskFields.ref(curr.orElse(null)).map(t -> "ext".equals(t.schedClass())).orElse(false)) {
                    runnable.add(curr.orElse(null));
                }
            }
            Walk<KernelVirtAddr> list = cpu < runnableLists.size() ? runnableLists.get(cpu) : runnableList(rq);
            runnable.addAll(list.items());
            runnableTruncated |= list.truncated();
            if (list.unavailable() != null) problems.add("cpu " + cpu + " runnable_list: " + list.unavailable());
        }
        boolean cut = runnableTruncated;
        Walk<Task> tasks = guardWalk(() -> tasks(runnable, running.keySet(), cut, problems, hz, now));
        if (!everything) {
            return new SchedExtKernel(sched, cpus, new Walk<>(List.of(), false, null), tasks,
                    new Walk<>(List.of(), false, null), new Walk<>(List.of(), false, null));
        }
        Walk<Dsq> dsqs = guardWalk(() -> dsqs(root, noRoot, rqs));
        Walk<Event> events = root == null ? new Walk<>(List.of(), false, noRoot) : guardWalk(() -> events(root));
        Walk<CpuTime> cpuTime = guardWalk(this::cpuTime);
        return new SchedExtKernel(sched, cpus, dsqs, tasks, events, cpuTime);
    }

    // ------------------------------------------------------------------------------------------------ scheduler

    private Sched sched(KernelVirtAddr root) throws Fault {
        String s = "struct scx_sched";
        List<String> problems = new ArrayList<>();
        String name = off(s, "ops.name").flatMap(o -> types.memberSize(s, "ops.name")
                .flatMap(n -> mem.cString(root.plus(o), (int) Math.min(n, ScxStateReader.MAX_TEXT)))).orElse(null);
        long flags = number(root, s, "ops.flags", problems);
        List<String> flagNames = flagNames("enum scx_ops_flags", flags);
        long bypass = signed32(number(root, s, "bypass_depth", problems));
        boolean aborting = number(root, s, "aborting", problems) != 0;
        long timeout = number(root, s, "watchdog_timeout", problems);
        long timeoutMs = number(root, s, "ops.timeout_ms", problems);
        long hz = timeout <= 0 ? 0 : timeoutMs > 0 ? Math.round(timeout * 1000.0 / timeoutMs) : timeout / 30;
        String dump = null;
        Read<String> d = off(s, "exit_info").flatMap(o -> mem.pointer(root.plus(o)))
                .flatMap(info -> info.isNull() ? Read.ok(KernelVirtAddr.NULL)
                        : off("struct scx_exit_info", "dump").flatMap(o -> mem.pointer(info.plus(o))))
                .flatMap(p -> p.isNull() ? Read.ok("") : mem.cString(p, MAX_DUMP));
        if (d.isOk()) {
            String text = d.orElse("");
            dump = text.isEmpty() ? null : text;
        } else {
            problems.add("exit dump: " + d.reasonOrNull());
        }
        return new Sched(name, flags, flagNames, bypass, aborting, timeout, hz, jiffies(), dump,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** {@code exit_dump_len} defaults to 32 KiB; a scheduler may ask for more. */
    static final int MAX_DUMP = 256 << 10;

    private long jiffies() {
        Read<KernelVirtAddr> sym = k.symbols().require("jiffies_64");
        if (!sym.isOk()) sym = k.symbols().require("jiffies");
        return sym.flatMap(mem::u64).orElse(0L);
    }

    // ------------------------------------------------------------------------------------------------ CPUs

    private Read<long[]> cpuOffsets() {
        if (cpuOffsets == null) cpuOffsets = KernelHelpers.per_cpu_offsets(k, MAX_CPUS);
        return cpuOffsets;
    }

    private Walk<Cpu> cpus(List<KernelVirtAddr> rqsOut, List<Walk<KernelVirtAddr>> runnableOut) throws Fault {
        long[] offsets = cpuOffsets().orFault();
        KernelVirtAddr runqueues = k.symbols().require("runqueues").orFault();
        List<Cpu> out = new ArrayList<>();
        for (int cpu = 0; cpu < offsets.length; cpu++) {
            KernelVirtAddr rq = runqueues.plus(offsets[cpu]);
            rqsOut.add(rq);
            Walk<KernelVirtAddr> runnable = runnableList(rq);
            runnableOut.add(runnable);
            out.add(cpu(cpu, rq, runnable.items().size()));
        }
        return new Walk<>(out, offsets.length == MAX_CPUS, null);
    }

    private Cpu cpu(int cpu, KernelVirtAddr rq, int runnable) {
        List<String> problems = new ArrayList<>();
        String r = "struct rq";
        long nr = number(rq, r, "nr_running", problems);
        long scxNr = number(rq, r, "scx.nr_running", problems);
        long flags = number(rq, r, "scx.flags", problems);
        boolean released = number(rq, r, "scx.cpu_released", problems) != 0;
        long clock = number(rq, r, "scx.clock", problems);
        long rqClock = number(rq, r, "clock", problems);
        long depth = number(rq, r, "scx.local_dsq.nr", problems);
        SchedExtKernel.TaskRef current = null;
        Read<SchedExtKernel.TaskRef> curr = off(r, "curr").flatMap(o -> mem.pointer(rq.plus(o)))
                .flatMap(taskFields::ref);
        if (curr.isOk()) current = curr.orElse(null);
        else problems.add("current task: " + curr.reasonOrNull());
        return new Cpu(cpu, nr, scxNr, flags, released, clock, rqClock, current, depth, runnable,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    private Walk<KernelVirtAddr> runnableList(KernelVirtAddr rq) {
        Read<Long> head = off("struct rq", "scx.runnable_list");
        if (!head.isOk()) return new Walk<>(List.of(), false, head.reasonOrNull());
        return KernelHelpers.list_for_each_entry(k, rq.plus(head.orElse(0L)), "struct task_struct",
                "scx.runnable_node", new WalkBudget(MAX_RUNNABLE_PER_CPU + 1, MAX_RUNNABLE_PER_CPU));
    }

    // ------------------------------------------------------------------------------------------------ tasks

    private Walk<Task> tasks(List<KernelVirtAddr> runnable, Set<Long> running, boolean truncated,
            List<String> problems, long hz, long jiffies) {
        List<Task> out = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        boolean cut = truncated;
        for (KernelVirtAddr t : runnable) {
            if (!seen.add(t.value())) continue;
            if (out.size() >= MAX_TASKS_LISTED) {
                cut = true;
                break;
            }
            Read<Task> task = taskFields.task(t, running.contains(t.value()), hz, jiffies, this::dsqName);
            if (task.isOk()) out.add(task.orElse(null));
            else problems.add("task at " + t + ": " + task.reasonOrNull());
        }
        return new Walk<>(out, cut, problems.isEmpty() ? null : String.join("; ", problems));
    }

    // ------------------------------------------------------------------------------------------------ DSQs

    private Walk<Dsq> dsqs(KernelVirtAddr root, String noRoot, List<KernelVirtAddr> rqs) {
        List<Dsq> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (root == null) {
            problems.add("global and user DSQs: " + noRoot);
        } else {
            try {
                globalDsqs(root, out);
            } catch (Fault f) {
                problems.add("global DSQ: " + f.getMessage());
            }
        }
        Read<Long> local = off("struct rq", "scx.local_dsq");
        for (int cpu = 0; cpu < rqs.size(); cpu++) {
            if (!local.isOk()) {
                problems.add("local DSQs: " + local.reasonOrNull());
                break;
            }
            out.add(dsq(rqs.get(cpu).plus(local.orElse(0L)), "local", cpu, null));
        }
        boolean truncated = false;
        if (root != null) {
            try {
                truncated = userDsqs(root, out);
            } catch (Fault f) {
                problems.add("user DSQs: " + f.getMessage());
            }
        }
        return new Walk<>(out, truncated, problems.isEmpty() ? null : String.join("; ", problems));
    }

    private void globalDsqs(KernelVirtAddr root, List<Dsq> out) throws Fault {
        KernelVirtAddr pnodes = mem.pointer(root.plus(off("struct scx_sched", "pnode").orFault())).orFault();
        if (pnodes.isNull()) throw new Fault("sch->pnode is NULL");
        long nodes = k.symbols().require("nr_node_ids").flatMap(mem::u32).orElse(1L);
        if (nodes < 1 || nodes > MAX_NODES) throw new Fault("nr_node_ids " + nodes + " is outside 1.." + MAX_NODES);
        long globalOff = off("struct scx_sched_pnode", "global_dsq").orFault();
        for (int n = 0; n < nodes; n++) {
            KernelVirtAddr pnode = mem.pointer(pnodes.plus(8L * n)).context("sch->pnode[" + n + "]").orFault();
            if (pnode.isNull()) continue; // a node without memory
            out.add(dsq(pnode.plus(globalOff), "global", null, n));
        }
    }

    /** The rhashtable {@code sch->dsq_hash}: buckets of {@code rhash_head} chains ending in a nulls marker. */
    private boolean userDsqs(KernelVirtAddr root, List<Dsq> out) throws Fault {
        KernelVirtAddr ht = root.plus(off("struct scx_sched", "dsq_hash").orFault());
        KernelVirtAddr tbl = mem.pointer(ht.plus(off("struct rhashtable", "tbl").orFault())).context("dsq_hash")
                .orFault();
        if (tbl.isNull()) return false;
        long size = mem.u32(tbl.plus(off("struct bucket_table", "size").orFault())).orFault();
        long nest = mem.u32(tbl.plus(off("struct bucket_table", "nest").orFault())).orFault();
        if (nest != 0) throw new Fault("the DSQ hash table is nested (" + size + " buckets), which is not read");
        if (size < 1 || size > MAX_HASH_BUCKETS || Long.bitCount(size) != 1) {
            throw new Fault("the DSQ hash table claims " + size + " buckets");
        }
        byte[] raw = mem.bytes(tbl.plus(off("struct bucket_table", "buckets").orFault()), 8 * size)
                .context("dsq_hash buckets").orFault();
        ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long nextOff = off("struct rhash_head", "next").orFault();
        long nodeOff = off("struct scx_dispatch_q", "hash_node").orFault();
        Set<Long> seen = new HashSet<>();
        for (int b = 0; b < size; b++) {
            long p = le.getLong(b * 8) & ~1L; // bit 0 is the bucket lock
            while (p != 0 && (p & 1) == 0) { // an odd pointer is the chain's nulls marker
                if (!seen.add(p)) throw new Fault("DSQ hash bucket " + b + " loops back to " + KernelVirtAddr.of(p));
                if (seen.size() > MAX_USER_DSQS) return true;
                KernelVirtAddr dsq = KernelVirtAddr.of(p - nodeOff);
                out.add(dsq(dsq, "user", null, null));
                p = mem.u64(KernelVirtAddr.of(p + nextOff)).context("DSQ hash chain").orFault();
            }
        }
        return false;
    }

    private Dsq dsq(KernelVirtAddr dsq, String kind, Integer cpu, Integer node) {
        String q = "struct scx_dispatch_q";
        List<String> problems = new ArrayList<>();
        long id = number(dsq, q, "id", problems);
        long nr = number(dsq, q, "nr", problems);
        long seq = number(dsq, q, "seq", problems);
        String name = kind.equals("user") ? dsqName(id) : kind;
        List<SchedExtKernel.TaskRef> queued = new ArrayList<>();
        boolean truncated = false;
        Read<Long> listOff = off(q, "list");
        if (listOff.isOk()) {
            Walk<KernelVirtAddr> w = KernelHelpers.list_for_each_entry(k, dsq.plus(listOff.orElse(0L)),
                    "struct task_struct", "scx.dsq_list.node", new WalkBudget(4 * MAX_QUEUED_LISTED,
                            MAX_QUEUED_LISTED));
            truncated = w.truncated();
            if (w.unavailable() != null) problems.add(w.unavailable());
            for (KernelVirtAddr t : w.items()) {
                if (taskFields.isIterCursor(t)) continue; // a BPF DSQ iterator's cursor, not a task
                Read<SchedExtKernel.TaskRef> ref = taskFields.ref(t);
                if (ref.isOk()) queued.add(ref.orElse(null));
                else problems.add("queued task at " + t + ": " + ref.reasonOrNull());
            }
        } else {
            problems.add(listOff.reasonOrNull());
        }
        String idText = (id & DSQ_FLAG_BUILTIN) != 0 ? String.format("0x%016x", id) : Long.toString(id);
        return new Dsq(name, idText, cpu, node, nr, seq, queued, truncated,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** A DSQ id in words: builtin ones by name, user ones by number. */
    String dsqName(long id) {
        if ((id & DSQ_FLAG_BUILTIN) == 0) return "user " + id;
        if ((id & DSQ_FLAG_LOCAL_ON) != 0) return "local of cpu " + (id & 0xffff_ffffL);
        return switch ((int) (id & 0xffff_ffffL)) {
            case 1 -> "global";
            case 2 -> "local";
            case 3 -> "bypass";
            default -> String.format("builtin 0x%x", id);
        };
    }

    // ------------------------------------------------------------------------------------------------ counters

    private Walk<Event> events(KernelVirtAddr root) throws Fault {
        long[] offsets = cpuOffsets().orFault();
        KernelVirtAddr pcpu = mem.pointer(root.plus(off("struct scx_sched", "pcpu").orFault())).context("sch->pcpu")
                .orFault();
        long statsOff = off("struct scx_sched_pcpu", "event_stats").orFault();
        List<BtfType.Member> members = members("struct scx_event_stats");
        long size = types.sizeOf("struct scx_event_stats").orFault();
        long[][] perCpu = new long[offsets.length][];
        for (int cpu = 0; cpu < offsets.length; cpu++) {
            byte[] raw = mem.bytes(pcpu.plus(offsets[cpu] + statsOff), size).context("cpu " + cpu + " event_stats")
                    .orFault();
            ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            perCpu[cpu] = new long[members.size()];
            for (int i = 0; i < members.size(); i++) {
                long byteOff = members.get(i).bitOffset() / 8;
                perCpu[cpu][i] = byteOff + 8 <= size ? le.getLong((int) byteOff) : 0;
            }
        }
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            long total = 0;
            List<Long> each = new ArrayList<>(offsets.length);
            for (long[] c : perCpu) {
                total += c[i];
                each.add(c[i]);
            }
            out.add(new Event(members.get(i).name(), total, each));
        }
        return new Walk<>(out, false, null);
    }

    private Walk<CpuTime> cpuTime() throws Fault {
        long[] offsets = cpuOffsets().orFault();
        KernelVirtAddr stat = k.symbols().require("kernel_cpustat").orFault();
        long arrOff = off("struct kernel_cpustat", "cpustat").orFault();
        long bytes = types.memberSize("struct kernel_cpustat", "cpustat").orFault();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < bytes / 8; i++) {
            names.add(types.enumName("enum cpu_usage_stat", i).map(n -> n.replaceFirst("^CPUTIME_", "")
                    .toLowerCase(Locale.ROOT)).orElse("stat" + i));
        }
        List<CpuTime> out = new ArrayList<>();
        for (int cpu = 0; cpu < offsets.length; cpu++) {
            byte[] raw = mem.bytes(stat.plus(offsets[cpu] + arrOff), bytes).context("cpu " + cpu + " kernel_cpustat")
                    .orFault();
            ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Long> ns = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) ns.put(names.get(i), le.getLong(i * 8));
            out.add(new CpuTime(cpu, ns));
        }
        return new Walk<>(out, false, null);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private List<BtfType.Member> members(String cType) throws Fault {
        try {
            if (types.btf().resolve(types.typeId(cType).orFault()) instanceof BtfType.Composite c) return c.members();
            throw new Fault(cType + " is not a struct");
        } catch (BtfException e) {
            throw new Fault(cType + ": " + e.getMessage());
        }
    }

    private List<String> flagNames(String enumType, long flags) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((flags & (1L << bit)) != 0) {
                out.add(types.enumName(enumType, 1L << bit).orElse("bit " + bit));
            }
        }
        return out;
    }

    private Read<Long> off(String type, String path) {
        return types.offsetOf(type, path);
    }

    /** An unsigned integer member of its own size at {@code base}; a failure is noted and reads as 0. */
    long number(KernelVirtAddr base, String type, String path, List<String> problems) {
        Read<Long> v = off(type, path).flatMap(o -> types.memberSize(type, path).flatMap(size ->
                size == 1 || size == 2 || size == 4 || size == 8 ? mem.number(base.plus(o), (int) (long) size)
                        : Read.unavailable(type + "." + path + " has " + size + " bytes")));
        if (v.isOk()) return v.orElse(0L);
        problems.add(path + ": " + v.reasonOrNull());
        return 0;
    }

    static long signed32(long v) {
        return (int) v;
    }

    private interface WalkBody<T> {
        Walk<T> run() throws Fault;
    }

    private interface Body<T> {
        T run() throws Fault;
    }

    private static <T> Walk<T> guardWalk(WalkBody<T> body) {
        try {
            return body.run();
        } catch (Fault f) {
            return new Walk<>(List.of(), false, f.getMessage());
        } catch (RuntimeException e) { // a check forgotten here must not end the capture
            return new Walk<>(List.of(), false, "cannot read: " + e);
        }
    }

    private static <T> T guard(Body<T> body, java.util.function.Function<String, T> failed) {
        try {
            return body.run();
        } catch (Fault f) {
            return failed.apply(f.getMessage());
        } catch (RuntimeException e) {
            return failed.apply("cannot read: " + e);
        }
    }
}
