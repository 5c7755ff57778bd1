package dev.freezeframe.app.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TimeQueryTest {
    private static final long CURSOR = 5_000_000_000L;

    @Test
    void absoluteTimesReadAsTheWorkbenchWritesThem() {
        assertEquals(12_500_000_000L, TimeQuery.parse("12.5", CURSOR));
        assertEquals(12_480_000_000L, TimeQuery.parse("+12.480 s", CURSOR));
        assertEquals(450_000_000L, TimeQuery.parse("450ms", CURSOR));
        assertEquals(120_000_000_000L, TimeQuery.parse("2m", CURSOR));
        assertEquals(7_000L, TimeQuery.parse("7 µs", CURSOR));
        assertEquals(500_000_000L, TimeQuery.parse(".5", CURSOR));
    }

    @Test
    void cursorRelativeTimesMoveFromTheCursorAndStopAtTheStart() {
        assertEquals(5_200_000_000L, TimeQuery.parse("c+200ms", CURSOR));
        assertEquals(3_500_000_000L, TimeQuery.parse("C-1.5s", CURSOR));
        assertEquals(0, TimeQuery.parse("c-1m", CURSOR));
    }

    @Test
    void textThatIsNotATimeSaysWhatToType() {
        var p = assertThrows(TimeQuery.Problem.class, () -> TimeQuery.parse("soon", CURSOR));
        assertTrue(p.getMessage().startsWith("'soon' is not a time"), p.getMessage());
        assertThrows(TimeQuery.Problem.class, () -> TimeQuery.parse("", CURSOR));
        assertThrows(TimeQuery.Problem.class, () -> TimeQuery.parse("12 parsecs", CURSOR));
        var negative = assertThrows(TimeQuery.Problem.class, () -> TimeQuery.parse("-3s", CURSOR));
        assertTrue(negative.getMessage().contains("c-1s"), negative.getMessage());
        assertThrows(TimeQuery.Problem.class, () -> TimeQuery.parse("99999999999999999999", CURSOR));
    }
}
