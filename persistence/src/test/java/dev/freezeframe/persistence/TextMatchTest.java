package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextMatchTest {
    private static boolean matches(String query, String line) {
        return TextMatch.of(query).orElseThrow().matches(line);
    }

    @Test
    void everyWordMustStartAWordOfTheSameLineIgnoringCaseAndAccents() {
        assertTrue(matches("trigger err", "scx_bpf_error: scx_qmap.bpf.c:434: test triggering error"));
        assertTrue(matches("QMAP", "sched_ext: BPF scheduler \"qmap\" enabled"));
        assertTrue(matches("cafe", "Café ouvert"));
        assertTrue(matches("ÉTÉ", "ete 2026"));
        assertFalse(matches("rigger", "triggering"), "a word must start a word, not sit inside one");
        assertFalse(matches("dispatch stall", "dispatch ok"), "every word, in the same line");
        assertFalse(matches("anything", ""));
    }

    @Test
    void theIndexQueryAsksForEveryWordAsAPrefix() {
        assertEquals("\"trigger\"* AND \"err\"*", TextMatch.of("  Trigger, err!").orElseThrow().ftsQuery());
        assertTrue(TextMatch.of(" ,;- ").isEmpty(), "no words, no search");
    }
}
