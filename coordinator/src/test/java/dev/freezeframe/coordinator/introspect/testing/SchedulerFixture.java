package dev.freezeframe.coordinator.introspect.testing;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A synthetic guest as a running scheduler leaves it: a {@code map_idr} with one map of every kind the reader knows
 * (global data {@code .bss} as a DATASEC array, a u64 array longer than the cap, per-CPU array, hash and per-CPU hash with
 * chains, queue, stack, struct_ops, ringbuf, arena, and an unsupported sockmap), {@code scx_root} with ops name
 * {@code "qmap"}, {@code __per_cpu_offset} for 2 CPUs. The expected values are fields.
 */
public final class SchedulerFixture {
    public static final int CPUS = 2;
    public static final long NR_ENQUEUED = 4711;
    public static final long NR_DISPATCHED = 4242;
    public static final int ARRAY_ENTRIES = 300;
    public static final long ARENA_CALLS = 31337;
    /** Fake per-CPU base address that {@code __per_cpu_offset} turns into real addresses. */
    public static final long PCPU_BASE = 0x2_0000;
    /** Bytes of each CPU's per-CPU area (room for a real {@code struct rq} at {@link #PCPU_BASE} + 16 KiB). */
    public static final long PER_CPU_AREA = 64 << 10;

    public final SyntheticImage img;
    public final Btf vmlinux;
    public final Btf prog;
    public final byte[] progBlob;
    public final Map<String, KernelVirtAddr> maps = new LinkedHashMap<>();
    public KernelVirtAddr scxSched;
    public KernelVirtAddr listHead;
    private KernelVirtAddr btf;
    public final KernelVirtAddr[] cpuArea = new KernelVirtAddr[CPUS];

    // program BTF ids
    public final int tU32;
    public final int tU64;
    public final int tBss;
    public final int tStat;

    public SchedulerFixture() {
        this(SyntheticVmlinux.build(), false);
    }

    public SchedulerFixture(Btf vmlinux, boolean la57) {
        this(vmlinux, la57, 8 << 20);
    }

    /** @param ramBytes guest RAM of the image (fixtures with hundreds of tasks need more than the default 8 MiB) */
    public SchedulerFixture(Btf vmlinux, boolean la57, int ramBytes) {
        this.vmlinux = vmlinux;
        this.img = new SyntheticImage(ramBytes, la57, la57 ? 0x20_0000 : 0, vmlinux);
        BtfWriter w = new BtfWriter();
        tU32 = w.integer("unsigned int", 4, false);
        tU64 = w.integer("long long unsigned int", 8, false);
        int vEnq = w.variable("nr_enqueued", tU64);
        int vDsp = w.variable("nr_dispatched", tU64);
        tBss = w.datasec(".bss", 16, new int[] {vEnq, 0, 8}, new int[] {vDsp, 8, 8});
        tStat = w.struct("stat", 16, BtfWriter.m("calls", tU64, 0), BtfWriter.m("nsecs", tU64, 8));
        int vQa = w.variable("qa", tStat);
        w.datasec(".addr_space.1", 16, new int[] {vQa, 0, 16});
        progBlob = w.build();
        try {
            prog = Btf.parse(progBlob);
        } catch (BtfException e) {
            throw new AssertionError(e);
        }
        build();
    }

    private long type(String name) {
        try {
            return ((Number) vmlinux.requireType(name).id()).longValue();
        } catch (BtfException e) {
            throw new AssertionError(e);
        }
    }

