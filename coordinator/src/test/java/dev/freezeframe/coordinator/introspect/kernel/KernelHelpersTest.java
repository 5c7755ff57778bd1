package dev.freezeframe.coordinator.introspect.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers.IdrEntry;
import dev.freezeframe.coordinator.introspect.kernel.KernelHelpers.XaEntry;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.SyntheticImage;
import dev.freezeframe.coordinator.introspect.testing.SyntheticVmlinux;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** xa_for_each / idr_for_each / bpf_map_for_each / list_for_each_entry over hand-built kernel structures. */
class KernelHelpersTest {
    static final Btf BTF = SyntheticVmlinux.build();

    SyntheticImage img = SyntheticImage.fourLevel(BTF);

    static long ptr(int i) {
        return SyntheticImage.POB_4LEVEL + 0x10_0000 + 64L * i;
    }

    private KernelVirtAddr xarray(Map<Long, Long> entries) {
        KernelVirtAddr xa = img.symbol("xa" + System.nanoTime(), img.size("struct xarray"), 8);
        img.xaStore(xa, entries);
        return xa;
    }

    @Test
    void emptyAndSingleEntryXarrays() {
        KernelVirtAddr empty = xarray(Map.of());
        KernelVirtAddr single = xarray(Map.of(0L, ptr(1)));
        KernelView k = Views.require(img, BTF);
        Walk<XaEntry> none = KernelHelpers.xa_for_each(k, empty, WalkBudget.DEFAULT);
        assertTrue(none.complete());
        assertEquals(List.of(), none.items());
        assertEquals(List.of(new XaEntry(0, ptr(1))), KernelHelpers.xa_for_each(k, single, WalkBudget.DEFAULT).items());
    }

    @Test
    void multiLevelXarrayYieldsEveryEntryInIndexOrder() {
        Map<Long, Long> entries = new TreeMap<>();
        long[] indices = {0, 1, 2, 63, 64, 70, 4095, 4096, 300_000, 1L << 24};
        for (int i = 0; i < indices.length; i++) {
            entries.put(indices[i], ptr(i));
        }
        KernelVirtAddr xa = xarray(entries);
        Walk<XaEntry> w = KernelHelpers.xa_for_each(Views.require(img, BTF), xa, WalkBudget.DEFAULT);
        assertNull(w.unavailable());
        assertEquals(entries.entrySet().stream().map(e -> new XaEntry(e.getKey(), e.getValue())).toList(), w.items());
    }

    @Test
    void siblingRetryAndZeroEntriesAreSkippedAndValueEntriesKept() {
        Map<Long, Long> entries = new TreeMap<>();
        entries.put(1L, ptr(1));
        entries.put(2L, (0L << 2) | 2); // sibling of slot 0
        entries.put(3L, KernelHelpers.XA_RETRY_ENTRY);
        entries.put(4L, KernelHelpers.XA_ZERO_ENTRY);
        entries.put(5L, (77L << 1) | 1); // xa_mk_value(77)
        entries.put(6L, ptr(6));
        Walk<XaEntry> w = KernelHelpers.xa_for_each(Views.require(img, BTF), xarray(entries), WalkBudget.DEFAULT);
        assertNull(w.unavailable());
        assertEquals(List.of(new XaEntry(1, ptr(1)), new XaEntry(5, (77L << 1) | 1), new XaEntry(6, ptr(6))),
                w.items());
        assertTrue(w.items().get(1).isValue());
    }

    @Test
    void corruptNodesEndTheWalkWithAReason() {
        Map<Long, Long> entries = new TreeMap<>();
        for (long i = 0; i < 200; i += 10) {
            entries.put(i, ptr((int) i));
        }
        KernelVirtAddr xa = xarray(entries);
        KernelView k = Views.require(img, BTF);
        long head = k.memory().u64(xa.plus(img.off("struct xarray", "xa_head"))).orElse(0L);
        KernelVirtAddr top = KernelVirtAddr.of(head - 2);
        long slots = img.off("struct xa_node", "slots");
        KernelVirtAddr child1 = KernelVirtAddr.of(k.memory().u64(top.plus(slots + 8)).orElse(0L) - 2);

        // a child that points back at the top node: a cycle, caught by the shift/parent checks
        img.w64(child1.plus(slots + 8 * 5), head);
        Walk<XaEntry> w = KernelHelpers.xa_for_each(Views.require(img, BTF), xa, WalkBudget.DEFAULT);
        assertTrue(w.unavailable().contains("leaf node points to a node"), w.unavailable());
        assertEquals(7, w.items().size(), "entries before the corruption are kept: " + w.items());

        // the top node's slot 2 points at child 1 again: a node reached twice
        img.w64(child1.plus(slots + 8 * 5), 0);
        img.w64(top.plus(slots + 16), child1.value() + 2);
        w = KernelHelpers.xa_for_each(Views.require(img, BTF), xa, WalkBudget.DEFAULT);
        assertTrue(w.unavailable().contains("reached twice"), w.unavailable());

        // a wrong shift
        img.w64(top.plus(slots + 16), 0);
        img.w8(child1.plus(img.off("struct xa_node", "shift")), 12);
        w = KernelHelpers.xa_for_each(Views.require(img, BTF), xa, WalkBudget.DEFAULT);
        assertTrue(w.unavailable().contains("shift 12 under a parent of shift 6"), w.unavailable());

        // a node pointer into unmapped memory
        img.w8(child1.plus(img.off("struct xa_node", "shift")), 0);
        img.w64(top.plus(slots + 16), 0xffff_c900_dead_0000L + 2);
        w = KernelHelpers.xa_for_each(Views.require(img, BTF), xa, WalkBudget.DEFAULT);
        assertTrue(w.unavailable().contains("not mapped"), w.unavailable());
    }

