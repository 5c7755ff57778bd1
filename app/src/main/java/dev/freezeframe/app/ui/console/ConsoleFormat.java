package dev.freezeframe.app.ui.console;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.fxmisc.richtext.model.ReadOnlyStyledDocument;
import org.fxmisc.richtext.model.ReadOnlyStyledDocumentBuilder;
import org.fxmisc.richtext.model.SegmentOps;
import org.fxmisc.richtext.model.StyledSegment;
import org.fxmisc.richtext.model.TextOps;

/**
 * How a console line reads: {@code +12.401 sched  text}, one paragraph per event of the console lanes, styled by what
 * the engine recorded. The guest's serial console (kernel and guest agent) is the CONSOLE lane, kind {@code line}; the
 * scheduler's output is the SCHEDULER lane: {@code stdout}, {@code stderr}, {@code kernel_log} (sched_ext messages from
 * the kernel log), and {@code error} / {@code exit} when the scheduler exits.
 */
final class ConsoleFormat {
    /** The lanes the console shows. */
    static final Set<Lane> LANES = EnumSet.of(Lane.CONSOLE, Lane.SCHEDULER);

    static final List<String> TIME = List.of("console-time");
    static final List<String> TAG = List.of("console-tag");
    static final List<String> PLAIN = List.of();
    static final List<String> STDERR = List.of("console-stderr");
    static final List<String> ERROR = List.of("console-error");
    static final List<String> EXIT = List.of("console-exit");
    static final List<String> BAND = List.of("console-band");

    private static final TextOps<String, Collection<String>> OPS = SegmentOps.styledTextOps();

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

    static List<String> textStyle(RunEvent e) {
        if (e.lane() != Lane.SCHEDULER) return PLAIN;
        return switch (e.kind()) {
            case "stderr" -> STDERR;
            case "error" -> ERROR;
            case "exit" -> EXIT;
            default -> PLAIN;
        };
    }

    /** A line's text on one paragraph (a stray line break would shift every paragraph after it). */
    static String text(RunEvent e) {
        String t = e.text();
        return t.indexOf('\n') < 0 && t.indexOf('\r') < 0 ? t : t.replace('\r', ' ').replace('\n', ' ');
    }

    /** The whole paragraph's text, as {@link #document} lays it out. */
    static String paragraph(RunEvent e) {
        return time(e.atNanos()) + tag(e) + text(e);
    }

    /**
     * The lines as a document of paragraphs, with an empty paragraph first ({@code leading}: to append after the last
     * line) or last ({@code trailing}: to insert before the first line).
     */
    static ReadOnlyStyledDocument<Collection<String>, String, Collection<String>> document(List<RunEvent> lines,
                                                                                        boolean leading,
                                                                                        boolean trailing) {
        ReadOnlyStyledDocumentBuilder<Collection<String>, String, Collection<String>> b =
                new ReadOnlyStyledDocumentBuilder<>(OPS, PLAIN, lines.size() + 2);
        if (leading) b.addParagraph("", PLAIN);
        for (RunEvent e : lines) {
            String text = text(e);
            b.addParagraph(text.isEmpty()
                    ? List.of(new StyledSegment<>(time(e.atNanos()), TIME), new StyledSegment<>(tag(e), TAG))
                    : List.of(new StyledSegment<>(time(e.atNanos()), TIME), new StyledSegment<>(tag(e), TAG),
                            new StyledSegment<>(text, textStyle(e))));
        }
        if (trailing) b.addParagraph("", PLAIN);
        return b.build();
    }
}