    private void build() {
        btf = img.putBtf(progBlob); // one struct btf for all maps of the object, as libbpf loads it
        // per-CPU areas
        KernelVirtAddr offsets = img.symbol("__per_cpu_offset", 8L * CPUS, 64);
        for (int c = 0; c < CPUS; c++) {
            cpuArea[c] = img.kmalloc(PER_CPU_AREA);
            img.w64(offsets.plus(8L * c), cpuArea[c].value() - PCPU_BASE);
        }
        img.w32(img.symbol("nr_cpu_ids", 4, 4), CPUS);

        // .bss: one-element array, vmalloc'd (mmapable), value type DATASEC
        KernelVirtAddr bss = img.vmalloc(img.size("struct bpf_array") + 16);
        img.mapHeader(bss, "scx_qmap.bss", 2, 4, 16, 1, tU32, tBss, btf);
        img.w32(bss.plus(img.off("struct bpf_array", "elem_size")), 16);
        KernelVirtAddr bssValue = bss.plus(img.off("struct bpf_array", "value"));
        img.w64(bssValue, NR_ENQUEUED);
        img.w64(bssValue.plus(8), NR_DISPATCHED);
        maps.put("bss", bss);

        // u64 array of 300 entries: value i*3
        KernelVirtAddr arr = img.vmalloc(img.size("struct bpf_array") + 8L * ARRAY_ENTRIES);
        img.mapHeader(arr, "counts", 2, 4, 8, ARRAY_ENTRIES, tU32, tU64, btf);
        img.w32(arr.plus(img.off("struct bpf_array", "elem_size")), 8);
        for (int i = 0; i < ARRAY_ENTRIES; i++) {
            img.w64(arr.plus(img.off("struct bpf_array", "value") + 8L * i), 3L * i);
        }
        maps.put("array", arr);

        // per-CPU array of 2 struct stat: cpu c, index i → calls = 100*c + i
        KernelVirtAddr pcpu = img.kmalloc(img.size("struct bpf_array") + 16);
        img.mapHeader(pcpu, "cpu_ctx", 6, 4, 16, 2, tU32, tStat, btf);
        img.w32(pcpu.plus(img.off("struct bpf_array", "elem_size")), 16);
        for (int i = 0; i < 2; i++) {
            long pptr = PCPU_BASE + 64L * i;
            img.w64(pcpu.plus(img.off("struct bpf_array", "pptrs") + 8L * i), pptr);
            for (int c = 0; c < CPUS; c++) {
                img.w64(cpuArea[c].plus(64L * i), 100L * c + i);
                img.w64(cpuArea[c].plus(64L * i + 8), 7);
            }
        }
        maps.put("percpu_array", pcpu);

        // hash: 3 entries in 4 buckets (keys 1, 5 collide in bucket 1; key 2 in bucket 2), value = key * 10
        maps.put("hash", hash("pids", 1, false, new long[] {1, 5, 2}));
        maps.put("percpu_hash", hash("pcpu_pids", 5, true, new long[] {3}));

        maps.put("queue", queueStack("queue0", 22, new long[] {11, 12, 13}));
        maps.put("stack", queueStack("stack0", 23, new long[] {21, 22}));

        // struct_ops: enqueue and dispatch set, name "qmap"
        KernelVirtAddr so = img.kmalloc(img.size("struct bpf_struct_ops_map")
                + img.size("struct bpf_struct_ops_sched_ext_ops"));
        img.mapHeader(so, "qmap_ops", 26, 4, 160, 1, 0, 0, KernelVirtAddr.NULL);
        img.w32(so.plus(img.off("struct bpf_map", "btf_vmlinux_value_type_id")),
                type("struct bpf_struct_ops_sched_ext_ops"));
        KernelVirtAddr kv = so.plus(img.off("struct bpf_struct_ops_map", "kvalue"));
        long data = img.off("struct bpf_struct_ops_sched_ext_ops", "data");
        img.w64(kv.plus(data + img.off("struct sched_ext_ops", "enqueue")), 0xffffffffc0001000L);
        img.w64(kv.plus(data + img.off("struct sched_ext_ops", "dispatch")), 0xffffffffc0002000L);
        img.wstr(kv.plus(data + img.off("struct sched_ext_ops", "name")), "qmap");
        maps.put("struct_ops", so);

        // ringbuf: 4 KiB data, 96 bytes pending
        KernelVirtAddr rbm = img.kmalloc(img.size("struct bpf_ringbuf_map"));
        img.mapHeader(rbm, "events", 27, 0, 0, 4096, 0, 0, KernelVirtAddr.NULL);
        KernelVirtAddr rb = img.vmalloc(img.size("struct bpf_ringbuf"));
        img.w64(rbm.plus(img.off("struct bpf_ringbuf_map", "rb")), rb.value());
        img.w64(rb.plus(img.off("struct bpf_ringbuf", "mask")), 4095);
        img.w64(rb.plus(img.off("struct bpf_ringbuf", "consumer_pos")), 64);
        img.w64(rb.plus(img.off("struct bpf_ringbuf", "producer_pos")), 160);
        img.w64(rb.plus(img.off("struct bpf_ringbuf", "pending_pos")), 160);
        maps.put("ringbuf", rbm);

        // arena: 1 MiB user range, 3 pages mapped in its kernel range
        KernelVirtAddr ar = img.kmalloc(img.size("struct bpf_arena"));
        img.mapHeader(ar, "arena", 33, 0, 0, 256, 0, 0, KernelVirtAddr.NULL);
        img.w64(ar.plus(img.off("struct bpf_arena", "user_vm_start")), 0x1_0000_0000L);
        img.w64(ar.plus(img.off("struct bpf_arena", "user_vm_end")), 0x1_0010_0000L);
        img.w64(ar.plus(img.off("struct bpf_arena", "nr_pages")), 3);
        KernelVirtAddr vm = img.kmalloc(img.size("struct vm_struct"));
        long arenaKern = (img.la57 ? SyntheticImage.VMALLOC_5LEVEL : SyntheticImage.VMALLOC_4LEVEL) + (1L << 33);
        img.w64(vm.plus(img.off("struct vm_struct", "addr")), arenaKern);
        img.w64(ar.plus(img.off("struct bpf_arena", "kern_vm")), vm.value());
        long kernStart = arenaKern + (1L << 15);
        for (long p : new long[] {0, 1, 200}) {
            img.map(kernStart + p * 4096, img.physAlloc(4096, 4096), 1);
        }
        // the __arena globals (struct stat qa) on the arena's last page, where libbpf >= 1.7 puts them
        long globals = img.physAlloc(4096, 4096);
        img.map(kernStart + 255 * 4096, globals, 1);
        img.w64(KernelVirtAddr.of(img.pob + globals), ARENA_CALLS);
        img.w64(KernelVirtAddr.of(img.pob + globals + 8), 5);
        maps.put("arena", ar);

        KernelVirtAddr sock = img.kmalloc(img.size("struct bpf_map"));
        img.mapHeader(sock, "socks", 15, 4, 4, 8, 0, 0, KernelVirtAddr.NULL);
        maps.put("sockmap", sock);

        Map<Long, Long> ids = new LinkedHashMap<>();
        long id = 1;
        for (KernelVirtAddr m : maps.values()) {
            ids.put(id, m.value());
            id += id == 3 ? 70 : 1; // ids 1,2,3,73,74...: the xarray needs two levels
        }
        img.idr("map_idr", 0, ids);

        // scx_root
        scxSched = img.kmalloc(img.size("struct scx_sched"));
        img.wstr(scxSched.plus(img.off("struct scx_sched", "ops.name")), "qmap");
        KernelVirtAddr root = img.symbol("scx_root", 8, 8);
        img.w64(root, scxSched.value());
        KernelVirtAddr info = img.kmalloc(img.size("struct scx_exit_info"));
        img.w64(scxSched.plus(img.off("struct scx_sched", "exit_info")), info.value());

        // a 3-entry circular list; the entries are "struct mm_struct"s linked through their pgd member
        listHead = img.symbol("scx_sched_all", 16, 8);
        KernelVirtAddr prev = listHead;
        for (int i = 0; i < 3; i++) {
            KernelVirtAddr e = img.kmalloc(img.size("struct mm_struct"));
            KernelVirtAddr link = e.plus(img.off("struct mm_struct", "pgd"));
            img.w64(prev.plus(img.off("struct list_head", "next")), link.value());
            img.w64(link.plus(img.off("struct list_head", "prev")), prev.value());
            prev = link;
        }
        img.w64(prev.plus(img.off("struct list_head", "next")), listHead.value());
    }