    @Test
    void budgetsTruncate() {
        Map<Long, Long> entries = new TreeMap<>();
        for (long i = 0; i < 200; i++) {
            entries.put(i, ptr((int) i));
        }
        KernelVirtAddr xa = xarray(entries);
        KernelView k = Views.require(img, BTF);
        Walk<XaEntry> few = KernelHelpers.xa_for_each(k, xa, new WalkBudget(100, 5));
        assertTrue(few.truncated());
        assertNull(few.unavailable());
        assertEquals(5, few.items().size());
        Walk<XaEntry> oneNode = KernelHelpers.xa_for_each(k, xa, new WalkBudget(2, 1000));
        assertTrue(oneNode.truncated());
        assertEquals(64, oneNode.items().size(), "the first leaf's 64 entries");
    }

    @Test
    void idrIdsAreTheBasePlusTheIndex() {
        Map<Long, Long> byId = new LinkedHashMap<>();
        byId.put(1L, ptr(1));
        byId.put(2L, ptr(2));
        byId.put(100L, ptr(100));
        KernelVirtAddr idr = img.idr("some_idr", 1, byId);
        Walk<IdrEntry> w = KernelHelpers.idr_for_each(Views.require(img, BTF), idr, WalkBudget.DEFAULT);
        assertTrue(w.complete());
        assertEquals(List.of(new IdrEntry(1, KernelVirtAddr.of(ptr(1))), new IdrEntry(2, KernelVirtAddr.of(ptr(2))),
                new IdrEntry(100, KernelVirtAddr.of(ptr(100)))), w.items());
    }

    @Test
    void bpfMapForEachListsMapIdrAndRejectsNonPointers() {
        SchedulerFixture f = new SchedulerFixture();
        KernelView k = Views.require(f.img, f.vmlinux);
        Walk<IdrEntry> maps = KernelHelpers.bpf_map_for_each(k, WalkBudget.DEFAULT);
        assertTrue(maps.complete(), maps::unavailable);
        assertEquals(List.copyOf(f.maps.values()), maps.items().stream().map(IdrEntry::pointer).toList());
        assertEquals(List.of(1L, 2L, 3L, 73L, 74L), maps.items().stream().limit(5).map(IdrEntry::id).toList());

        KernelVirtAddr bogus = img.idr("map_idr", 0, Map.of(1L, ptr(1), 2L, 0x1234L));
        SyntheticImage other = img;
        Walk<IdrEntry> bad = KernelHelpers.bpf_map_for_each(Views.require(other, BTF), WalkBudget.DEFAULT);
        assertTrue(bad.unavailable().contains("not a struct bpf_map pointer"), bad.unavailable());
        assertEquals(1, bad.items().size());
        assertFalse(bogus.isNull());
    }

    @Test
    void listForEachEntryWalksAndDetectsLoops() {
        SchedulerFixture f = new SchedulerFixture();
        KernelView k = Views.require(f.img, f.vmlinux);
        Walk<KernelVirtAddr> w = KernelHelpers.list_for_each_entry(k, f.listHead, "struct mm_struct", "pgd",
                WalkBudget.DEFAULT);
        assertTrue(w.complete(), w::unavailable);
        assertEquals(3, w.items().size());
        // make the last link point at the second entry: a loop that never returns to the head
        KernelVirtAddr second = w.items().get(1).plus(f.img.off("struct mm_struct", "pgd"));
        f.img.w64(w.items().get(2).plus(f.img.off("struct mm_struct", "pgd")), second.value());
        Walk<KernelVirtAddr> loop = KernelHelpers.list_for_each_entry(Views.require(f.img, f.vmlinux), f.listHead,
                "struct mm_struct", "pgd", WalkBudget.DEFAULT);
        assertTrue(loop.unavailable().contains("loops back"), loop.unavailable());
    }
}
