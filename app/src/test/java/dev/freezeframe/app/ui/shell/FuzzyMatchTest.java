package dev.freezeframe.app.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The palette's matcher: letters in order, word starts and runs rank higher. */
class FuzzyMatchTest {
    @Test
    void lettersMustAppearInOrder() {
        assertTrue(FuzzyMatch.score("frz", "Freeze guest") > 0);
        assertEquals(-1, FuzzyMatch.score("zrf", "Freeze guest"));
        assertEquals(0, FuzzyMatch.score("  ", "anything"), "an empty query matches everything equally");
    }

    @Test
    void wordStartsAndPrefixesRankAboveScatteredLetters() {
        assertTrue(FuzzyMatch.score("fr", "Freeze guest") > FuzzyMatch.score("fr", "Reset layout for run"));
        assertTrue(FuzzyMatch.score("cap", "Capture a snapshot now") > FuzzyMatch.score("cap", "Close tab pane"));
        assertTrue(FuzzyMatch.score("drawer", "Toggle the drawer") > FuzzyMatch.score("drawer",
                "Go to the error snapshot, draw..."), "a whole word beats letters spread over a phrase");
    }
}
