package dev.freezeframe.coordinator.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.vmm.WatchKind;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class WatchSpecTest {

    @Test
    void aBareSymbolIsAWriteWatchOfTheDefaultSize() {
        WatchSpec spec = WatchSpec.parse("total_forks");
        assertEquals("total_forks", spec.symbol());
        assertEquals(0, spec.offset());
        assertFalse(spec.hasOffset());
        assertEquals(OptionalInt.empty(), spec.size());
        assertEquals(WatchKind.WRITE, spec.kind());
        assertEquals("total_forks", spec.label());
    }

    @Test
    void offsetsAreHexWithPrefixOrDecimalAndShowInTheLabel() {
        assertEquals(0x5c0, WatchSpec.parse("init_task+0x5c0").offset());
        assertEquals(0x5c0, WatchSpec.parse("init_task+0X5C0").offset());
        assertEquals(16, WatchSpec.parse("init_task+16").offset());
        assertEquals("init_task+0x10", WatchSpec.parse("init_task+16").label());
        WatchSpec zero = WatchSpec.parse("jiffies_64+0");
        assertTrue(zero.hasOffset());
        assertEquals("jiffies_64+0x0", zero.label(), "an offset the user wrote stays in the label");
    }

    @Test
    void sizeAndKindFollowColonsInEitherOrder() {
        WatchSpec a = WatchSpec.parse("jiffies_64+0x4:4:read");
        WatchSpec b = WatchSpec.parse(" jiffies_64+0x4 : access : 4 ");
        assertEquals(OptionalInt.of(4), a.size());
        assertEquals(WatchKind.READ, a.kind());
        assertEquals(OptionalInt.of(4), b.size());
        assertEquals(WatchKind.ACCESS, b.kind());
        assertEquals(OptionalInt.of(1), WatchSpec.parse("x:1").size());
        assertEquals(WatchKind.WRITE, WatchSpec.parse("x:8:WRITE").kind());
        assertEquals("jiffies_64+0x4:4:read", a.text(), "text() reads back");
        assertEquals(a, WatchSpec.parse(a.text()));
    }

    @Test
    void kernelNamesWithDotsAndDollarsParse() {
        assertEquals("foo.llvm.123", WatchSpec.parse("foo.llvm.123").symbol());
        assertEquals("__per_cpu_start", WatchSpec.parse("__per_cpu_start").symbol());
    }

    @Test
    void malformedSpecsAreRefusedWithWhatIsWrongAndTheSyntax() {
        assertRefused("total_forks:3", "1, 2, 4 or 8 bytes, not 3");
        assertRefused("total_forks:16", "not 16");
        assertRefused("total_forks:4:8", "size twice");
        assertRefused("total_forks:read:write", "kind twice");
        assertRefused("total_forks:rw", "'rw' is neither a size");
        assertRefused("total_forks+", "offset '' is not a number");
        assertRefused("total_forks+0xzz", "offset '0xzz' is not a number");
        assertRefused("total_forks+-4", "is not a number");
        assertRefused("total_forks+0x80000000", "beyond 0x40000000");
        assertRefused("+0x10", "symbol is missing");
        assertRefused("9lives", "not a kernel symbol name");
        assertRefused("", "empty");
        assertRefused("total_forks:", "empty field");
        CoordinatorException e = assertThrows(CoordinatorException.class, () -> WatchSpec.parse("a:3"));
        assertTrue(e.getMessage().contains(WatchSpec.SYNTAX), e.getMessage());
    }

    private static void assertRefused(String text, String part) {
        CoordinatorException e = assertThrows(CoordinatorException.class, () -> WatchSpec.parse(text), text);
        assertTrue(e.getMessage().contains(part), text + " → " + e.getMessage());
    }

    @Test
    void addressesAndLabelsParseAndWriteBack() {
        WatchSpec a = WatchSpec.parse("0xFFFFC90000A01008:8@scx_qmap.bss:nr_enqueued");
        assertTrue(a.byAddress());
        assertEquals(0xffffc90000a01008L, a.address().getAsLong());
        assertEquals("scx_qmap.bss:nr_enqueued", a.label());
        assertEquals("0xffffc90000a01008:8@scx_qmap.bss:nr_enqueued", a.text());
        assertEquals(a, WatchSpec.parse(a.text()));
        assertEquals("forks", WatchSpec.parse("total_forks:read@forks").label());
        assertEquals("total_forks:read@forks", WatchSpec.parse("total_forks:read@forks").text());
        assertEquals(a, WatchSpec.ofAddress(0xffffc90000a01008L, 8, dev.freezeframe.vmm.WatchKind.WRITE,
                "scx_qmap.bss:nr_enqueued"));
        assertTrue(assertThrows(CoordinatorException.class, () -> WatchSpec.parse("total_forks@"))
                .getMessage().contains("the label after '@' is empty"));
        assertTrue(assertThrows(CoordinatorException.class, () -> WatchSpec.parse("total_forks@a\"b"))
                .getMessage().contains("must be at most 120 letters, digits or"));
    }
}
