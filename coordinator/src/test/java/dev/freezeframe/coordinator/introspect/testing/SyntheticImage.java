package dev.freezeframe.coordinator.introspect.testing;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.btf.BtfException;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.GuestRamLayout;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hand-built guest RAM image with x86-64 page tables: a kernel image window ({@code va - 0xffffffff80000000 +
 * phys_base}), a direct map at {@code page_offset_base} and a vmalloc area whose pages are scattered physically (so
 * only a page-table walk finds them), plus kernel objects written with the offsets of a {@link Btf} — the synthetic
 * one or a real vmlinux's. {@link #regions()} lists every byte range written, for the fuzzer.
 */
public final class SyntheticImage {
    public static final long START_KERNEL_MAP = 0xffff_ffff_8000_0000L;
    public static final long POB_4LEVEL = 0xffff_8880_0000_0000L;
    public static final long POB_5LEVEL = 0xff11_0000_0000_0000L;
    public static final long VMALLOC_4LEVEL = 0xffff_c900_0000_0000L;
    public static final long VMALLOC_5LEVEL = 0xffa0_0000_0000_0000L;
    /** Where the image's first byte is linked: va {@code START_KERNEL_MAP + IMAGE_LINK}. */
    static final long IMAGE_LINK = 0x10_0000;
    static final long IMAGE_SIZE = 0x10_0000;
    static final long ALLOC_START = 0x40_0000;

    public final byte[] ram;
    private final ByteBuffer le;
    public final boolean la57;
    public final long physBase;
    public final long pob;
    public final Btf btf;
    private final long rootPhys;
    private long imageNext = 0;
    private long physNext = ALLOC_START;
    private long vmNext;
    private final Map<Long, Long> vmPages = new HashMap<>();
    private final Map<String, Long> symbols = new LinkedHashMap<>();
    private final TreeMap<Long, Long> regions = new TreeMap<>();

    public SyntheticImage(int ramBytes, boolean la57, long physBase, Btf btf) {
        this.ram = new byte[ramBytes];
        this.le = ByteBuffer.wrap(ram).order(ByteOrder.LITTLE_ENDIAN);
        this.la57 = la57;
        this.physBase = physBase;
        this.pob = la57 ? POB_5LEVEL : POB_4LEVEL;
        this.vmNext = la57 ? VMALLOC_5LEVEL : VMALLOC_4LEVEL;
        this.btf = btf;
        KernelVirtAddr pgd = symbol("swapper_pg_dir", 4096, 4096);
        this.rootPhys = pa(pgd.value());
        map(START_KERNEL_MAP, physBase, 2); // the image is mapped by the page tables too (2 MiB pages)
        w64(symbol("page_offset_base", 8, 8), pob);
        w64(symbol("phys_base", 8, 8), physBase);
        KernelVirtAddr initMm = symbol("init_mm", size("struct mm_struct"), 64);
        w64(initMm.plus(off("struct mm_struct", "pgd")), pgd.value());
    }

    public static SyntheticImage fourLevel(Btf btf) {
        return new SyntheticImage(8 << 20, false, 0, btf);
    }

    // ------------------------------------------------------------------------------------------------ layout

    public long off(String type, String path) {
        try {
            return btf.offsetOf(type, path);
        } catch (BtfException e) {
            throw new AssertionError(e);
        }
    }

    public long size(String type) {
        try {
            return btf.sizeOf(btf.requireType(type).id());
        } catch (BtfException e) {
            throw new AssertionError(e);
        }
    }

    public Map<String, Long> symbols() {
        return Map.copyOf(symbols);
    }

    public long rootTablePhys() {
        return rootPhys;
    }

    /** Every range written so far: physical start → length. */
    public List<long[]> regions() {
        List<long[]> out = new ArrayList<>();
        regions.forEach((s, l) -> out.add(new long[] {s, l}));
        return out;
    }

    public GuestMemory memory() {
        return new GuestMemory(MemorySegment.ofArray(ram), GuestRamLayout.pcMachine(ram.length));
    }

    // ------------------------------------------------------------------------------------------------ allocation

