package dev.freezeframe.app.ui.console;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.EnumSet;
import java.util.Set;

/**
 * How a console line reads: {@code +12.401 sched  text}, one paragraph per event of the console lanes, styled by what
 * the engine recorded. The guest's serial console (kernel and guest agent) is the CONSOLE lane, kind {@code line}; the
 * scheduler's output is the SCHEDULER lane: {@code stdout}, {@code stderr}, {@code kernel_log} (sched_ext messages from
 * the kernel log), and {@code error} / {@code exit} when the scheduler exits.
 */
final class ConsoleFormat {
    /** The lanes the console shows. */
    static final Set<Lane> LANES = EnumSet.of(Lane.CONSOLE, Lane.SCHEDULER);

    /** How a line's text is coloured (the gutter time and tag have their own colours). */
    enum Style { PLAIN, STDERR, ERROR, EXIT }

    /** Columns before a line's text: the time ({@link #time}) and the tag ({@link #tag}), nine each. */
    static final int PREFIX_CHARS = 18;

    private ConsoleFormat() {
    }

    /** Run time as the gutter shows it, right-aligned: {@code "  +12.401"}. */
    static String time(long ns) {
        long ms = Math.max(0, ns) / 1_000_000;
        long frac = ms % 1000;
        // by hand: String.format was most of the cost of laying out a page of lines
        String t = "+" + ms / 1000 + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
        return t.length() >= 9 ? t : "         ".substring(t.length()) + t;
    }

    /** The stream tag, padded to one width. */
    static String tag(RunEvent e) {
        return e.lane() == Lane.SCHEDULER ? " sched   " : " console ";
    }

    static Style style(RunEvent e) {
        if (e.lane() != Lane.SCHEDULER) return Style.PLAIN;
        return switch (e.kind()) {
            case "stderr" -> Style.STDERR;
            case "error" -> Style.ERROR;
            case "exit" -> Style.EXIT;
            default -> Style.PLAIN;
        };
    }

    /** A line's text on one paragraph (a stray line break would shift every paragraph after it). */
    static String text(RunEvent e) {
        String t = e.text();
        return t.indexOf('\n') < 0 && t.indexOf('\r') < 0 ? t : t.replace('\r', ' ').replace('\n', ' ');
    }

    /** The whole row's text: time, tag and text. */
    static String paragraph(RunEvent e) {
        return time(e.atNanos()) + tag(e) + text(e);
    }
}
