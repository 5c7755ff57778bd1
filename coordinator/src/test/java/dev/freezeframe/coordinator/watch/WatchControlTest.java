package dev.freezeframe.coordinator.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.CoordinatorException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchControlTest {
    private final WatchFixture f = new WatchFixture();

    @Test
    void parsesTheFourCommandsAndSkipsBlankLinesAndComments() {
        assertEquals(Optional.of(new WatchControl.Command.Watch(WatchSpec.parse("total_forks+0x8:4"))),
                WatchControl.parse("  watch   total_forks+0x8:4 "));
        assertEquals(Optional.of(new WatchControl.Command.Unwatch("2")), WatchControl.parse("unwatch 2"));
        assertEquals(Optional.of(new WatchControl.Command.Unwatch("jiffies_64")),
                WatchControl.parse("UNWATCH jiffies_64"));
        assertEquals(Optional.of(new WatchControl.Command.Watches()), WatchControl.parse("watches"));
        assertEquals(Optional.of(new WatchControl.Command.Help()), WatchControl.parse("help"));
        assertEquals(Optional.empty(), WatchControl.parse("   "));
        assertEquals(Optional.empty(), WatchControl.parse("# arm the hot one later"));
    }

    @Test
    void malformedLinesAreRefusedWithTheUsage() {
        assertTrue(assertThrows(CoordinatorException.class, () -> WatchControl.parse("wach total_forks")).getMessage()
                .contains("Unknown command 'wach'; the commands are: watch SYMBOL[+OFF][:SIZE][:KIND]"));
        assertTrue(assertThrows(CoordinatorException.class, () -> WatchControl.parse("watch")).getMessage()
                .contains("'watch' takes one argument"));
        assertTrue(assertThrows(CoordinatorException.class, () -> WatchControl.parse("unwatch 1 2")).getMessage()
                .contains("'unwatch' takes one argument: unwatch SLOT|SYMBOL"));
        assertTrue(assertThrows(CoordinatorException.class, () -> WatchControl.parse("watches all")).getMessage()
                .contains("'watches' takes no argument"));
        assertTrue(assertThrows(CoordinatorException.class, () -> WatchControl.parse("watch x:3")).getMessage()
                .contains("not 3"));
    }

    @Test
    void everyLineGetsOneLineOfAnswerAndRefusalsAreAnswersNotErrors() {
        WatchSlots slots = f.slots();
        assertEquals("armed slot 1: total_forks (write, 8 bytes at 0xffffffff83a00010)",
                WatchControl.reply("watch total_forks", slots));
        assertTrue(WatchControl.reply("watch total_forks+1", slots).startsWith("refused: Cannot watch 4 bytes at "
                + "total_forks+0x1"));
        assertTrue(WatchControl.reply("watch no_such_symbol_xyz", slots).startsWith("refused: no_such_symbol_xyz is "
                + "not in the guest kernel's symbol table"));
        assertTrue(WatchControl.reply("watches", slots).startsWith("watches: 0: reserved for the scheduler-error "
                + "trigger"));
        assertEquals("disarmed slot 1: total_forks after 0 hits (0 with a snapshot)",
                WatchControl.reply("unwatch total_forks", slots));
        assertTrue(WatchControl.reply("unwatch 1", slots).startsWith("refused: Slot 1 is free"));
        assertTrue(WatchControl.reply("bogus", slots).startsWith("error: Unknown command 'bogus'"));
        assertEquals(WatchControl.help(), WatchControl.reply("help", slots));
        assertNull(WatchControl.reply("", slots));
        for (String line : new String[] {"watch total_forks", "watches", "unwatch 9", "help"}) {
            assertTrue(!WatchControl.reply(line, slots).contains("\n"), "one line: " + line);
        }
    }
}
