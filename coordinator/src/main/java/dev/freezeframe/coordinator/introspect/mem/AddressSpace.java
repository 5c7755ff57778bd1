package dev.freezeframe.coordinator.introspect.mem;

import dev.freezeframe.coordinator.introspect.mem.Read.Fault;
import dev.freezeframe.vmm.GuestMemory;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.VmmException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the guest kernel maps kernel-virtual addresses to guest-physical ones (x86-64, {@code arch/x86/include/asm/
 * page_64.h} and {@code pgtable_64_types.h}):
 * <ul>
 *   <li>the kernel image, {@code [__START_KERNEL_map, +KERNEL_IMAGE_SIZE)}: {@code pa = va - 0xffffffff80000000 +
 *       phys_base} ({@code __pa_symbol}); {@code KERNEL_IMAGE_SIZE} is 1 GiB with {@code CONFIG_RANDOMIZE_BASE}, and
 *       anything above (modules, fixmap) is left to the page tables;</li>
 *   <li>the direct map, {@code [page_offset_base, +2^MAX_PHYSMEM_BITS)}: {@code pa = va - page_offset_base}
 *       ({@code __pa}), with {@code page_offset_base} read from guest memory at its symbol — never assumed: it is
 *       {@code 0xffff888000000000} with 4-level paging and {@code 0xff11000000000000} with 5-level paging, and KASLR
 *       moves it;</li>
 *   <li>everything else (vmalloc, vmap, percpu chunks, modules): a page-table walk from the root table — CR3 when
 *       the vCPU registers are known, else {@code init_mm.pgd} ({@code swapper_pg_dir}) — with 4 or 5 levels
 *       (CR4.LA57 when known, else whether {@code page_offset_base} is a 48-bit canonical address) and 1 GiB / 2 MiB
 *       pages.</li>
 * </ul>
 * Immutable; every failure is a {@link Read.Unavailable} (or a {@link Fault} for walkers) with the reason.
 */
public final class AddressSpace {
    /** {@code __START_KERNEL_map}. */
    public static final long START_KERNEL_MAP = 0xffff_ffff_8000_0000L;
    /** {@code KERNEL_IMAGE_SIZE} with {@code CONFIG_RANDOMIZE_BASE=y} (the kit's and distributions' setting). */
    public static final long KERNEL_IMAGE_SIZE = 1L << 30;
    /** Bits 12..51 of a page-table entry: the next table's (or the page's) physical address. */
    public static final long PTE_ADDRESS_MASK = 0x000f_ffff_ffff_f000L;
    static final long PRESENT = 1L;
    static final long PAGE_SIZE_BIT = 1L << 7;

    private final GuestMemory phys;
    private final long physBase;
    private final long pageOffsetBase;
    private final boolean la57;
    private final Read<GuestPhysAddr> rootTable;
    private final String rootSource;

    /**
     * @param phys           guest RAM
     * @param physBase       the kernel's {@code phys_base}
     * @param pageOffsetBase the direct map's base, as read from the guest
     * @param la57           5-level paging
     * @param rootTable      the root page table's physical address, or why it is not known (then only the image and
     *                       the direct map translate)
     */
    public AddressSpace(GuestMemory phys, long physBase, long pageOffsetBase, boolean la57,
            Read<GuestPhysAddr> rootTable) {
        this(phys, physBase, pageOffsetBase, la57, rootTable, "given");
    }

    private AddressSpace(GuestMemory phys, long physBase, long pageOffsetBase, boolean la57,
            Read<GuestPhysAddr> rootTable, String rootSource) {
        this.rootSource = rootSource;
        this.phys = Objects.requireNonNull(phys, "phys");
        this.physBase = physBase;
        this.pageOffsetBase = pageOffsetBase;
        this.la57 = la57;
        this.rootTable = Objects.requireNonNull(rootTable, "rootTable");
    }

    /** {@code CONFIG_PHYSICAL_ALIGN}: the kernel image is loaded at a multiple of 2 MiB. */
    static final long PHYSICAL_ALIGN = 2L << 20;