    /** A kernel-image object (a global variable). */
    public KernelVirtAddr symbol(String name, long size, long align) {
        imageNext = (imageNext + align - 1) & -align;
        long va = START_KERNEL_MAP + IMAGE_LINK + imageNext;
        imageNext += Math.max(size, 1);
        if (imageNext > IMAGE_SIZE) {
            throw new IllegalStateException("image full");
        }
        symbols.put(name, va);
        return KernelVirtAddr.of(va);
    }

    /** A symbol at an address of the caller's choosing (per-CPU variables are offsets, not image objects). */
    public void defineSymbol(String name, long va) {
        symbols.put(name, va);
    }

    public long physAlloc(long size, long align) {
        physNext = (physNext + align - 1) & -align;
        long pa = physNext;
        physNext += size;
        if (physNext > ram.length) {
            throw new IllegalStateException("RAM full");
        }
        return pa;
    }

    /** A direct-map (kmalloc) object. */
    public KernelVirtAddr kmalloc(long size) {
        return KernelVirtAddr.of(pob + physAlloc(Math.max(size, 8), 64));
    }

    /** A vmalloc'd object: fresh pages, each one physically apart from the next, mapped by 4 KiB PTEs. */
    public KernelVirtAddr vmalloc(long size) {
        long va = vmNext;
        long pages = Math.max(1, (size + 4095) / 4096);
        for (long i = 0; i < pages; i++) {
            long pa = physAlloc(4096, 4096);
            physAlloc(4096, 4096); // a hole, so consecutive virtual pages are not physically adjacent
            map(va + i * 4096, pa, 1);
        }
        vmNext += (pages + 1) * 4096; // and a guard page
        return KernelVirtAddr.of(va);
    }

    /** Maps {@code va} to {@code pa} at {@code level}: 1 = 4 KiB PTE, 2 = 2 MiB PMD, 3 = 1 GiB PUD. */
    public void map(long va, long pa, int level) {
        long table = rootPhys;
        int levels = la57 ? 5 : 4;
        for (int l = levels; l > level; l--) {
            long slot = table + ((va >>> (12 + 9 * (l - 1))) & 511) * 8;
            long e = le.getLong((int) slot);
            if ((e & 1) == 0) {
                long t = physAlloc(4096, 4096);
                e = t | 0x63;
                putLong(slot, e);
            }
            table = e & 0x000f_ffff_ffff_f000L;
        }
        long slot = table + ((va >>> (12 + 9 * (level - 1))) & 511) * 8;
        putLong(slot, pa | 0x63 | (level > 1 ? 0x80 : 0));
        if (level == 1) {
            vmPages.put(va >>> 12, pa >>> 12);
        }
    }

    /** The test's own translation (image, direct map, the PTEs it made). */
    public long pa(long va) {
        long img = va - START_KERNEL_MAP;
        if (Long.compareUnsigned(img, 1L << 30) < 0) {
            return img + physBase;
        }
        long d = va - pob;
        if (Long.compareUnsigned(d, 1L << 40) < 0) {
            return d;
        }
        Long page = vmPages.get(va >>> 12);
        if (page == null) {
            throw new IllegalArgumentException("unmapped " + Long.toHexString(va));
        }
        return (page << 12) | (va & 0xfff);
    }

    // ------------------------------------------------------------------------------------------------ writes

    private void putLong(long pa, long v) {
        le.putLong((int) pa, v);
        mark(pa, 8);
    }

    private void mark(long pa, long len) {
        regions.merge(pa, len, Math::max);
    }

    public void w8(KernelVirtAddr va, long v) {
        wbytes(va, new byte[] {(byte) v});
    }

