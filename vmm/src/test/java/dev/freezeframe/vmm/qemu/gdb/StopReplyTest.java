package dev.freezeframe.vmm.qemu.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.WatchKind;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StopReplyTest {

    @Test
    void interruptStopAsQemuSendsIt() {
        StopReply.Stopped s = assertInstanceOf(StopReply.Stopped.class, StopReply.parse("T02thread:01;"));
        assertEquals(StopReply.SIGINT, s.signal());
        assertEquals(OptionalInt.of(1), s.thread());
        assertEquals(Optional.empty(), s.watch());
    }

    @Test
    void watchpointStopsNameTheKindTheAddressAndTheThread() {
        StopReply.Stopped w = (StopReply.Stopped) StopReply.parse("T05thread:02;watch:ffffffff82a0b8c8;");
        assertEquals(StopReply.SIGTRAP, w.signal());
        assertEquals(OptionalInt.of(2), w.thread());
        assertEquals(Optional.of(new StopReply.WatchTrigger(WatchKind.WRITE, 0xffffffff82a0b8c8L)), w.watch());
        assertEquals(WatchKind.READ, ((StopReply.Stopped) StopReply.parse("T05thread:01;rwatch:46c;")).watch()
                .orElseThrow().kind());
        assertEquals(WatchKind.ACCESS, ((StopReply.Stopped) StopReply.parse("T05thread:01;awatch:46c;")).watch()
                .orElseThrow().kind());
        // multiprocess thread ids: the thread is after the dot
        assertEquals(OptionalInt.of(3), ((StopReply.Stopped) StopReply.parse("T05thread:p01.03;")).thread());
        // register values in a T reply are kept, not misread
        StopReply.Stopped regs = (StopReply.Stopped) StopReply.parse("T0506:0000000000000000;07:a0ff;thread:01;");
        assertEquals("a0ff", regs.info().get("07"));
    }

    @Test
    void exitsAndPlainSignals() {
        assertEquals(new StopReply.Exited(0), StopReply.parse("W00"));
        assertEquals(new StopReply.Terminated(9), StopReply.parse("X09"));
        assertEquals(StopReply.SIGTRAP, ((StopReply.Stopped) StopReply.parse("S05")).signal());
    }

    @Test
    void malformedStopRepliesAreTypedErrors() {
        assertFalse(StopReply.looksLikeStopReply("OK"));
        assertFalse(StopReply.looksLikeStopReply("E22"));
        assertTrue(StopReply.looksLikeStopReply("T05"));
        for (String bad : new String[] {"", "OK", "T5", "Tzz", "T05thread;", "T05:1;", "T05thread:;", "T05thread:0;",
                "T05thread:pzz;", "T05watch:xyz;", "S05trailing", "T05thread:p01;"}) {
            assertThrows(GdbProtocolException.class, () -> StopReply.parse(bad), bad);
        }
    }
}
