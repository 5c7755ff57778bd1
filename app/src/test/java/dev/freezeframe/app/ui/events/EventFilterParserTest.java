package dev.freezeframe.app.ui.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.persistence.EventFilter;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventFilterParserTest {
    private static EventFilter valid(String text) {
        return assertInstanceOf(EventFilterParser.Valid.class, EventFilterParser.parse(text)).filter();
    }

    private static EventFilterParser.Invalid invalid(String text) {
        return assertInstanceOf(EventFilterParser.Invalid.class, EventFilterParser.parse(text));
    }

    @Test
    void lanesKindsAndWords() {
        assertEquals(EventFilter.ALL, valid("   "));
        assertEquals(new EventFilter(Set.of(Lane.WATCHPOINTS), Set.of("hit"), ""), valid("lane:watchpoints kind:hit"));
        assertEquals(new EventFilter(Set.of(Lane.CONSOLE, Lane.SCHEDULER), Set.of(), "task stall"),
                valid("lane:Console  lane:scheduler task stall"));
        assertEquals(new EventFilter(Set.of(), Set.of("stderr", "error"), "runnable task stall"),
                valid("kind:stderr \"runnable task\" kind:error text~\"stall\""));
        assertEquals(new EventFilter(Set.of(), Set.of(), "overflow"), valid("text:overflow"));
    }

    @Test
    void mistakesSayWhatAndWhere() {
        EventFilterParser.Invalid lane = invalid("lane:(");
        assertEquals(5, lane.offset());
        assertTrue(lane.message().startsWith("There is no lane '('; lanes are lifecycle, steps, console"),
                lane.message());
        assertEquals(9, invalid("kind:hit lane:").offset());
        assertEquals(0, invalid("slot:1").offset());
        assertEquals("Unknown filter field 'slot'; use lane:, kind: or words of the text.", invalid("slot:1").message());
        assertEquals(4, invalid("hit \"open").offset());
        assertEquals("A quote is not closed.", invalid("hit \"open").message());
        assertEquals(0, invalid("(lane:console)").offset());
        assertEquals(5, invalid("kind:h(t").offset());
    }
}