    public void w32(KernelVirtAddr va, long v) {
        wbytes(va, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

    public void w64(KernelVirtAddr va, long v) {
        wbytes(va, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    public void wstr(KernelVirtAddr va, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        wbytes(va, java.util.Arrays.copyOf(b, b.length + 1));
    }

    /** Writes bytes page by page through the test's translation. */
    public void wbytes(KernelVirtAddr va, byte[] b) {
        int done = 0;
        while (done < b.length) {
            long cur = va.value() + done;
            int chunk = (int) Math.min(b.length - done, 4096 - (cur & 0xfff));
            long pa = pa(cur);
            System.arraycopy(b, done, ram, (int) pa, chunk);
            mark(pa, chunk);
            done += chunk;
        }
    }

    // ------------------------------------------------------------------------------------------------ kernel objects

    /** Stores {@code entries} (index → entry) into the {@code struct xarray} at {@code xa}, shaped as the kernel does. */
    public void xaStore(KernelVirtAddr xa, Map<Long, Long> entries) {
        KernelVirtAddr headAt = xa.plus(off("struct xarray", "xa_head"));
        if (entries.isEmpty()) {
            w64(headAt, 0);
            return;
        }
        long max = entries.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        if (max == 0 && (entries.get(0L) & 3) != 2) {
            w64(headAt, entries.get(0L));
            return;
        }
        int shift = 0;
        while ((max >>> shift) >= 64) {
            shift += 6;
        }
        KernelVirtAddr node = xaNode(xa, new TreeMap<>(entries), shift, 0, KernelVirtAddr.NULL, 0);
        w64(headAt, node.value() + 2);
    }

    private KernelVirtAddr xaNode(KernelVirtAddr xa, TreeMap<Long, Long> entries, int shift, long base,
            KernelVirtAddr parent, int offset) {
        KernelVirtAddr node = kmalloc(size("struct xa_node"));
        w8(node.plus(off("struct xa_node", "shift")), shift);
        w8(node.plus(off("struct xa_node", "offset")), offset);
        w64(node.plus(off("struct xa_node", "parent")), parent.value());
        w64(node.plus(off("struct xa_node", "array")), xa.value());
        long slots = off("struct xa_node", "slots");
        for (int i = 0; i < 64; i++) {
            long lo = base + ((long) i << shift);
            long hi = lo + (1L << shift);
            var sub = entries.subMap(lo, true, hi, false);
            if (sub.isEmpty()) {
                continue;
            }
            if (shift == 0) {
                w64(node.plus(slots + 8L * i), sub.firstEntry().getValue());
            } else {
                KernelVirtAddr child = xaNode(xa, new TreeMap<>(sub), shift - 6, lo, node, i);
                w64(node.plus(slots + 8L * i), child.value() + 2);
            }
        }
        return node;
    }

    /** A {@code struct idr} symbol holding {@code pointers} by id (ids from {@code base}). */
    public KernelVirtAddr idr(String symbol, long base, Map<Long, Long> pointers) {
        KernelVirtAddr idr = symbol(symbol, size("struct idr"), 8);
        w32(idr.plus(off("struct idr", "idr_base")), base);
        Map<Long, Long> byIndex = new HashMap<>();
        pointers.forEach((id, p) -> byIndex.put(id - base, p));
        xaStore(idr.plus(off("struct idr", "idr_rt")), byIndex);
        return idr;
    }

    /** Puts a BTF blob where a {@code struct btf} points to it (data in vmalloc memory). */
    public KernelVirtAddr putBtf(byte[] blob) {
        KernelVirtAddr b = kmalloc(size("struct btf"));
        KernelVirtAddr data = vmalloc(blob.length);
        wbytes(data, blob);
        w64(b.plus(off("struct btf", "data")), data.value());
        w32(b.plus(off("struct btf", "data_size")), blob.length);
        w64(b.plus(off("struct btf", "base_btf")), 0);
        return b;
    }

    /** Writes a {@code struct bpf_map} header at {@code m}. */
    public void mapHeader(KernelVirtAddr m, String name, int type, long keySize, long valueSize, long maxEntries,
            long keyTid, long valueTid, KernelVirtAddr btfPtr) {
        String bm = "struct bpf_map";
        wstr(m.plus(off(bm, "name")), name);
        w32(m.plus(off(bm, "map_type")), type);
        w32(m.plus(off(bm, "key_size")), keySize);
        w32(m.plus(off(bm, "value_size")), valueSize);
        w32(m.plus(off(bm, "max_entries")), maxEntries);
        w32(m.plus(off(bm, "btf_key_type_id")), keyTid);
        w32(m.plus(off(bm, "btf_value_type_id")), valueTid);
        w64(m.plus(off(bm, "btf")), btfPtr.value());
    }
}