    /**
     * Finds the address space from guest memory: {@code phys_base}, {@code page_offset_base} (read, and checked to be
     * a kernel-half, 1 GiB-aligned address), the paging depth, and the root table (from {@code registers} when
     * present, else {@code init_mm.pgd}).
     *
     * <p>{@code phys_base} lives in the image it relocates, so it is found by trying each 2 MiB-aligned load offset
     * {@code c} (0 first: {@code nokaslr} loads the image where it was linked) and keeping the first one that is
     * self-consistent: the variable at {@code &phys_base - __START_KERNEL_map + c} holds {@code c}, and — when a root
     * table is known — the page tables map {@code &phys_base} to that same physical address.
     *
     * @param symbols     kernel symbol addresses (at least {@code page_offset_base}; {@code phys_base} and {@code
     *                    init_mm} when known — without {@code phys_base}, 0 is used)
     * @param mmPgdOffset {@code offsetof(struct mm_struct, pgd)} from the vmlinux BTF, or why it is not known
     * @param registers   CR3/CR4 of a frozen vCPU, when the backend read them
     */
    public static Read<AddressSpace> discover(GuestMemory phys, Map<String, Long> symbols, Read<Long> mmPgdOffset,
            Optional<PagingRegisters> registers) {
        if (!symbols.containsKey("page_offset_base")) {
            return Read.unavailable("the symbol page_offset_base is not known");
        }
        // CR3 first; with page-table isolation a vCPU stopped in user mode has the user PGD loaded, the kernel's
        // is the 8 KiB-aligned page below it (PTI_USER_PGTABLE_BIT); init_mm.pgd last
        java.util.List<Optional<PagingRegisters>> roots = new java.util.ArrayList<>();
        registers.ifPresent(r -> {
            roots.add(Optional.of(r));
            if ((r.cr3() & PTI_USER_PGTABLE_BIT) != 0) {
                roots.add(Optional.of(new PagingRegisters(r.cr3() & ~PTI_USER_PGTABLE_BIT, r.cr4())));
            }
        });
        roots.add(Optional.empty());
        Read<AddressSpace> first = null;
        for (Optional<PagingRegisters> root : roots) {
            Read<AddressSpace> r = scanLoadOffsets(phys, symbols, mmPgdOffset, root);
            if (r.isOk()) {
                return r;
            }
            if (first == null) {
                first = r;
            }
        }
        return first;
    }

    /** {@code PTI_USER_PGTABLE_BIT}: CR3 bit 12 selects the user half of a PTI page-table pair. */
    static final long PTI_USER_PGTABLE_BIT = 1L << 12;

    private static Read<AddressSpace> scanLoadOffsets(GuestMemory phys, Map<String, Long> symbols,
            Read<Long> mmPgdOffset, Optional<PagingRegisters> registers) {
        Read<AddressSpace> first = candidate(phys, symbols, mmPgdOffset, registers, 0);
        if (first.isOk() || !symbols.containsKey("phys_base")) {
            return first;
        }
        long limit = Math.min(phys.layout().ramBytes(), 64L << 30);
        for (long c = PHYSICAL_ALIGN; c < limit; c += PHYSICAL_ALIGN) {
            Read<AddressSpace> other = candidate(phys, symbols, mmPgdOffset, registers, c);
            if (other.isOk()) {
                return other;
            }
        }
        return first;
    }

    /** The address space if the image was loaded {@code physBase} bytes above its link address, checked. */
    private static Read<AddressSpace> candidate(GuestMemory phys, Map<String, Long> symbols, Read<Long> mmPgdOffset,
            Optional<PagingRegisters> registers, long physBase) {
        try {
            Long pbSym = symbols.get("phys_base");
            if (pbSym != null) {
                long v = imageU64(phys, pbSym, physBase, "phys_base");
                if (v != physBase) {
                    throw new Fault(String.format("phys_base reads 0x%x where a load offset of 0x%x would put it",
                            v, physBase));
                }
            }
            long pob = imageU64(phys, symbols.get("page_offset_base"), physBase, "page_offset_base");
            if (pob >= 0 || (pob & ((1L << 30) - 1)) != 0) {
                throw new Fault(String.format(
                        "page_offset_base holds 0x%016x, which is not a 1 GiB-aligned kernel address", pob));
            }
            boolean la57 = registers.map(PagingRegisters::la57).orElse((pob >> 47) != -1L);
            if (!la57 && (pob >> 47) != -1L) {
                throw new Fault(String.format(
                        "page_offset_base 0x%016x is not canonical with 4-level paging (CR4.LA57 is clear)", pob));
            }
            Read<GuestPhysAddr> root = registers.isPresent()
                    ? Read.ok(GuestPhysAddr.of(registers.get().rootTablePhys()))
                    : Read.attempt(() -> initMmRoot(phys, symbols, mmPgdOffset, physBase, pob, la57));
            String source = registers.map(r -> String.format("CR3 0x%x", r.cr3())).orElse("init_mm.pgd");
            AddressSpace space = new AddressSpace(phys, physBase, pob, la57, root, source);
            if (pbSym != null && root.isOk()) {
                long walked = space.walk(pbSym).phys;
                if (walked != pbSym - START_KERNEL_MAP + physBase) {
                    throw new Fault(String.format("the page tables map phys_base to 0x%x, not to 0x%x (load offset "
                            + "0x%x)", walked, pbSym - START_KERNEL_MAP + physBase, physBase));
                }
            }
            return Read.ok(space);
        } catch (Fault f) {
            return Read.unavailable(f.getMessage());
        }
    }

