package dev.freezeframe.coordinator.introspect.kernel;

import dev.freezeframe.coordinator.introspect.mem.KernelMemory;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.mem.Read;
import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Walkers over kernel data structures, named exactly like the kernel's own iterators (as drgn and
 * {@code tools/sched_ext/scx_show_state.py} do), hence the C-style method names. Each walk is bounded by a
 * {@link WalkBudget}, detects cycles with a visited set, checks the invariants a corrupt image breaks (an
 * {@code xa_node}'s shift, offset and parent), and ends in a {@link Walk} whose {@code unavailable} says what went
 * wrong — never a hang or an exception.
 */
public final class KernelHelpers {
    /** {@code XA_CHUNK_SHIFT} with {@code CONFIG_BASE_SMALL=n}: 64 slots per {@code xa_node}. */
    public static final int XA_CHUNK_SHIFT = 6;
    public static final int XA_CHUNK_SIZE = 1 << XA_CHUNK_SHIFT;
    /** {@code xa_mk_internal(256)}: {@code XA_RETRY_ENTRY}. */
    static final long XA_RETRY_ENTRY = (256L << 2) | 2;
    /** {@code xa_mk_internal(257)}: {@code XA_ZERO_ENTRY} (reserved by {@code idr_alloc} before the pointer is set). */
    static final long XA_ZERO_ENTRY = (257L << 2) | 2;

    private KernelHelpers() {
    }

    /** One present entry of an xarray: its index and the entry (a pointer, or a value entry with bit 0 set). */
    public record XaEntry(long index, long entry) {
        public KernelVirtAddr pointer() {
            return KernelVirtAddr.of(entry);
        }

        /** {@code xa_is_value()}: a tagged integer, not a pointer. */
        public boolean isValue() {
            return (entry & 1) != 0;
        }
    }

    /** One allocated id of an IDR and its pointer. */
    public record IdrEntry(long id, KernelVirtAddr pointer) {
    }

    /** {@code xa_is_internal()}: bits 1..0 are 10. */
    static boolean xaIsInternal(long entry) {
        return (entry & 3) == 2;
    }

    /** {@code xa_is_node()}: an internal entry above 4096 is an {@code xa_node} pointer plus 2. */
    static boolean xaIsNode(long entry) {
        return xaIsInternal(entry) && Long.compareUnsigned(entry, 4096) > 0;
    }

    /** {@code xa_is_sibling()}: an internal entry below {@code XA_CHUNK_SIZE} (multi-index entries). */
    static boolean xaIsSibling(long entry) {
        return xaIsInternal(entry) && Long.compareUnsigned(entry, ((long) (XA_CHUNK_SIZE - 1) << 2) | 2) <= 0;
    }

    /**
     * {@code xa_for_each(xa, index, entry)}: every present entry of the {@code struct xarray} at {@code xa}, in index
     * order. Sibling, retry and zero (reserved) entries are skipped, like {@code xa_find} does. Checked: a node's
     * shift is a multiple of 6, at most 60 and 6 less than its parent's; its {@code offset} and {@code parent} match
     * where it was found; no node is reached twice.
     */
    public static Walk<XaEntry> xa_for_each(KernelView k, KernelVirtAddr xa, WalkBudget budget) {
        XaWalk w = new XaWalk(k, budget);
        try {
            long head = k.memory().u64(xa.plus(w.off("struct xarray", "xa_head"))).context("xarray at " + xa + " head")
                    .orFault();
            w.entry(0, head, -1, 0, 0, 0);
        } catch (Fault f) {
            return new Walk<>(w.out, false, f.getMessage());
        } catch (Stop s) {
            return new Walk<>(w.out, true, null);
        }
        return new Walk<>(w.out, false, null);
    }

    /**
     * {@code idr_for_each(idr, fn, data)}: every allocated id of the {@code struct idr} at {@code idr} with its
     * pointer; ids are {@code idr_base} plus the xarray index.
     */
    public static Walk<IdrEntry> idr_for_each(KernelView k, KernelVirtAddr idr, WalkBudget budget) {
        Read<Long> base = k.types().offsetOf("struct idr", "idr_base")
                .flatMap(o -> k.memory().u32(idr.plus(o)));
        Read<Long> rt = k.types().offsetOf("struct idr", "idr_rt");
        if (!base.isOk() || !rt.isOk()) {
            return new Walk<>(List.of(), false, "idr at " + idr + ": "
                    + (base.isOk() ? rt.reasonOrNull() : base.reasonOrNull()));
        }
        Walk<XaEntry> xa = xa_for_each(k, idr.plus(rt.orElse(0L)), budget);
        List<IdrEntry> ids = new ArrayList<>(xa.items().size());
        long b = base.orElse(0L);
        for (XaEntry e : xa.items()) {
            ids.add(new IdrEntry(b + e.index(), e.pointer()));
        }
        return new Walk<>(ids, xa.truncated(), xa.unavailable());
    }

    /**
     * {@code bpf_map_for_each()} (drgn's helper): every {@code struct bpf_map *} in the kernel's {@code map_idr}, with
     * its map id. Value entries and pointers that cannot be a {@code struct bpf_map} (not 8-byte-aligned kernel
     * addresses) end the walk with a reason.
     */
    public static Walk<IdrEntry> bpf_map_for_each(KernelView k, WalkBudget budget) {
        return idrOfObjects(k, "map_idr", "bpf maps", "struct bpf_map", budget);
    }

    /** {@code bpf_prog_for_each()} (drgn's helper): every {@code struct bpf_prog *} in {@code prog_idr}, checked alike. */
    public static Walk<IdrEntry> bpf_prog_for_each(KernelView k, WalkBudget budget) {
        return idrOfObjects(k, "prog_idr", "bpf programs", "struct bpf_prog", budget);
    }

    private static Walk<IdrEntry> idrOfObjects(KernelView k, String idrSymbol, String what, String type,
                                               WalkBudget budget) {
        Read<KernelVirtAddr> idr = k.symbols().require(idrSymbol);
        if (!idr.isOk()) {
            return new Walk<>(List.of(), false, what + ": " + idr.reasonOrNull());
        }
        Walk<IdrEntry> all = idr_for_each(k, idr.orElse(null), budget);
        List<IdrEntry> objects = new ArrayList<>();
        String problem = all.unavailable();
        for (IdrEntry e : all.items()) {
            long p = e.pointer().value();
            if (p >= 0 || (p & 7) != 0) {
                problem = idrSymbol + " id " + e.id() + " holds " + e.pointer() + ", which is not a " + type
                        + " pointer";
                break;
            }
            objects.add(e);
        }
        return new Walk<>(objects, all.truncated(), problem);
    }

    /**
     * {@code __per_cpu_offset[0 .. nr_cpu_ids)}, at most {@code maxCpus} of them: a per-CPU variable of CPU {@code c}
     * is at its address plus the {@code c}th offset.
     */
    public static Read<long[]> per_cpu_offsets(KernelView k, int maxCpus) {
        KernelMemory mem = k.memory();
        return Read.attempt(() -> {
            long n = mem.u32(k.symbols().require("nr_cpu_ids").orFault()).context("nr_cpu_ids").orFault();
            if (n < 1 || n > 8192) throw new Fault("nr_cpu_ids " + n + " is outside 1..8192");
            int cpus = (int) Math.min(n, maxCpus);
            byte[] raw = mem.bytes(k.symbols().require("__per_cpu_offset").orFault(), 8L * cpus)
                    .context("__per_cpu_offset").orFault();
            long[] out = new long[cpus];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
            return out;
        });
    }

    /**
     * {@code list_for_each_entry(pos, head, member)}: the addresses of the entries of the circular {@code struct
     * list_head} list at {@code head}, where the link is {@code member} of {@code entryType}.
     */
    public static Walk<KernelVirtAddr> list_for_each_entry(KernelView k, KernelVirtAddr head, String entryType,
            String member, WalkBudget budget) {
        List<KernelVirtAddr> out = new ArrayList<>();
        try {
            long linkOff = k.types().offsetOf(entryType, member).orFault();
            long nextOff = k.types().offsetOf("struct list_head", "next").orFault();
            Set<Long> seen = new HashSet<>();
            KernelVirtAddr pos = k.memory().pointer(head.plus(nextOff)).context("list head " + head).orFault();
            int steps = 0;
            while (!pos.equals(head)) {
                if (pos.isNull()) {
                    throw new Fault("list at " + head + " has a NULL link after " + out.size() + " entries");
                }
                if (!seen.add(pos.value())) {
                    throw new Fault("list at " + head + " loops back to " + pos + " without reaching its head");
                }
                if (++steps > budget.maxNodes() || out.size() >= budget.maxEntries()) {
                    return new Walk<>(out, true, null);
                }
                out.add(pos.plus(-linkOff));
                pos = k.memory().pointer(pos.plus(nextOff)).context("list link " + pos).orFault();
            }
        } catch (Fault f) {
            return new Walk<>(out, false, f.getMessage());
        }
        return new Walk<>(out, false, null);
    }

    /** Thrown inside a walk when the budget is used up. */
    private static final class Stop extends Exception {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final class XaWalk {
        final KernelView k;
        final KernelMemory mem;
        final WalkBudget budget;
        final List<XaEntry> out = new ArrayList<>();
        final Set<Long> visited = new HashSet<>();
        int nodes;

        XaWalk(KernelView k, WalkBudget budget) {
            this.k = k;
            this.mem = k.memory();
            this.budget = budget;
        }

        long off(String type, String path) throws Fault {
            return k.types().offsetOf(type, path).orFault();
        }

        /** One slot's entry at {@code index}; {@code parentShift} is -1 for the head. */
        void entry(long index, long e, int parentShift, long parentNode, int slot, int depth) throws Fault, Stop {
            if (e == 0 || e == XA_RETRY_ENTRY || e == XA_ZERO_ENTRY) {
                return;
            }
            if (xaIsNode(e)) {
                if (parentShift == 0) {
                    throw new Fault(String.format("xa_node 0x%016x: slot %d of a leaf node points to a node",
                            parentNode, slot));
                }
                node(e - 2, index, parentShift, parentNode, slot, depth);
                return;
            }
            if (xaIsInternal(e)) {
                if (xaIsSibling(e) && parentShift >= 0) {
                    return; // covered by the canonical slot of a multi-index entry
                }
                throw new Fault(String.format("xarray entry 0x%x at index %d is an unknown internal entry", e, index));
            }
            if (out.size() >= budget.maxEntries()) {
                throw new Stop();
            }
            out.add(new XaEntry(index, e));
        }

        void node(long node, long base, int parentShift, long parentNode, int slot, int depth) throws Fault, Stop {
            if (!visited.add(node)) {
                throw new Fault(String.format("xa_node 0x%016x is reached twice (a cycle)", node));
            }
            if (++nodes > budget.maxNodes()) {
                throw new Stop();
            }
            KernelVirtAddr at = KernelVirtAddr.of(node);
            String where = "xa_node " + at;
            int shift = (int) (long) mem.u8(at.plus(off("struct xa_node", "shift"))).context(where).orFault();
            int offset = (int) (long) mem.u8(at.plus(off("struct xa_node", "offset"))).context(where).orFault();
            long parent = mem.u64(at.plus(off("struct xa_node", "parent"))).context(where).orFault();
            if (shift % XA_CHUNK_SHIFT != 0 || shift > 60) {
                throw new Fault(where + " has shift " + shift + " (not a multiple of 6 up to 60)");
            }
            if (parentShift >= 0 && shift != parentShift - XA_CHUNK_SHIFT) {
                throw new Fault(where + " has shift " + shift + " under a parent of shift " + parentShift);
            }
            if (parentShift >= 0 && (offset != slot || parent != parentNode)) {
                throw new Fault(String.format("%s says it is slot %d of 0x%016x, but was found in slot %d of 0x%016x",
                        where, offset, parent, slot, parentNode));
            }
            if (parentShift < 0 && parent != 0) {
                throw new Fault(String.format("%s is the xarray's head but has parent 0x%016x", where, parent));
            }
            if (depth > 64 / XA_CHUNK_SHIFT + 1) {
                throw new Fault(where + " is nested too deeply");
            }
            byte[] raw = mem.bytes(at.plus(off("struct xa_node", "slots")), 8L * XA_CHUNK_SIZE)
                    .context(where + " slots").orFault();
            ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < XA_CHUNK_SIZE; i++) {
                long e = le.getLong(i * 8);
                if (e == 0) {
                    continue;
                }
                if (shift == 60 && i >= 16) {
                    throw new Fault(where + " (shift 60) uses slot " + i + ", beyond 64-bit indices");
                }
                entry(base + ((long) i << shift), e, shift, node, i, depth + 1);
            }
        }
    }
}
