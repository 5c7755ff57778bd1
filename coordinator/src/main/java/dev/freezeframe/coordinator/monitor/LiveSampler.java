package dev.freezeframe.coordinator.monitor;

import dev.freezeframe.coordinator.introspect.bpf.BpfMapReader;
import dev.freezeframe.coordinator.introspect.bpf.MapReadOptions;
import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.btf.BtfType;
import dev.freezeframe.coordinator.introspect.btf.MemberLocation;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernelReader;
import dev.freezeframe.coordinator.introspect.scx.ScxState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The live monitor's reader: resolves every layout and address once per attached scheduler ({@link #prepare}), then
 * each {@link #sampleInto} reads guest RAM while the guest runs — no freeze, no type lookups, no allocation, one read
 * per contiguous range (about 10 reads for 2 CPUs plus one per runnable task and user DSQ). What
 * it reads is what a snapshot's {@code scx_cpus}, {@code scx_dsqs}, {@code scx_tasks}, {@code scx_events} and
 * {@code maps} sections show for the same fields. The guest changes under the reads: a counter may be torn, a list
 * may change while it is walked; every walk is bounded and cycle-checked, a read that fails leaves a gap in its series
 * and is counted, nothing throws. One thread at a time.
 */
public final class LiveSampler {
    /** Entries of a CPU's {@code runnable_list} looked at for the oldest one (the list is in runnable order). */
    static final int MAX_RUNNABLE_WALK = 64;
    static final long MAX_USER_DSQ_BUCKETS = 4096;
    static final int MAX_USER_DSQS = 256;

    /** A prepared sampler and what could not be monitored (a map or field the scheduler does not have, in words). */
    public record Prepared(LiveSampler sampler, List<String> problems) {
    }

    /** One sample: the points read, and how many reads failed (their series have a gap there). */
    public record Sample(MonitorPoints points, int failedReads) {
    }

    /** A user field: its addresses (one, or one per CPU), how to decode it, and its series kinds made once. */
    private record Field(String kind, String[] cpuKinds, long[] at, int size, boolean signed, boolean perCpu) {
    }

    private record Event(String series, int offset) {
    }

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Largest contiguous range read at once (a run queue's sched_ext fields, the event counters of a CPU). */
    private static final int MAX_SPAN = 64 << 10;

    private final KernelMemory mem;
    private final KernelVirtAddr root;
    private final long[] cpuOffsets;
    private final long runqueues;
    private final long scxNrOff;
    private final int scxNrSize;
    private final long localNrOff;
    private final long runnableHeadOff;
    /** The part of {@code struct rq} read per CPU: from the first to the last byte of the three fields sampled. */
    private final long rqSpanStart;
    private final int rqSpanLength;
    private final long runnableNodeOff;
    private final long runnableAtOff;
    /** The part of a task read per runnable entry, relative to its {@code runnable_node}: next and runnable_at. */
    private final long taskSpanStart;
    private final int taskSpanLength;
    private final long jiffies;
    private final long hz;
    private final long[] globalDsqs;
    private final long dsqNrOff;
    private final long dsqIdOff;
    private final long dsqHashNodeOff;
    /** The part of a DSQ read per user DSQ: id, nr and the hash node's next. */
    private final long dsqSpanStart;
    private final int dsqSpanLength;
    private final long dsqHashTbl; // &sch->dsq_hash.tbl
    private final long tblSizeOff;
    private final long tblBucketsOff;
    private final long rhashNextOff;
    private final long eventsPcpu; // sch->pcpu + event_stats, before the per-CPU offset; 0: none
    private final int eventsSize;
    private final int[] eventOffsets;
    private final String[] eventKinds;
    private final List<Field> fields;
    private final String[] nrRunningKinds;
    private final String[] localDsqKinds;
    private final String[] oldestKinds;
    private final String[] globalKinds;

    // per-sample scratch, reused (one thread at a time)
    private final byte[] buf;
    private final byte[] buckets = new byte[(int) (8 * MAX_USER_DSQ_BUCKETS)];
    private final long[] walked = new long[MAX_RUNNABLE_WALK];
    private final long[] dsqSeen = new long[MAX_USER_DSQS];
    private final long[] userDsqIds = new long[MAX_USER_DSQS];
    private final String[] userDsqKindsById = new String[MAX_USER_DSQS];
    private final long[] eventSums;
    private int failed;

    private LiveSampler(KernelView k, KernelVirtAddr root, List<KernelVirtAddr> globalDsqs, long hz,
            KernelVirtAddr eventsPcpu, int eventsSize, List<Event> events, List<Field> fields) throws Fault {
        KernelTypes t = k.types();
        this.mem = k.memory();
        this.root = root;
        this.cpuOffsets = cpuOffsets(k);
        this.runqueues = k.symbols().require("runqueues").orFault().value();
        this.scxNrOff = t.offsetOf("struct rq", "scx.nr_running").orFault();
        this.scxNrSize = (int) (long) t.memberSize("struct rq", "scx.nr_running").orFault();
        this.localNrOff = t.offsetOf("struct rq", "scx.local_dsq").orFault()
                + t.offsetOf("struct scx_dispatch_q", "nr").orFault();
        this.runnableHeadOff = t.offsetOf("struct rq", "scx.runnable_list").orFault();
        this.rqSpanStart = Math.min(scxNrOff, Math.min(localNrOff, runnableHeadOff));
        this.rqSpanLength = span(rqSpanStart, Math.max(scxNrOff + scxNrSize, Math.max(localNrOff + 4,
                runnableHeadOff + 8)), "struct rq's sched_ext fields");
        this.runnableNodeOff = t.offsetOf("struct task_struct", "scx.runnable_node").orFault();
        this.runnableAtOff = t.offsetOf("struct task_struct", "scx.runnable_at").orFault();
        long atFromNode = runnableAtOff - runnableNodeOff;
        this.taskSpanStart = Math.min(0, atFromNode);
        this.taskSpanLength = span(taskSpanStart, Math.max(8, atFromNode + 8), "a task's runnable_node and "
                + "runnable_at");
        Read<KernelVirtAddr> j = k.symbols().require("jiffies_64");
        this.jiffies = (j.isOk() ? j : k.symbols().require("jiffies")).orFault().value();
        this.hz = hz;
        this.globalDsqs = globalDsqs.stream().mapToLong(KernelVirtAddr::value).toArray();
        this.dsqNrOff = t.offsetOf("struct scx_dispatch_q", "nr").orFault();
        this.dsqIdOff = t.offsetOf("struct scx_dispatch_q", "id").orFault();
        this.dsqHashNodeOff = t.offsetOf("struct scx_dispatch_q", "hash_node").orFault();
        this.rhashNextOff = t.offsetOf("struct rhash_head", "next").orFault();
        this.dsqSpanStart = Math.min(dsqIdOff, Math.min(dsqNrOff, dsqHashNodeOff + rhashNextOff));
        this.dsqSpanLength = span(dsqSpanStart, Math.max(dsqIdOff + 8, Math.max(dsqNrOff + 4,
                dsqHashNodeOff + rhashNextOff + 8)), "a DSQ's id, nr and hash node");
        this.dsqHashTbl = root.value() + t.offsetOf("struct scx_sched", "dsq_hash").orFault()
                + t.offsetOf("struct rhashtable", "tbl").orFault();
        this.tblSizeOff = t.offsetOf("struct bucket_table", "size").orFault();
        this.tblBucketsOff = t.offsetOf("struct bucket_table", "buckets").orFault();
        this.eventsPcpu = eventsPcpu == null ? 0 : eventsPcpu.value();
        this.eventsSize = span(0, eventsSize, "struct scx_event_stats");
        this.eventOffsets = events.stream().mapToInt(Event::offset).toArray();
        this.eventKinds = events.stream().map(e -> MonitorSeries.kindOf(e.series())).toArray(String[]::new);
        this.eventSums = new long[events.size()];
        this.fields = List.copyOf(fields);
        int cpus = cpuOffsets.length;
        this.nrRunningKinds = new String[cpus];
        this.localDsqKinds = new String[cpus];
        this.oldestKinds = new String[cpus];
        for (int cpu = 0; cpu < cpus; cpu++) {
            nrRunningKinds[cpu] = MonitorSeries.kindOf("cpu" + cpu + "/nr_running");
            localDsqKinds[cpu] = MonitorSeries.kindOf("cpu" + cpu + "/local_dsq");
            oldestKinds[cpu] = MonitorSeries.kindOf("cpu" + cpu + "/oldest_runnable_ms");
        }
        this.globalKinds = new String[this.globalDsqs.length];
        for (int n = 0; n < globalKinds.length; n++) {
            globalKinds[n] = MonitorSeries.kindOf(n == 0 ? "dsq/global" : "dsq/global" + n);
        }
        this.buf = new byte[Math.max(8, Math.max(Math.max(rqSpanLength, taskSpanLength), Math.max(dsqSpanLength,
                this.eventsSize)))];
    }

    /** The length of {@code [from, to)}, checked to be one read the sampler's buffer takes. */
    private static int span(long from, long to, String what) throws Fault {
        if (to - from < 0 || to - from > MAX_SPAN) throw new Fault(what + " span " + (to - from) + " bytes");
        return (int) (to - from);
    }

    /**
     * Resolves the layouts of the kernel's sched_ext state and of the user's fields for the scheduler {@code scx}
     * names (attached: {@code scx.attached()}). Fails only when the run queues themselves cannot be located; a field
     * that cannot be is a problem in words and the rest is monitored.
     */
    public static Read<Prepared> prepare(KernelView k, ScxState scx, List<MonitorSpec> specs, int cpus) {
        return Read.attempt(() -> {
            if (scx == null || !scx.attached()) throw new Fault("no BPF scheduler is attached");
            KernelTypes t = k.types();
            KernelMemory mem = k.memory();
            KernelVirtAddr root = scx.root();
            List<String> problems = new ArrayList<>();
            long hz = SchedExtKernelReader.readRunQueues(k, scx).sched().hz();

            List<KernelVirtAddr> globals = new ArrayList<>();
            try {
                KernelVirtAddr pnodes = mem.pointer(root.plus(t.offsetOf("struct scx_sched", "pnode").orFault()))
                        .orFault();
                long nodes = k.symbols().require("nr_node_ids").flatMap(mem::u32).orElse(1L);
                long globalOff = t.offsetOf("struct scx_sched_pnode", "global_dsq").orFault();
                for (int n = 0; n < Math.clamp(nodes, 1, 64) && !pnodes.isNull(); n++) {
                    KernelVirtAddr pnode = mem.pointer(pnodes.plus(8L * n)).orFault();
                    if (!pnode.isNull()) globals.add(pnode.plus(globalOff));
                }
            } catch (Fault f) {
                problems.add("global DSQ depth not monitored: " + f.getMessage());
            }

            KernelVirtAddr eventsPcpu = null;
            int eventsSize = 0;
            List<Event> events = new ArrayList<>();
            try {
                KernelVirtAddr pcpu = mem.pointer(root.plus(t.offsetOf("struct scx_sched", "pcpu").orFault()))
                        .orFault();
                eventsPcpu = pcpu.plus(t.offsetOf("struct scx_sched_pcpu", "event_stats").orFault());
                eventsSize = (int) (long) t.sizeOf("struct scx_event_stats").orFault();
                if (t.btf().resolve(t.typeId("struct scx_event_stats").orFault()) instanceof BtfType.Composite c) {
                    for (BtfType.Member m : c.members()) {
                        if (m.bitOffset() % 8 == 0 && m.bitOffset() / 8 + 8 <= eventsSize) {
                            events.add(new Event("events/" + m.name(), (int) (m.bitOffset() / 8)));
                        }
                    }
                }
            } catch (Fault | BtfException f) {
                eventsPcpu = null;
                problems.add("sched_ext event counters not monitored: " + f.getMessage());
            }

            List<Field> fields = new ArrayList<>();
            BpfMapReader maps = specs.isEmpty() ? null
                    : new BpfMapReader(k, MapReadOptions.DEFAULT.withCpus(cpus));
            for (MonitorSpec spec : specs) {
                Read<Field> f = maps.locate(spec.map(), spec.key()).flatMap(loc -> field(spec, loc));
                if (f.isOk()) fields.add(f.orElse(null));
                else problems.add(spec.text() + " not monitored: " + f.reasonOrNull());
            }
            return new Prepared(new LiveSampler(k, root, globals, hz, eventsPcpu, eventsSize, events, fields),
                    problems);
        });
    }

    private static Read<Field> field(MonitorSpec spec, BpfMapReader.ValueLocation loc) {
        return Read.attempt(() -> {
            Btf btf = loc.btf();
            try {
                long offset;
                int typeId;
                String path = spec.path();
                if (btf.resolve(loc.typeId()) instanceof BtfType.Datasec ds) {
                    // global data: the path's first name is a variable of the section
                    int end = firstNameEnd(path);
                    String var = path.substring(0, end);
                    BtfType.SecVar found = null;
                    for (BtfType.SecVar v : ds.vars()) {
                        if (btf.type(v.type()) instanceof BtfType.Var named && named.name().equals(var)) found = v;
                    }
                    if (found == null) throw new Fault(loc.mapName() + " has no variable '" + var + "'");
                    typeId = ((BtfType.Var) btf.type(found.type())).type();
                    offset = found.offset();
                    if (end < path.length()) {
                        MemberLocation m = btf.member(typeId, path.charAt(end) == '.' ? path.substring(end + 1)
                                : path.substring(end));
                        if (m.isBitfield()) throw new Fault(spec.path() + " is a bitfield, which is not monitored");
                        offset += m.byteOffset();
                        typeId = m.typeId();
                    }
                } else {
                    MemberLocation m = btf.member(loc.typeId(), path);
                    if (m.isBitfield()) throw new Fault(spec.path() + " is a bitfield, which is not monitored");
                    offset = m.byteOffset();
                    typeId = m.typeId();
                }
                BtfType leaf = btf.resolve(typeId);
                int size;
                boolean signed;
                switch (leaf) {
                    case BtfType.Int i -> {
                        size = i.size();
                        signed = (i.encoding() & BtfType.Int.SIGNED) != 0;
                    }
                    case BtfType.Enum e -> {
                        size = e.size();
                        signed = e.signed();
                    }
                    default -> throw new Fault(spec.path() + " is " + btf.describe(typeId)
                            + ", not a number: name an integer member");
                }
                if (size != 1 && size != 2 && size != 4 && size != 8) {
                    throw new Fault(spec.path() + " has " + size + " bytes, not 1, 2, 4 or 8");
                }
                long off = offset;
                long[] at = loc.addresses().stream().mapToLong(a -> a.value() + off).toArray();
                String name = spec.seriesName();
                String[] cpuKinds = new String[at.length];
                for (int i = 0; i < at.length; i++) cpuKinds[i] = MonitorSeries.kindOf(name + "/cpu" + i);
                return new Field(MonitorSeries.kindOf(loc.perCpu() ? name + "/sum" : name), cpuKinds, at, size,
                        signed, loc.perCpu());
            } catch (BtfException e) {
                throw new Fault(e.getMessage());
            }
        });
    }

    private static int firstNameEnd(String path) {
        int end = 0;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') end++;
        return end;
    }

    private static long[] cpuOffsets(KernelView k) throws Fault {
        KernelMemory mem = k.memory();
        long n = mem.u32(k.symbols().require("nr_cpu_ids").orFault()).context("nr_cpu_ids").orFault();
        if (n < 1 || n > SchedExtKernelReader.MAX_CPUS) throw new Fault("nr_cpu_ids " + n + " is out of range");
        byte[] raw = mem.bytes(k.symbols().require("__per_cpu_offset").orFault(), 8 * n).orFault();
        long[] out = new long[(int) n];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    /** {@code scx_root} as prepared: a different value now means another scheduler, to prepare again. */
    public KernelVirtAddr root() {
        return root;
    }

    /** How many user fields are monitored. */
    public int fieldCount() {
        return fields.size();
    }

    /** Reads every series once from the running guest (a convenience over {@link #sampleInto}, stamped 0). */
    public Sample sample() {
        MonitorPoints.Builder points = new MonitorPoints.Builder();
        int failed = sampleInto(points, 0);
        return new Sample(points.build(), failed);
    }

    /**
     * Reads every series once from the running guest and adds one point per series read, stamped {@code atNs}, to
     * {@code out}; returns how many reads failed (their series have a gap there). Allocates nothing once warm: the
     * reads go into this sampler's buffers, one read per contiguous range (a CPU's run-queue fields, a CPU's event
     * counters, a DSQ, a runnable task), and the series names are made once.
     */
    public int sampleInto(MonitorPoints.Builder out, long atNs) {
        failed = 0;
        long now = read(jiffies, 8, false);
        for (int cpu = 0; cpu < cpuOffsets.length; cpu++) {
            long rq = runqueues + cpuOffsets[cpu];
            if (!mem.readInto(rq + rqSpanStart, buf, 0, rqSpanLength)) {
                failed += 3;
                continue;
            }
            out.add(atNs, nrRunningKinds[cpu], number(scxNrOff - rqSpanStart, scxNrSize));
            out.add(atNs, localDsqKinds[cpu], number(localNrOff - rqSpanStart, 4));
            if (hz > 0 && now != Long.MIN_VALUE) {
                long oldest = oldestRunnableAt(rq + runnableHeadOff, (long) LONG.get(buf, (int) (runnableHeadOff
                        - rqSpanStart)));
                if (oldest != Long.MIN_VALUE) {
                    out.add(atNs, oldestKinds[cpu], oldest < 0 ? 0 : Math.max(0, now - oldest) * 1000 / hz);
                }
            }
        }
        for (int n = 0; n < globalDsqs.length; n++) {
            long nr = read(globalDsqs[n] + dsqNrOff, 4, false);
            if (nr != Long.MIN_VALUE) out.add(atNs, globalKinds[n], nr);
        }
        userDsqs(out, atNs);
        if (eventsPcpu != 0) events(out, atNs);
        for (Field f : fields) {
            long sum = 0;
            boolean all = true;
            for (int i = 0; i < f.at().length; i++) {
                long v = read(f.at()[i], f.size(), f.signed());
                if (v == Long.MIN_VALUE) {
                    all = false;
                    continue;
                }
                sum += v;
                if (f.perCpu()) out.add(atNs, f.cpuKinds()[i], v);
            }
            if (all) out.add(atNs, f.kind(), sum);
        }
        return failed;
    }

    /**
     * The longest any task has waited on a run queue, over every CPU, in ms: the largest value the
     * {@code cpuN/oldest_runnable_ms} series would show now (0 when nothing waits), or {@link Long#MIN_VALUE} when a
     * CPU could not be read. A few reads and no allocation: the stall-onset watch's cheap look between its full reads.
     */
    public long oldestRunnableMs() {
        failed = 0;
        long now = read(jiffies, 8, false);
        if (hz <= 0 || now == Long.MIN_VALUE) return Long.MIN_VALUE;
        long max = 0;
        for (int cpu = 0; cpu < cpuOffsets.length; cpu++) {
            long rq = runqueues + cpuOffsets[cpu];
            if (!mem.readInto(rq + rqSpanStart, buf, 0, rqSpanLength)) return Long.MIN_VALUE;
            long oldest = oldestRunnableAt(rq + runnableHeadOff, (long) LONG.get(buf, (int) (runnableHeadOff
                    - rqSpanStart)));
            if (oldest == Long.MIN_VALUE) return Long.MIN_VALUE;
            if (oldest >= 0) max = Math.max(max, Math.max(0, now - oldest) * 1000 / hz);
        }
        return max;
    }

    /**
     * The smallest {@code runnable_at} on the CPU's runnable list (-1: the list is empty), or {@link Long#MIN_VALUE}
     * (a failed read) when the walk failed or loops. {@code first} is the head's {@code next}, already read.
     */
    private long oldestRunnableAt(long head, long first) {
        long oldest = -1;
        long node = first;
        int seen = 0;
        for (int i = 0; i < MAX_RUNNABLE_WALK; i++) {
            if (node == 0 || contains(walked, seen, node)) {
                failed++;
                return Long.MIN_VALUE;
            }
            if (node == head) break;
            walked[seen++] = node;
            // one read covers the task's runnable_node.next and runnable_at
            if (!mem.readInto(node + taskSpanStart, buf, 0, taskSpanLength)) {
                failed++;
                return Long.MIN_VALUE;
            }
            long at = (long) LONG.get(buf, (int) (runnableAtOff - runnableNodeOff - taskSpanStart));
            if (oldest == -1 || at - oldest < 0) oldest = at;
            node = (long) LONG.get(buf, (int) -taskSpanStart);
        }
        return oldest;
    }

    /** Whether {@code v} is among the first {@code n} of {@code seen} (the walks are short: a scan beats a set). */
    private static boolean contains(long[] seen, int n, long v) {
        for (int i = 0; i < n; i++) if (seen[i] == v) return true;
        return false;
    }

    private void userDsqs(MonitorPoints.Builder out, long atNs) {
        long tbl = read(dsqHashTbl, 8, false);
        if (tbl == Long.MIN_VALUE || tbl == 0) return;
        long size = read(tbl + tblSizeOff, 4, false);
        if (size == Long.MIN_VALUE) return;
        if (size < 1 || size > MAX_USER_DSQ_BUCKETS || Long.bitCount(size) != 1) {
            failed++;
            return;
        }
        if (!mem.readInto(tbl + tblBucketsOff, buckets, 0, (int) (8 * size))) {
            failed++;
            return;
        }
        int dsqs = 0;
        for (int b = 0; b < size; b++) {
            long p = (long) LONG.get(buckets, b * 8) & ~1L;
            while (p != 0 && (p & 1) == 0) {
                if (dsqs == MAX_USER_DSQS || contains(dsqSeen, dsqs, p)) { // loops or overflows
                    failed++;
                    return;
                }
                dsqSeen[dsqs++] = p;
                // one read covers the DSQ's id, nr and hash_node.next
                if (!mem.readInto(p - dsqHashNodeOff + dsqSpanStart, buf, 0, dsqSpanLength)) {
                    failed++;
                    return;
                }
                long base = dsqHashNodeOff - dsqSpanStart; // where the hash node sits in buf
                long id = (long) LONG.get(buf, (int) (dsqIdOff - dsqSpanStart));
                long nr = Integer.toUnsignedLong((int) INT.get(buf, (int) (dsqNrOff - dsqSpanStart)));
                if (id >= 0) out.add(atNs, userDsqKind(id), nr); // built-in ids have bit 63
                p = (long) LONG.get(buf, (int) (base + rhashNextOff));
            }
        }
    }

    /** The series kind of user DSQ {@code id}, made once per id (DSQs come and go, their ids repeat). */
    private String userDsqKind(long id) {
        for (int i = 0; i < userDsqIds.length && userDsqKindsById[i] != null; i++) {
            if (userDsqIds[i] == id) return userDsqKindsById[i];
        }
        String kind = MonitorSeries.kindOf("dsq/user " + id);
        for (int i = 0; i < userDsqIds.length; i++) {
            if (userDsqKindsById[i] == null) {
                userDsqIds[i] = id;
                userDsqKindsById[i] = kind;
                break;
            }
        }
        return kind; // a full cache (over MAX_USER_DSQS ids seen) only costs a string
    }

    private void events(MonitorPoints.Builder out, long atNs) {
        java.util.Arrays.fill(eventSums, 0);
        for (long cpuOff : cpuOffsets) {
            if (!mem.readInto(eventsPcpu + cpuOff, buf, 0, eventsSize)) {
                failed++;
                return;
            }
            for (int i = 0; i < eventSums.length; i++) eventSums[i] += (long) LONG.get(buf, eventOffsets[i]);
        }
        for (int i = 0; i < eventSums.length; i++) out.add(atNs, eventKinds[i], eventSums[i]);
    }

    /** The number at {@code va}, or {@link Long#MIN_VALUE} (counted as a failed read) when it cannot be read. */
    private long read(long va, int size, boolean signed) {
        if (!mem.readInto(va, buf, 0, size)) {
            failed++;
            return Long.MIN_VALUE;
        }
        long x = number(0, size);
        return signed && size < 8 ? (x << (64 - 8 * size)) >> (64 - 8 * size) : x;
    }

    /** The unsigned little-endian number of {@code size} bytes at {@code buf[at]}. */
    private long number(long at, int size) {
        int i = (int) at;
        return switch (size) {
            case 1 -> Byte.toUnsignedLong(buf[i]);
            case 2 -> Short.toUnsignedLong((short) SHORT.get(buf, i));
            case 4 -> Integer.toUnsignedLong((int) INT.get(buf, i));
            default -> (long) LONG.get(buf, i);
        };
    }
}