    private static GuestPhysAddr initMmRoot(GuestMemory phys, Map<String, Long> symbols, Read<Long> mmPgdOffset,
            long physBase, long pob, boolean la57) throws Fault {
        Long initMm = symbols.get("init_mm");
        if (initMm == null) {
            throw new Fault("no root page table: neither CR3 nor the symbol init_mm is known");
        }
        long off = mmPgdOffset.context("no root page table: offsetof(struct mm_struct, pgd)").orFault();
        long pgd = imageU64(phys, initMm + off, physBase, "init_mm.pgd");
        AddressSpace linear = new AddressSpace(phys, physBase, pob, la57,
                Read.unavailable("(resolving init_mm.pgd)"));
        Translation t = linear.linear(pgd);
        if (t == null) {
            throw new Fault(String.format("init_mm.pgd = 0x%016x is neither in the kernel image nor in the direct map",
                    pgd));
        }
        if ((t.phys & 0xfff) != 0) {
            throw new Fault(String.format("init_mm.pgd = 0x%016x is not page-aligned", pgd));
        }
        return GuestPhysAddr.of(t.phys);
    }

    private static long imageU64(GuestMemory phys, long va, long physBase, String what) throws Fault {
        long pa = va - START_KERNEL_MAP + physBase;
        if (Long.compareUnsigned(va - START_KERNEL_MAP, KERNEL_IMAGE_SIZE) >= 0) {
            throw new Fault(String.format("%s at 0x%016x is not in the kernel image", what, va));
        }
        return physU64(phys, pa, what);
    }

    static long physU64(GuestMemory phys, long pa, String what) throws Fault {
        GuestPhysAddr at = GuestPhysAddr.of(pa);
        try {
            if (!phys.isReadable(at, 8)) {
                throw new Fault(String.format("%s: guest-physical 0x%x is outside guest RAM", what, pa));
            }
            return phys.readU64(at);
        } catch (VmmException e) {
            throw new Fault(what + ": " + e.getMessage());
        }
    }

    public long physBase() {
        return physBase;
    }

    public long pageOffsetBase() {
        return pageOffsetBase;
    }

    public boolean la57() {
        return la57;
    }

    /** Where the root table came from: {@code "CR3 0x..."} or {@code "init_mm.pgd"}. */
    public String rootSource() {
        return rootSource;
    }

    /** The root page table, or why page-table walks cannot be done. */
    public Read<GuestPhysAddr> rootTable() {
        return rootTable;
    }

    public GuestMemory physicalMemory() {
        return phys;
    }

    /** Size of the direct map: {@code 2^MAX_PHYSMEM_BITS} (46 bits with 4 levels, 52 with 5). */
    public long directMapSize() {
        return 1L << (la57 ? 52 : 46);
    }

    /** How a translation was made. */
    public enum Via { KERNEL_IMAGE, DIRECT_MAP, PAGE_TABLES }

    /**
     * A translated address: {@code phys} and how many bytes from it on are contiguous in physical memory under the
     * same mapping (to the end of the page, or of the linear window).
     */
    public record Translation(long phys, long contiguous, Via via) {
    }

    public Read<GuestPhysAddr> translate(KernelVirtAddr va) {
        try {
            return Read.ok(GuestPhysAddr.of(translation(va.value()).phys));
        } catch (Fault f) {
            return Read.unavailable(f.getMessage());
        }
    }

    /** Translates {@code va}; a {@link Fault} says why it cannot be. */
    public Translation translation(long va) throws Fault {
        if (va >= 0) {
            throw new Fault(String.format("0x%016x is not a kernel address (bit 63 is clear)", va));
        }
        Translation t = linear(va);
        return t != null ? t : walk(va);
    }

    private Translation linear(long va) {
        long imageOff = va - START_KERNEL_MAP;
        if (Long.compareUnsigned(imageOff, KERNEL_IMAGE_SIZE) < 0) {
            return new Translation(imageOff + physBase, KERNEL_IMAGE_SIZE - imageOff, Via.KERNEL_IMAGE);
        }
        long directOff = va - pageOffsetBase;
        if (Long.compareUnsigned(directOff, directMapSize()) < 0) {
            return new Translation(directOff, directMapSize() - directOff, Via.DIRECT_MAP);
        }
        return null;
    }

