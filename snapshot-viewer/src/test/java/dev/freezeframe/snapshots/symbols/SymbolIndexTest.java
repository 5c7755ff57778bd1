package dev.freezeframe.snapshots.symbols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SymbolIndexTest {
    private static final String[] NAMES = {
        "total_forks_limit", "copy_process", "nr_total_forks", "total_forks", "sysctl_total_forks", "Total_Forks_X",
        "jiffies_64", "jiffies", "__pfx_jiffies", "xtotal_forksy", "schedule", "runqueues", "total_f"};

    private static List<String> names(SymbolIndex.Result r) {
        return Arrays.stream(r.symbols()).mapToObj(i -> NAMES[i]).toList();
    }

    @Test
    void ranksExactThenPrefixThenWordStartThenSubstringShorterFirst() {
        SymbolIndex index = SymbolIndex.build(NAMES);
        SymbolIndex.Result r = index.search("total_forks");
        assertEquals(List.of("total_forks", "Total_Forks_X", "total_forks_limit", "nr_total_forks",
                "sysctl_total_forks", "xtotal_forksy"), names(r));
        assertArrayEquals(new int[] {1, 2, 2, 1}, r.counts());
        assertEquals(SymbolIndex.Rank.EXACT, r.rankOf(0));
        assertEquals(SymbolIndex.Rank.WORD_START, r.rankOf(3));
        assertEquals(SymbolIndex.Rank.SUBSTRING, r.rankOf(5));
    }

    @Test
    void aTypedPrefixPutsTheSymbolFirstAndCaseDoesNotMatter() {
        SymbolIndex index = SymbolIndex.build(NAMES);
        assertEquals("total_f", names(index.search("total_f")).getFirst(), "exact beats the prefix matches");
        assertEquals(List.of("total_forks", "Total_Forks_X", "total_forks_limit"),
                names(index.search("TOTAL_FORK")).subList(0, 3));
        assertEquals(List.of("jiffies", "jiffies_64", "__pfx_jiffies"), names(index.search("jif")));
    }

    @Test
    void shortQueriesAndTheFilterWork() {
        SymbolIndex index = SymbolIndex.build(NAMES);
        assertEquals(List.of("runqueues"), names(index.search("ru")));
        List<String> filtered = names(index.search("forks", i -> !NAMES[i].startsWith("total")));
        assertEquals(List.of("Total_Forks_X", "xtotal_forksy", "nr_total_forks", "sysctl_total_forks"), filtered,
                "all four start a word: shorter first");
        assertEquals(NAMES.length, index.search("  ").size(), "a blank query lists every symbol");
        assertEquals(0, index.search("no_such_thing").size());
    }

    /** The index must find exactly what a scan finds, in the documented order, on names it was not written for. */
    @Test
    void agreesWithANaiveScanOnRandomNames() {
        Random random = new Random(7);
        String alphabet = "abcdefgh_.0";
        String[] names = new String[3000];
        for (int i = 0; i < names.length; i++) {
            StringBuilder b = new StringBuilder();
            int len = 1 + random.nextInt(14);
            for (int k = 0; k < len; k++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            names[i] = b.toString();
        }
        SymbolIndex index = SymbolIndex.build(names);
        for (String q : List.of("a", "ab", "abc", "a_b", "h.", "_", "cde0", "hhh", "x")) {
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < names.length; i++) if (names[i].contains(q)) expected.add(i);
            expected.sort(Comparator.<Integer, SymbolIndex.Rank>comparing(i -> SymbolIndex.rank(names[i], q,
                    names[i].indexOf(q))).thenComparing(i -> names[i].length()).thenComparing(i -> names[i]
                    .toLowerCase(Locale.ROOT)).thenComparing(i -> i));
            assertEquals(expected, Arrays.stream(index.search(q).symbols()).boxed().toList(), q);
        }
    }
}
