package dev.freezeframe.coordinator.introspect.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class KernelSymbolTableTest {
    private static final String KALLSYMS = """
            ffffffff81000000 T _text
            ffffffff81001000 T do_one_initcall
            ffffffff81001000 t __pfx_alias
            ffffffff81001080 t helper
            ffffffff83e4afd0 B scx_root
            ffffffff83e4afd8 b helper
            ffffffff83e4b000 B total_forks
            ffffffff83e4b008 B _end
            ffffffffc0001000 t tx_poll\t[virtio_net]
            garbage line
            """;

    @Test
    void chunksOnLineBoundariesBuildOneTableAndBadLinesAreCounted() {
        int cut = KALLSYMS.indexOf('\n', 100) + 1;
        KernelSymbolTable.Builder builder = new KernelSymbolTable.Builder()
                .addKallsymsText(KALLSYMS.substring(0, cut))
                .addKallsymsText(KALLSYMS.substring(cut));
        assertEquals(1, builder.rejectedLines());
        assertEquals(9, builder.build().size());
    }

    @Test
    void resolvePrefersTheKernelImagesGlobalSymbol() {
        KernelSymbolTable table = new KernelSymbolTable.Builder().addKallsymsText(KALLSYMS).build();
        assertEquals(0xffffffff83e4b000L, table.resolve("total_forks").orElseThrow().address());
        assertEquals(2, table.lookup("helper").size());
        assertEquals('t', table.resolve("helper").orElseThrow().type(), "no global: the first local one");
        assertEquals("virtio_net", table.resolve("tx_poll").orElseThrow().module());
        assertEquals(Optional.empty(), table.resolve("no_such_symbol"));
    }

    @Test
    void addressesAreNamedAsFunctionPlusOffsetOverSize() {
        KernelSymbolTable table = new KernelSymbolTable.Builder().addKallsymsText(KALLSYMS).build();
        assertEquals(Optional.of("do_one_initcall+0x1f/0x80"), table.symbolize(0xffffffff8100101fL));
        assertEquals(Optional.of("helper+0x0/0x2e49f50"), table.symbolize(0xffffffff81001080L));
        assertEquals(Optional.of("scx_root+0x4/0x8"), table.symbolize(0xffffffff83e4afd4L));
        assertEquals(Optional.empty(), table.symbolize(0xffffffff80000000L), "before the first symbol");
        assertEquals(Optional.empty(), table.symbolize(0xffffffffc0002000L), "past the last symbol");
    }

    @Test
    void aSymbolExtendsToTheNextSymbolAtAHigherAddress() {
        KernelSymbolTable table = new KernelSymbolTable.Builder().addKallsymsText(KALLSYMS).build();
        assertEquals(OptionalLong.of(8), table.extent(table.resolve("scx_root").orElseThrow()));
        assertEquals(OptionalLong.of(0x80), table.extent(table.resolve("do_one_initcall").orElseThrow()),
                "an alias at the same address does not end it");
        assertEquals(OptionalLong.of(8), table.extent(table.resolve("total_forks").orElseThrow()));
        assertEquals(OptionalLong.empty(), table.extent(table.resolve("tx_poll").orElseThrow()), "the last symbol");
    }

    @Test
    void searchFindsNamesContainingTheText() {
        KernelSymbolTable table = new KernelSymbolTable.Builder().addKallsymsText(KALLSYMS).build();
        assertEquals(List.of("scx_root"), table.search("SCX", 10).stream().map(KernelSymbolTable.Symbol::name).toList());
        assertEquals(1, table.search("_", 1).size());
    }

    @Test
    void theWalkersViewMapsNamesToTheResolvedAddress() {
        KernelSymbols symbols = new KernelSymbolTable.Builder().addKallsymsText(KALLSYMS).build().asKernelSymbols();
        assertEquals(0xffffffff83e4afd0L, symbols.asMap().get("scx_root"));
        assertTrue(symbols.symbolFor(0xffffffff83e4b000L).isPresent());
    }
}