    /** Makes the scheduler exit with {@code kind}, {@code reason} and {@code msg}. */
    public void exit(int kind, String reason, String msg) {
        img.w32(scxSched.plus(img.off("struct scx_sched", "exit_kind")), kind);
        KernelVirtAddr info = KernelVirtAddr.of(img.ram.length == 0 ? 0 : readPtr(scxSched.plus(
                img.off("struct scx_sched", "exit_info"))));
        img.w32(info.plus(img.off("struct scx_exit_info", "kind")), kind);
        img.w64(info.plus(img.off("struct scx_exit_info", "exit_code")), 0);
        KernelVirtAddr r = img.symbol("reason_" + kind, reason.length() + 1, 1);
        img.wstr(r, reason);
        KernelVirtAddr m = img.kmalloc(msg.length() + 1);
        img.wstr(m, msg);
        img.w64(info.plus(img.off("struct scx_exit_info", "reason")), r.value());
        img.w64(info.plus(img.off("struct scx_exit_info", "msg")), m.value());
    }

    private long readPtr(KernelVirtAddr va) {
        long pa = img.pa(va.value());
        return java.nio.ByteBuffer.wrap(img.ram, (int) pa, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private KernelVirtAddr hash(String name, int type, boolean percpu, long[] keys) {
        KernelVirtAddr h = img.kmalloc(img.size("struct bpf_htab"));
        img.mapHeader(h, name, type, 4, percpu ? 16 : 8, 4, tU32, percpu ? tStat : tU64, btf);
        int nb = 4;
        KernelVirtAddr buckets = img.vmalloc(nb * img.size("struct bucket"));
        img.w64(h.plus(img.off("struct bpf_htab", "buckets")), buckets.value());
        img.w32(h.plus(img.off("struct bpf_htab", "n_buckets")), nb);
        long firstOff = img.off("struct bucket", "head") + img.off("struct hlist_nulls_head", "first");
        for (int b = 0; b < nb; b++) { // empty chains end in the nulls marker (b << 1) | 1
            img.w64(buckets.plus(b * img.size("struct bucket") + firstOff), ((long) b << 1) | 1);
        }
        long keyOff = img.off("struct htab_elem", "key");
        long nodeOff = img.off("struct htab_elem", "hash_node");
        long nextOff = img.off("struct hlist_nulls_node", "next");
        for (long key : keys) {
            int b = (int) (key % nb);
            KernelVirtAddr e = img.kmalloc(img.size("struct htab_elem") + 24);
            img.w32(e.plus(keyOff), key);
            KernelVirtAddr value = e.plus(keyOff + 8);
            if (percpu) {
                long pptr = PCPU_BASE + 1024 + 64 * key;
                img.w64(value, pptr);
                for (int c = 0; c < CPUS; c++) {
                    img.w64(cpuArea[c].plus(1024 + 64 * key), key * 1000 + c);
                }
            } else {
                img.w64(value, key * 10);
            }
            KernelVirtAddr head = buckets.plus(b * img.size("struct bucket") + firstOff);
            long old = readPtr(head);
            KernelVirtAddr node = e.plus(nodeOff);
            img.w64(node.plus(nextOff), old);
            img.w64(head, node.value()); // push front, as hlist_nulls_add_head_rcu does
        }
        return h;
    }

    private KernelVirtAddr queueStack(String name, int type, long[] values) {
        int max = 4;
        KernelVirtAddr q = img.kmalloc(img.size("struct bpf_queue_stack") + 8L * (max + 1));
        img.mapHeader(q, name, type, 0, 8, max, 0, 0, KernelVirtAddr.NULL);
        long size = max + 1;
        long tail = 3; // start near the end so the ring wraps
        long head = tail;
        KernelVirtAddr elems = q.plus(img.off("struct bpf_queue_stack", "elements"));
        for (long v : values) {
            img.w64(elems.plus(8 * head), v);
            head = (head + 1) % size;
        }
        img.w32(q.plus(img.off("struct bpf_queue_stack", "head")), head);
        img.w32(q.plus(img.off("struct bpf_queue_stack", "tail")), tail);
        img.w32(q.plus(img.off("struct bpf_queue_stack", "size")), size);
        return q;
    }
}
