package dev.freezeframe.snapshots.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SymbolCatalogTest {
    /** Shaped like the kit kernel's kallsyms, with its quirk of typing .data variables as T. */
    static final String KALLSYMS = """
            ffffffff81000000 T _text
            ffffffff81000000 T _stext
            ffffffff81100000 T copy_process
            ffffffff82000000 T _etext
            ffffffff82200000 D __start_rodata
            ffffffff82200000 R linux_banner
            ffffffff82400000 D __end_rodata
            ffffffff83a00000 T jiffies_64
            ffffffff83a00000 T jiffies
            ffffffff83a00010 B total_forks
            ffffffff83a00018 B nr_threads
            ffffffff83a00140 B _end
            0000000000012340 D runqueues
            0000000000012400 D cpu_number
            ffffffffc0001000 t helper_fn\t[kvm]
            ffffffffc0002000 d helper_state\t[kvm]
            """;

    private static SymbolCatalog catalog() {
        return new SymbolCatalog(new KernelSymbolTable.Builder().addKallsymsText(KALLSYMS).build(), "test", true);
    }

    private static int number(SymbolCatalog c, String name) {
        return c.find(name).orElseThrow();
    }

    @Test
    void kindsAreJudgedByAddressAsTheEngineJudgesThem() {
        SymbolCatalog c = catalog();
        assertEquals(SymbolKind.FUNCTION, c.kind(number(c, "copy_process")));
        assertEquals(SymbolKind.VARIABLE, c.kind(number(c, "jiffies_64")), "typed T, but in .data by address");
        assertEquals(SymbolKind.VARIABLE, c.kind(number(c, "total_forks")));
        assertEquals(SymbolKind.READ_ONLY, c.kind(number(c, "linux_banner")));
        assertEquals(SymbolKind.PER_CPU, c.kind(number(c, "runqueues")));
        assertEquals(SymbolKind.MODULE_FUNCTION, c.kind(number(c, "helper_fn")));
        assertEquals(SymbolKind.MODULE_VARIABLE, c.kind(number(c, "helper_state")));
        assertFalse(SymbolKind.FUNCTION.watchable());
        assertTrue(SymbolKind.PER_CPU.notWatchable().startsWith("a per-CPU variable"));
    }

    @Test
    void sizesRunToTheNextSymbolWithinTheSameSpace() {
        SymbolCatalog c = catalog();
        assertEquals(OptionalLong.of(8), c.sizeOf(number(c, "total_forks")));
        assertEquals(OptionalLong.of(16), c.sizeOf(number(c, "jiffies_64")), "past the alias at the same address");
        assertEquals(OptionalLong.of(0xc0), c.sizeOf(number(c, "runqueues")));
        assertEquals(OptionalLong.empty(), c.sizeOf(number(c, "cpu_number")), "the next symbol is a kernel address");
    }

    @Test
    void rowsCarryTheirRankAndTheFilterKeepsWatchableData() {
        SymbolCatalog c = catalog();
        SymbolIndex.Result r = c.index().search("total_forks");
        SymbolRow row = SymbolRow.of(c, r.symbols()[0], r.rankOf(0));
        assertEquals("total_forks", row.name());
        assertEquals("ffffffff83a00010", row.addressText());
        assertEquals("8", row.sizeText());
        assertEquals(SymbolIndex.Rank.EXACT, row.rank());
    }
}