    /** The page-table walk ({@code arch/x86/mm/pgtable}: pgd → [p4d →] pud → pmd → pte). */
    private Translation walk(long va) throws Fault {
        int levels = la57 ? 5 : 4;
        int canonicalBits = la57 ? 57 : 48;
        if ((va >> (canonicalBits - 1)) != -1L) {
            throw new Fault(String.format("0x%016x is not a canonical %d-level address", va, levels));
        }
        long table = rootTable.context(String.format("cannot walk the page tables for 0x%016x", va)).orFault()
                .value();
        for (int level = levels; level >= 1; level--) {
            int shift = 12 + 9 * (level - 1);
            long index = (va >>> shift) & 511;
            long entry = physU64(phys, table + index * 8, levelName(level) + " entry for " + hex(va));
            if ((entry & PRESENT) == 0) {
                throw new Fault(String.format("0x%016x is not mapped (%s entry %d not present)", va,
                        levelName(level), index));
            }
            long pageMask = (1L << shift) - 1;
            if (level == 1 || ((level == 2 || level == 3) && (entry & PAGE_SIZE_BIT) != 0)) {
                long base = entry & PTE_ADDRESS_MASK & ~pageMask;
                long offset = va & pageMask;
                return new Translation(base + offset, (pageMask + 1) - offset, Via.PAGE_TABLES);
            }
            table = entry & PTE_ADDRESS_MASK;
        }
        throw new AssertionError("unreachable");
    }

    /** Pages mapped in a range: {@code pages} 4 KiB pages; {@code truncated} when the step budget ran out first. */
    public record PageCount(long pages, boolean truncated) {
    }

    /**
     * Counts the 4 KiB pages mapped by the page tables in {@code [start, start + length)} by walking the subtree of
     * tables that covers the range (each table's entries read at once; absent entries skip their whole span), visiting
     * at most {@code maxTables} tables — an arena's 4 GiB range is mostly empty.
     */
    public Read<PageCount> countMappedPages(KernelVirtAddr start, long length, int maxTables) {
        long va = start.value();
        int levels = la57 ? 5 : 4;
        int canonicalBits = la57 ? 57 : 48;
        if (length < 0 || length > (1L << (canonicalBits - 1))) {
            return Read.unavailable("bad range " + start + "+" + length);
        }
        long last = va + length - 1;
        if (length == 0) {
            return Read.ok(new PageCount(0, false));
        }
        if ((va >> (canonicalBits - 1)) != -1L || (last >> (canonicalBits - 1)) != -1L) {
            return Read.unavailable(String.format("0x%016x+%d is not a canonical %d-level kernel range", va, length,
                    levels));
        }
        try {
            long table = rootTable.context("cannot walk the page tables").orFault().value();
            int[] budget = {maxTables};
            long pages = count(table, levels, va, last, budget);
            return Read.ok(new PageCount(pages, budget[0] < 0));
        } catch (Fault f) {
            return Read.unavailable(f.getMessage());
        }
    }

    /** Pages mapped in [lo, hi] (inclusive) under the table at {@code table} of {@code level}. */
    private long count(long table, int level, long lo, long hi, int[] budget) throws Fault {
        if (--budget[0] < 0) {
            return 0;
        }
        int shift = 12 + 9 * (level - 1);
        int first = (int) ((lo >>> shift) & 511);
        int lastIdx = (int) ((hi >>> shift) & 511);
        byte[] raw;
        GuestPhysAddr at = GuestPhysAddr.of(table + first * 8L);
        int n = lastIdx - first + 1;
        try {
            if (n <= 0 || !phys.isReadable(at, 8L * n)) {
                throw new Fault(String.format("%s table at 0x%x is outside guest RAM", levelName(level), table));
            }
            raw = phys.readBytes(at, 8 * n);
        } catch (VmmException e) {
            throw new Fault(e.getMessage());
        }
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long pages = 0;
        long span = 1L << shift;
        for (int i = 0; i < n; i++) {
            long entry = le.getLong(8 * i);
            if ((entry & PRESENT) == 0) {
                continue;
            }
            long base = (lo & ~(span * 512 - 1)) + (long) (first + i) * span;
            long entryLo = Math.max(lo, base);
            long entryHi = Math.min(hi, base + span - 1);
            if (level == 1 || ((level == 2 || level == 3) && (entry & PAGE_SIZE_BIT) != 0)) {
                pages += ((entryHi - entryLo) >>> 12) + 1;
            } else {
                pages += count(entry & PTE_ADDRESS_MASK, level - 1, entryLo, entryHi, budget);
                if (budget[0] < 0) {
                    return pages;
                }
            }
        }
        return pages;
    }

    private String levelName(int level) {
        return switch (level) {
            case 5 -> "PGD";
            case 4 -> la57 ? "P4D" : "PGD";
            case 3 -> "PUD";
            case 2 -> "PMD";
            default -> "PTE";
        };
    }

    private static String hex(long v) {
        return String.format("0x%016x", v);
    }

    @Override
    public String toString() {
        return String.format("AddressSpace[phys_base=0x%x, page_offset_base=0x%016x, %d-level, root=%s from %s]",
                physBase, pageOffsetBase, la57 ? 5 : 4,
                rootTable.isOk() ? rootTable.orElse(null) : rootTable.reasonOrNull(), rootSource);
    }
}
