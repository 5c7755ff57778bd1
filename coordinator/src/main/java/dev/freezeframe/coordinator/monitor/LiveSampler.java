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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The live monitor's reader: resolves every layout and address once per attached scheduler ({@link #prepare}), then
 * each {@link #sample} is a few dozen plain reads of guest RAM while the guest runs — no freeze, no type lookups. What
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

    /** One sample: the values read, and how many reads failed (their series have a gap there). */
    public record Sample(List<MonitorSample> values, int failedReads) {
    }

    private record Field(String series, List<KernelVirtAddr> at, int size, boolean signed, boolean perCpu) {
    }

    private record Event(String series, int offset) {
    }

    private final KernelMemory mem;
    private final KernelVirtAddr root;
    private final long[] cpuOffsets;
    private final KernelVirtAddr runqueues;
    private final long scxNrOff;
    private final int scxNrSize;
    private final long localNrOff;
    private final long runnableHeadOff;
    private final long runnableNodeOff;
    private final long runnableAtOff;
    private final KernelVirtAddr jiffies;
    private final long hz;
    private final List<KernelVirtAddr> globalDsqs;
    private final long dsqNrOff;
    private final long dsqIdOff;
    private final long dsqHashNodeOff;
    private final KernelVirtAddr dsqHashTbl; // &sch->dsq_hash.tbl
    private final long tblSizeOff;
    private final long tblBucketsOff;
    private final long rhashNextOff;
    private final KernelVirtAddr eventsPcpu; // sch->pcpu + event_stats, before the per-CPU offset; null: none
    private final int eventsSize;
    private final List<Event> events;
    private final List<Field> fields;

    private LiveSampler(KernelView k, KernelVirtAddr root, List<KernelVirtAddr> globalDsqs, long hz,
            KernelVirtAddr eventsPcpu, int eventsSize, List<Event> events, List<Field> fields) throws Fault {
        KernelTypes t = k.types();
        this.mem = k.memory();
        this.root = root;
        this.cpuOffsets = cpuOffsets(k);
        this.runqueues = k.symbols().require("runqueues").orFault();
        this.scxNrOff = t.offsetOf("struct rq", "scx.nr_running").orFault();
        this.scxNrSize = (int) (long) t.memberSize("struct rq", "scx.nr_running").orFault();
        this.localNrOff = t.offsetOf("struct rq", "scx.local_dsq").orFault()
                + t.offsetOf("struct scx_dispatch_q", "nr").orFault();
        this.runnableHeadOff = t.offsetOf("struct rq", "scx.runnable_list").orFault();
        this.runnableNodeOff = t.offsetOf("struct task_struct", "scx.runnable_node").orFault();
        this.runnableAtOff = t.offsetOf("struct task_struct", "scx.runnable_at").orFault();
        Read<KernelVirtAddr> j = k.symbols().require("jiffies_64");
        this.jiffies = (j.isOk() ? j : k.symbols().require("jiffies")).orFault();
        this.hz = hz;
        this.globalDsqs = List.copyOf(globalDsqs);
        this.dsqNrOff = t.offsetOf("struct scx_dispatch_q", "nr").orFault();
        this.dsqIdOff = t.offsetOf("struct scx_dispatch_q", "id").orFault();
        this.dsqHashNodeOff = t.offsetOf("struct scx_dispatch_q", "hash_node").orFault();
        this.dsqHashTbl = root.plus(t.offsetOf("struct scx_sched", "dsq_hash").orFault()
                + t.offsetOf("struct rhashtable", "tbl").orFault());
        this.tblSizeOff = t.offsetOf("struct bucket_table", "size").orFault();
        this.tblBucketsOff = t.offsetOf("struct bucket_table", "buckets").orFault();
        this.rhashNextOff = t.offsetOf("struct rhash_head", "next").orFault();
        this.eventsPcpu = eventsPcpu;
        this.eventsSize = eventsSize;
        this.events = List.copyOf(events);
        this.fields = List.copyOf(fields);
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
                List<KernelVirtAddr> at = loc.addresses().stream().map(a -> a.plus(off)).toList();
                return new Field(spec.seriesName(), at, size, signed, loc.perCpu());
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

    /** Reads every series once from the running guest. */
    public Sample sample() {
        List<MonitorSample> out = new ArrayList<>(16 + 4 * cpuOffsets.length + events.size());
        int[] failed = {0};
        long now = read(jiffies, 8, false, failed);
        for (int cpu = 0; cpu < cpuOffsets.length; cpu++) {
            KernelVirtAddr rq = runqueues.plus(cpuOffsets[cpu]);
            add(out, "cpu" + cpu + "/nr_running", read(rq.plus(scxNrOff), scxNrSize, false, failed));
            add(out, "cpu" + cpu + "/local_dsq", read(rq.plus(localNrOff), 4, false, failed));
            if (hz > 0 && now != Long.MIN_VALUE) {
                long oldest = oldestRunnableAt(rq.plus(runnableHeadOff), failed);
                add(out, "cpu" + cpu + "/oldest_runnable_ms",
                        oldest == Long.MIN_VALUE ? Long.MIN_VALUE : oldest < 0 ? 0 : Math.max(0, now - oldest) * 1000 / hz);
            }
        }
        for (int n = 0; n < globalDsqs.size(); n++) {
            add(out, n == 0 ? "dsq/global" : "dsq/global" + n, read(globalDsqs.get(n).plus(dsqNrOff), 4, false,
                    failed));
        }
        userDsqs(out, failed);
        if (eventsPcpu != null) events(out, failed);
        for (Field f : fields) {
            long sum = 0;
            boolean all = true;
            for (int i = 0; i < f.at().size(); i++) {
                long v = read(f.at().get(i), f.size(), f.signed(), failed);
                if (v == Long.MIN_VALUE) {
                    all = false;
                    continue;
                }
                sum += v;
                if (f.perCpu()) out.add(new MonitorSample(f.series() + "/cpu" + i, v));
            }
            if (all) out.add(new MonitorSample(f.perCpu() ? f.series() + "/sum" : f.series(), sum));
        }
        return new Sample(out, failed[0]);
    }

    /**
     * The smallest {@code runnable_at} on the CPU's runnable list (-1: the list is empty), or {@link Long#MIN_VALUE}
     * when the walk failed.
     */
    private long oldestRunnableAt(KernelVirtAddr head, int[] failed) {
        Set<Long> seen = new HashSet<>();
        long oldest = -1;
        Read<KernelVirtAddr> next = mem.pointer(head);
        for (int i = 0; i < MAX_RUNNABLE_WALK; i++) {
            if (!next.isOk() || next.orElse(null).isNull() || !seen.add(next.orElse(null).value())) {
                failed[0]++;
                return Long.MIN_VALUE;
            }
            KernelVirtAddr node = next.orElse(null);
            if (node.equals(head)) break;
            Read<Long> at = mem.u64(node.plus(runnableAtOff - runnableNodeOff));
            if (!at.isOk()) {
                failed[0]++;
                return Long.MIN_VALUE;
            }
            long v = at.orElse(0L);
            if (oldest == -1 || v - oldest < 0) oldest = v;
            next = mem.pointer(node);
        }
        return oldest;
    }

    private void userDsqs(List<MonitorSample> out, int[] failed) {
        try {
            KernelVirtAddr tbl = mem.pointer(dsqHashTbl).orFault();
            if (tbl.isNull()) return;
            long size = mem.u32(tbl.plus(tblSizeOff)).orFault();
            if (size < 1 || size > MAX_USER_DSQ_BUCKETS || Long.bitCount(size) != 1) {
                throw new Fault("dsq_hash has " + size + " buckets");
            }
            byte[] raw = mem.bytes(tbl.plus(tblBucketsOff), 8 * size).orFault();
            ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            Set<Long> seen = new HashSet<>();
            for (int b = 0; b < size; b++) {
                long p = le.getLong(b * 8) & ~1L;
                while (p != 0 && (p & 1) == 0) {
                    if (!seen.add(p) || seen.size() > MAX_USER_DSQS) throw new Fault("dsq_hash loops or overflows");
                    KernelVirtAddr dsq = KernelVirtAddr.of(p - dsqHashNodeOff);
                    long id = mem.u64(dsq.plus(dsqIdOff)).orFault();
                    long nr = mem.u32(dsq.plus(dsqNrOff)).orFault();
                    if (id >= 0) out.add(new MonitorSample("dsq/user " + id, nr)); // built-in ids have bit 63
                    p = mem.u64(KernelVirtAddr.of(p + rhashNextOff)).orFault();
                }
            }
        } catch (Fault f) {
            failed[0]++;
        }
    }

    private void events(List<MonitorSample> out, int[] failed) {
        long[] sums = new long[events.size()];
        for (long cpuOff : cpuOffsets) {
            Read<byte[]> raw = mem.bytes(eventsPcpu.plus(cpuOff), eventsSize);
            if (!raw.isOk()) {
                failed[0]++;
                return;
            }
            ByteBuffer le = ByteBuffer.wrap(raw.orElse(null)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < sums.length; i++) sums[i] += le.getLong(events.get(i).offset());
        }
        for (int i = 0; i < sums.length; i++) out.add(new MonitorSample(events.get(i).series(), sums[i]));
    }

    /** The number at {@code at}, or {@link Long#MIN_VALUE} (counted as a failed read) when it cannot be read. */
    private long read(KernelVirtAddr at, int size, boolean signed, int[] failed) {
        Read<Long> v = mem.number(at, size);
        if (!v.isOk()) {
            failed[0]++;
            return Long.MIN_VALUE;
        }
        long x = v.orElse(0L);
        return signed && size < 8 ? (x << (64 - 8 * size)) >> (64 - 8 * size) : x;
    }

    private static void add(List<MonitorSample> out, String series, long value) {
        if (value != Long.MIN_VALUE) out.add(new MonitorSample(series, value));
    }
}
