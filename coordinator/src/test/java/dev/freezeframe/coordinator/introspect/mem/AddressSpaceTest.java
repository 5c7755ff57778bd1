package dev.freezeframe.coordinator.introspect.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.kernel.KernelTypes;
import dev.freezeframe.coordinator.introspect.testing.SyntheticImage;
import dev.freezeframe.coordinator.introspect.testing.SyntheticVmlinux;
import dev.freezeframe.vmm.GuestPhysAddr;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Address translation over hand-built page tables: image, direct map, 4- and 5-level walks, large pages, failures. */
class AddressSpaceTest {
    static final Btf BTF = SyntheticVmlinux.build();

    static AddressSpace discover(SyntheticImage img, Optional<PagingRegisters> regs) {
        Read<AddressSpace> s = AddressSpace.discover(img.memory(), img.symbols(),
                new KernelTypes(BTF).offsetOf("struct mm_struct", "pgd"), regs);
        assertTrue(s.isOk(), s::reasonOrNull);
        return s.orElse(null);
    }

    @Test
    void fourLevelDiscoveryReadsPageOffsetBaseAndFindsTheRootThroughInitMm() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        AddressSpace s = discover(img, Optional.empty());
        assertEquals(SyntheticImage.POB_4LEVEL, s.pageOffsetBase());
        assertFalse(s.la57());
        assertEquals(0, s.physBase());
        assertEquals(GuestPhysAddr.of(img.rootTablePhys()), s.rootTable().orElse(null));
    }

    @Test
    void imageDirectMapAndVmallocTranslate() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        KernelVirtAddr sym = img.symbol("jiffies_64", 8, 8);
        KernelVirtAddr obj = img.kmalloc(64);
        KernelVirtAddr vm = img.vmalloc(3 * 4096);
        AddressSpace s = discover(img, Optional.empty());
        assertEquals(img.pa(sym.value()), s.translate(sym).orElse(null).value());
        assertEquals(obj.value() - SyntheticImage.POB_4LEVEL, s.translate(obj).orElse(null).value());
        for (int page = 0; page < 3; page++) {
            KernelVirtAddr at = vm.plus(page * 4096L + 123);
            assertEquals(img.pa(at.value()), s.translate(at).orElse(null).value(), "vmalloc page " + page);
        }
        assertEquals(AddressSpace.Via.PAGE_TABLES, assertOk(() -> s.translation(vm.value())).via());
    }

    @Test
    void aReadAcrossScatteredVmallocPagesIsStitchedTogether() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        KernelVirtAddr vm = img.vmalloc(2 * 4096);
        byte[] data = new byte[300];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        KernelVirtAddr at = vm.plus(4096 - 150);
        img.wbytes(at, data);
        img.w64(vm.plus(4096 - 4), 0x1122334455667788L);
        KernelMemory mem = new KernelMemory(discover(img, Optional.empty()));
        assertArrayEquals(java.util.Arrays.copyOf(data, 146), java.util.Arrays.copyOf(mem.bytes(at, 300)
                .orElse(null), 146));
        assertEquals(0x1122334455667788L, mem.u64(vm.plus(4096 - 4)).orElse(0L)); // a u64 straddling two pages
        assertEquals(data[160] & 0xff, mem.u8(at.plus(160)).orElse(-1L));
    }

    @Test
    void largePagesTranslate() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        long va2m = 0xffff_c900_4000_0000L;
        long va1g = 0xffff_ca00_0000_0000L;
        img.map(va2m, 0x20_0000, 2);
        img.map(va1g, 0, 3);
        AddressSpace s = discover(img, Optional.empty());
        assertEquals(0x20_0000 + 0x1_2345, s.translate(KernelVirtAddr.of(va2m + 0x1_2345)).orElse(null).value());
        assertEquals(0x51_2345, s.translate(KernelVirtAddr.of(va1g + 0x51_2345)).orElse(null).value());
    }

    @Test
    void fiveLevelPagingIsDetectedFromPageOffsetBaseAndWalked() {
        SyntheticImage img = new SyntheticImage(8 << 20, true, 0x20_0000, BTF);
        KernelVirtAddr sym = img.symbol("x", 8, 8);
        KernelVirtAddr vm = img.vmalloc(4096);
        img.w64(vm.plus(8), 42);
        AddressSpace s = discover(img, Optional.empty());
        assertTrue(s.la57());
        assertEquals(SyntheticImage.POB_5LEVEL, s.pageOffsetBase());
        assertEquals(0x20_0000, s.physBase());
        assertEquals(img.pa(sym.value()), s.translate(sym).orElse(null).value());
        assertEquals(42L, new KernelMemory(s).u64(vm.plus(8)).orElse(0L));
    }

    @Test
    void registersGiveTheRootAndThePagingDepth() {
        SyntheticImage img = new SyntheticImage(8 << 20, true, 0, BTF);
        KernelVirtAddr vm = img.vmalloc(4096);
        img.w64(vm, 99);
        // CR3 with PCID bits and the no-flush bit set; CR4 with LA57
        PagingRegisters regs = new PagingRegisters(img.rootTablePhys() | 0x5 | (1L << 63), PagingRegisters.CR4_LA57);
        AddressSpace s = discover(img, Optional.of(regs));
        assertTrue(s.la57());
        assertEquals(99L, new KernelMemory(s).u64(vm).orElse(0L));
    }

    @Test
    void aPtiUserCr3FallsBackToTheKernelPgdAndABadCr3ToInitMm() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        KernelVirtAddr vm = img.vmalloc(4096);
        img.w64(vm, 7);
        long root = img.rootTablePhys();
        assertEquals(0, root & 0x1000, "the test needs a kernel PGD with bit 12 clear");
        AddressSpace pti = discover(img, Optional.of(new PagingRegisters(root | 0x1000, 0)));
        assertEquals(String.format("CR3 0x%x", root), pti.rootSource());
        assertEquals(7L, new KernelMemory(pti).u64(vm).orElse(0L));

        long junk = img.physAlloc(4096, 4096); // an all-zero page: nothing mapped
        AddressSpace fallback = discover(img, Optional.of(new PagingRegisters(junk, 0)));
        assertEquals("init_mm.pgd", fallback.rootSource());
        assertEquals(7L, new KernelMemory(fallback).u64(vm).orElse(0L));
    }

    @Test
    void failuresAreReasons() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        KernelMemory mem = new KernelMemory(discover(img, Optional.empty()));
        assertReason(mem.u64(KernelVirtAddr.of(0x1000)), "not a kernel address");
        assertReason(mem.u64(KernelVirtAddr.of(0xffff_c900_1234_5000L)), "not mapped");
        assertReason(mem.u64(KernelVirtAddr.of(0x8000_0000_0000_0000L)), "not a canonical");
        assertReason(mem.u64(KernelVirtAddr.of(SyntheticImage.POB_4LEVEL + (64L << 20))), "outside guest RAM");
        assertReason(mem.bytes(KernelVirtAddr.of(SyntheticImage.POB_4LEVEL), -1), "outside");
        assertReason(mem.cString(KernelVirtAddr.NULL, 10), "NULL");
    }

    @Test
    void cStringsAreBoundedAndEndAtTheirNul() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        KernelVirtAddr s = img.vmalloc(8192);
        img.wstr(s.plus(4090), "crosses a page");
        KernelMemory mem = new KernelMemory(discover(img, Optional.empty()));
        assertEquals("crosses a page", mem.cString(s.plus(4090), 100).orElse(null));
        assertEquals("cross…", mem.cString(s.plus(4090), 5).orElse(null));
    }

    @Test
    void absurdPageOffsetBaseAndMissingSymbolsAreReasons() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        img.w64(KernelVirtAddr.of(img.symbols().get("page_offset_base")), 0x1234);
        Read<AddressSpace> s = AddressSpace.discover(img.memory(), img.symbols(), Read.ok(16L), Optional.empty());
        assertReason(s, "page_offset_base");
        Map<String, Long> none = new HashMap<>(img.symbols());
        none.remove("page_offset_base");
        assertReason(AddressSpace.discover(img.memory(), none, Read.ok(16L), Optional.empty()), "page_offset_base");
    }

    @Test
    void mappedPagesAreCountedSkippingEmptyTables() {
        SyntheticImage img = SyntheticImage.fourLevel(BTF);
        long base = 0xffff_d000_0000_0000L;
        img.map(base, img.physAlloc(4096, 4096), 1);
        img.map(base + 0x1000, img.physAlloc(4096, 4096), 1);
        img.map(base + (3L << 30) + 0x5000, img.physAlloc(4096, 4096), 1);
        AddressSpace s = discover(img, Optional.empty());
        AddressSpace.PageCount c = s.countMappedPages(KernelVirtAddr.of(base), 4L << 30, 1 << 16).orElse(null);
        assertEquals(3, c.pages());
        assertFalse(c.truncated());
        assertTrue(s.countMappedPages(KernelVirtAddr.of(base), 4L << 30, 3).orElse(null).truncated());
    }

    static void assertReason(Read<?> r, String fragment) {
        assertFalse(r.isOk(), "expected a failure containing '" + fragment + "'");
        assertTrue(r.reasonOrNull().contains(fragment), r.reasonOrNull());
    }

    interface Body<T> {
        T run() throws Read.Fault;
    }

    static <T> T assertOk(Body<T> b) {
        try {
            return b.run();
        } catch (Read.Fault f) {
            throw new AssertionError(f.getMessage());
        }
    }
}
