package dev.freezeframe.app.ui.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Watch completion offers data symbols, prefix matches first, and ignores what follows the symbol. */
class SymbolCompletionTest {
    private static SymbolCompletion completion() {
        String kallsyms = """
                ffffffff81f3a1c0 T schedule
                ffffffff83d5d020 D total_forks
                ffffffff83d5d028 d total_forks_limit
                ffffffff83e4b000 D jiffies_64
                ffffffff83e4c000 b nr_total_tasks
                0000000000032b40 D runqueues
                ffffffff83e4d000 T total_forks_fn
                """;
        return SymbolCompletion.of(new KernelSymbolTable.Builder().addKallsymsText(kallsyms).build());
    }

    @Test
    void prefixMatchesComeFirstThenSubstringsAndFunctionsAreNotOffered() {
        SymbolCompletion c = completion();
        assertEquals(4, c.size(), "data symbols at kernel addresses only (no function, no per-CPU runqueues)");
        assertEquals(List.of("total_forks", "total_forks_limit", "nr_total_tasks"), c.complete("total", 10));
        assertEquals(List.of("total_forks"), c.complete("total", 1));
        assertEquals(List.of("jiffies_64"), c.complete("JIFF", 10), "case does not matter");
        assertEquals(List.of("total_forks", "total_forks_limit"), c.complete("total_f+0x8:4", 10),
                "offset and size are not part of the name");
        assertEquals(List.of(), c.complete("  ", 10));
    }
}
