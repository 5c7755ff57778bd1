package dev.freezeframe.app.ui.events;

import dev.freezeframe.coordinator.model.RunEvent;

/**
 * Row {@code index} of the events table: its event once the page holding it is loaded, until then a placeholder.
 * Rows compare by identity, so the table redraws a row when its event arrives.
 */
public final class EventRow {
    private final int index;
    private final RunEvent event;

    EventRow(int index, RunEvent event) {
        this.index = index;
        this.event = event;
    }

    public int index() {
        return index;
    }

    /** The event, or null while it is being fetched. */
    public RunEvent event() {
        return event;
    }

    public boolean loaded() {
        return event != null;
    }
}
