package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.RunEvent;
import java.util.List;

/**
 * A run of consecutive events (in seq order) of some lanes, e.g. a console window.
 *
 * @param events  the events, in seq order
 * @param anchor  index in {@code events} of the event the page was asked around, or -1 when there is none (asked past the
 *                last event: the page is the tail)
 * @param atStart no events of these lanes come before the page
 * @param atEnd   no stored events of these lanes come after the page
 */
public record EventPage(List<RunEvent> events, int anchor, boolean atStart, boolean atEnd) {
    public EventPage {
        events = List.copyOf(events);
    }
}
