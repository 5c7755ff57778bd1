package dev.freezeframe.coordinator.introspect.testing;

import static dev.freezeframe.coordinator.introspect.testing.BtfWriter.m;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;

/**
 * A small "vmlinux" BTF with the kernel types the walkers use, laid out <em>differently</em> from any real kernel
 * (members moved around), so a test passes only if every offset comes from BTF.
 */
public final class SyntheticVmlinux {
    private SyntheticVmlinux() {
    }

    public static final int EXIT_NONE = 0;
    public static final int EXIT_ERROR_BPF = 1025;

    public static Btf build() {
        BtfWriter w = new BtfWriter();
        int u8 = w.integer("unsigned char", 1, false);
        int u32 = w.integer("unsigned int", 4, false);
        int s32 = w.integer("int", 4, true);
        int u64 = w.integer("long long unsigned int", 8, false);
        int s64 = w.integer("long long int", 8, true);
        int ch = w.integer("char", 1, true);
        int voidp = w.pointer(0);
        int charp = w.pointer(ch);
        int char16 = w.array(ch, u32, 16);
        int char128 = w.array(ch, u32, 128);
        int char0 = w.array(ch, u32, 0);
        int voidp0 = w.array(voidp, u32, 0);
        int voidp64 = w.array(voidp, u32, 64);
        w.struct("list_head", 16, m("next", voidp, 0), m("prev", voidp, 8));
        int xarray = w.struct("xarray", 24, m("xa_lock", u32, 0), m("xa_flags", u32, 4), m("xa_head", voidp, 16));
        w.struct("idr", 32, m("idr_base", u32, 0), m("idr_next", u32, 4), m("idr_rt", xarray, 8));
        w.struct("xa_node", 536, m("parent", voidp, 0), m("array", voidp, 8), m("shift", u8, 16), m("offset", u8, 17),
                m("count", u8, 18), m("nr_values", u8, 19), m("slots", voidp64, 24));
        int mapType = w.enumeration("bpf_map_type", "BPF_MAP_TYPE_UNSPEC", 0, "BPF_MAP_TYPE_HASH", 1,
                "BPF_MAP_TYPE_ARRAY", 2, "BPF_MAP_TYPE_PERCPU_HASH", 5, "BPF_MAP_TYPE_PERCPU_ARRAY", 6,
                "BPF_MAP_TYPE_LRU_HASH", 9, "BPF_MAP_TYPE_LRU_PERCPU_HASH", 10, "BPF_MAP_TYPE_SOCKMAP", 15,
                "BPF_MAP_TYPE_QUEUE", 22, "BPF_MAP_TYPE_STACK", 23, "BPF_MAP_TYPE_STRUCT_OPS", 26,
                "BPF_MAP_TYPE_RINGBUF", 27, "BPF_MAP_TYPE_ARENA", 33);
        w.struct("btf", 32, m("data_size", u32, 0), m("data", voidp, 8), m("base_btf", voidp, 16),
                m("nr_types", u32, 24));
        int bpfMap = w.struct("bpf_map", 64, m("name", char16, 0), m("map_type", mapType, 16),
                m("key_size", u32, 20), m("value_size", u32, 24), m("max_entries", u32, 28), m("map_flags", u32, 32),
                m("btf_key_type_id", u32, 36), m("btf_value_type_id", u32, 40),
                m("btf_vmlinux_value_type_id", u32, 44), m("btf", voidp, 48), m("id", u32, 56));
        w.struct("bpf_array", 72, m("map", bpfMap, 0), m("elem_size", u32, 64), m("index_mask", u32, 68),
                m("value", char0, 72), m("pptrs", voidp0, 72));
        int node = w.struct("hlist_nulls_node", 16, m("next", voidp, 0), m("pprev", voidp, 8));
        int head = w.struct("hlist_nulls_head", 8, m("first", voidp, 0));
        w.struct("bucket", 16, m("raw_lock", u32, 0), m("head", head, 8));
        w.struct("bpf_htab", 80, m("map", bpfMap, 0), m("n_buckets", u32, 64), m("buckets", voidp, 72));
        w.struct("htab_elem", 24, m("hash", u32, 0), m("hash_node", node, 8), m("key", char0, 24));
        w.struct("bpf_queue_stack", 80, m("map", bpfMap, 0), m("head", u32, 64), m("tail", u32, 68),
                m("size", u32, 72), m("elements", char0, 80));
        w.struct("mm_struct", 32, m("pgd", voidp, 16));
        int exitKind = w.enumeration("scx_exit_kind", "SCX_EXIT_NONE", EXIT_NONE, "SCX_EXIT_DONE", 1,
                "SCX_EXIT_UNREG", 64, "SCX_EXIT_ERROR", 1024, "SCX_EXIT_ERROR_BPF", EXIT_ERROR_BPF);
        w.struct("scx_exit_info", 32, m("kind", exitKind, 0), m("exit_code", s64, 8), m("reason", charp, 16),
                m("msg", charp, 24));
        int fnptr = w.pointer(w.funcProto(0));
        int ops = w.struct("sched_ext_ops", 152, m("select_cpu", fnptr, 0), m("enqueue", fnptr, 8),
                m("dispatch", fnptr, 16), m("name", char128, 24));
        int atomic = w.typedef("atomic_t", w.struct("", 4, m("counter", s32, 0)));
        w.struct("scx_sched", 176, m("ops", ops, 0), m("exit_kind", atomic, 160), m("exit_info", voidp, 168));
        w.struct("bpf_struct_ops_sched_ext_ops", 160, m("refcnt", u64, 0), m("data", ops, 8));
        w.struct("bpf_struct_ops_map", 72, m("map", bpfMap, 0), m("kvalue", u64, 64));
        w.struct("bpf_ringbuf_map", 72, m("map", bpfMap, 0), m("rb", voidp, 64));
        w.struct("bpf_ringbuf", 64, m("mask", u64, 0), m("consumer_pos", u64, 16), m("producer_pos", u64, 32),
                m("pending_pos", u64, 40));
        w.struct("bpf_arena", 104, m("map", bpfMap, 0), m("user_vm_start", u64, 64), m("user_vm_end", u64, 72),
                m("kern_vm", voidp, 80), m("nr_pages", u64, 88));
        w.struct("vm_struct", 16, m("next", voidp, 0), m("addr", voidp, 8));
        try {
            return Btf.parse(w.build());
        } catch (BtfException e) {
            throw new AssertionError(e);
        }
    }
}
