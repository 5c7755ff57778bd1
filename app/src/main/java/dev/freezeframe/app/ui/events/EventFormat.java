package dev.freezeframe.app.ui.events;

import dev.freezeframe.coordinator.model.RunEvent;

/** How the events table writes an event's time, text and value. */
final class EventFormat {
    private EventFormat() {
    }

    /** Run time in seconds to the microsecond: {@code +12.401234}. */
    static String time(long ns) {
        long us = Math.max(0, ns) / 1_000;
        String frac = Long.toString(us % 1_000_000 + 1_000_000); // zero-padded to 6 digits after the leading 1
        return "+" + us / 1_000_000 + "." + frac.substring(1);
    }

    /** The text on one line. */
    static String text(RunEvent e) {
        String t = e.text();
        return t.indexOf('\n') < 0 ? t : t.replace('\n', ' ');
    }

    /** The numeric value: whole numbers without decimals, empty when the event has none. */
    static String value(RunEvent e) {
        Double v = e.value();
        if (v == null) return "";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format("%,d", v.longValue());
        return String.format("%,.3f", v);
    }
}
