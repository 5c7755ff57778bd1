package dev.freezeframe.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Only the window's own arguments start the window system early; every headless command is left alone. */
class MainTest {
    @Test
    void theWindowIsNoSubcommandAndAtMostAnArchive() {
        assertTrue(Main.opensWindow(new String[0]));
        assertTrue(Main.opensWindow(new String[] {"--db", "run.db"}));
        assertTrue(Main.opensWindow(new String[] {"--db=run.db"}));
        assertFalse(Main.opensWindow(new String[] {"runs", "list"}));
        assertFalse(Main.opensWindow(new String[] {"--db", "run.db", "open", "3"}));
        assertFalse(Main.opensWindow(new String[] {"--version"}));
    }
}
