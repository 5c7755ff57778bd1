package dev.freezeframe.app.ui.console;

import dev.freezeframe.coordinator.model.RunEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.fxmisc.richtext.MultiChangeBuilder;
import org.fxmisc.richtext.model.ReadOnlyStyledDocument;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.util.UndoUtils;

/**
 * The slice of the run's console lines the text area holds: never more than {@link #MAX_PARAGRAPHS} paragraphs, one per
 * line, paragraph {@code i} showing {@code lines.get(i)}. Lines arrive in batches; each batch is one change of the area
 * (RichTextFX slows to a crawl on per-line appends and on documents that only grow), the lines it pushes out of the
 * window trimmed in the same change. FX thread only.
 */
final class ConsoleWindow {
    static final int MAX_PARAGRAPHS = 10_000;

    private final StyleClassedTextArea area = new StyleClassedTextArea(false);
    private final List<RunEvent> lines = new ArrayList<>();
    /** No console line of the run comes before / after the window (after: as far as the archive knows). */
    private boolean atStart = true;
    private boolean atEnd = true;
    private long bandSeq = -1;

    ConsoleWindow() {
        area.setId("consoleArea");
        area.getStyleClass().add("console-area");
        area.setEditable(false);
        area.setWrapText(false);
        area.setUndoManager(UndoUtils.noOpUndoManager());
    }

    StyleClassedTextArea area() {
        return area;
    }

    List<RunEvent> lines() {
        return Collections.unmodifiableList(lines);
    }

    int size() {
        return lines.size();
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    boolean atStart() {
        return atStart;
    }

    boolean atEnd() {
        return atEnd;
    }

    RunEvent first() {
        return lines.getFirst();
    }

    RunEvent last() {
        return lines.getLast();
    }

    /** Shows {@code page} instead of whatever the window held (a jump). At most the last MAX_PARAGRAPHS lines. */
    void replace(List<RunEvent> page, boolean pageAtStart, boolean pageAtEnd) {
        List<RunEvent> kept = page.size() > MAX_PARAGRAPHS ? page.subList(page.size() - MAX_PARAGRAPHS, page.size())
                : page;
        replace(kept, kept.isEmpty() ? null : ConsoleFormat.document(kept, false, false), pageAtStart
                && kept.size() == page.size(), pageAtEnd);
    }

    /**
     * Shows {@code kept} (at most MAX_PARAGRAPHS lines) from a document already built for them — built off the FX
     * thread, so a live tail's jump costs the FX thread only the swap.
     */
    void replace(List<RunEvent> kept, ReadOnlyStyledDocument<Collection<String>, String, Collection<String>> document,
                 boolean pageAtStart, boolean pageAtEnd) {
        if (kept.isEmpty()) area.deleteText(0, area.getLength());
        else area.replace(0, area.getLength(), document);
        lines.clear();
        lines.addAll(kept);
        atStart = pageAtStart;
        atEnd = pageAtEnd;
        reapplyBand();
    }

    /** Appends lines after the last one, trimming as many from the head as needed; returns how many were trimmed. */
    int append(List<RunEvent> more, boolean nowAtEnd) {
        if (more.isEmpty()) {
            atEnd = nowAtEnd;
            return 0;
        }
        if (lines.isEmpty() || more.size() >= MAX_PARAGRAPHS) {
            int dropped = lines.size();
            replace(more, atStart && lines.isEmpty(), nowAtEnd);
            return dropped;
        }
        int trim = Math.max(0, lines.size() + more.size() - MAX_PARAGRAPHS);
        MultiChangeBuilder<Collection<String>, String, Collection<String>> change = area.createMultiChange(2);
        // the insertion at the end first: it moves no position of the deletion at the head
        change.insert(area.getLength(), ConsoleFormat.document(more, true, false));
        if (trim > 0) change.deleteText(0, area.getAbsolutePosition(trim, 0));
        change.commit();
        lines.subList(0, trim).clear();
        lines.addAll(more);
        if (trim > 0) atStart = false;
        atEnd = nowAtEnd;
        return trim;
    }

    /** Inserts lines before the first one, trimming as many from the tail as needed; returns how many were added. */
    int prepend(List<RunEvent> earlier, boolean nowAtStart) {
        if (earlier.isEmpty()) {
            atStart = nowAtStart;
            return 0;
        }
        if (lines.isEmpty()) {
            replace(earlier, nowAtStart, atEnd);
            return earlier.size();
        }
        List<RunEvent> added = earlier.size() > MAX_PARAGRAPHS / 2
                ? earlier.subList(earlier.size() - MAX_PARAGRAPHS / 2, earlier.size()) : earlier;
        int trim = Math.max(0, lines.size() + added.size() - MAX_PARAGRAPHS);
        MultiChangeBuilder<Collection<String>, String, Collection<String>> change = area.createMultiChange(2);
        // the deletion at the tail first: it moves no position of the insertion at the head
        if (trim > 0) change.deleteText(area.getAbsolutePosition(lines.size() - trim, 0) - 1, area.getLength());
        change.insert(0, ConsoleFormat.document(added, false, true));
        change.commit();
        lines.subList(lines.size() - trim, lines.size()).clear();
        lines.addAll(0, added);
        if (trim > 0) atEnd = false;
        atStart = nowAtStart && added.size() == earlier.size();
        return added.size();
    }

    /** The paragraph of the line with {@code seq}, or -1 when it is not in the window. */
    int indexOfSeq(long seq) {
        int lo = 0;
        int hi = lines.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = lines.get(mid).seq();
            if (s < seq) lo = mid + 1;
            else if (s > seq) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    /** The last line at or before {@code ns} in the window (the first line when all come later); -1 when empty. */
    int indexAtOrBefore(long ns) {
        int found = lines.isEmpty() ? -1 : 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).atNanos() <= ns) found = i;
            else if (i > found + 64) break; // times rise with seq, but a few late lines may sit out of order
        }
        return found;
    }

    /** Whether the window shows the lines around {@code ns}, so a jump there needs no paging. */
    boolean covers(long ns) {
        if (lines.isEmpty()) return false;
        return (atStart || first().atNanos() <= ns) && (atEnd || last().atNanos() >= ns);
    }

    /** Bands the line with {@code seq} (the selected line); -1 for none. */
    void band(long seq) {
        if (seq == bandSeq) return;
        int old = indexOfSeq(bandSeq);
        if (old >= 0) area.setParagraphStyle(old, ConsoleFormat.PLAIN);
        bandSeq = seq;
        reapplyBand();
    }

    long bandSeq() {
        return bandSeq;
    }

    private void reapplyBand() {
        int at = indexOfSeq(bandSeq);
        if (at >= 0) area.setParagraphStyle(at, ConsoleFormat.BAND);
    }

    /** Scrolls paragraph {@code i} into the middle of the view unless it is visible already. */
    void reveal(int i) {
        if (i < 0 || i >= lines.size()) return;
        if (isVisible(i)) return;
        area.showParagraphAtCenter(i);
    }

    boolean isVisible(int i) {
        if (area.getVisibleParagraphs().isEmpty()) return false;
        return i >= area.firstVisibleParToAllParIndex() && i <= area.lastVisibleParToAllParIndex();
    }

    void showLast() {
        if (!lines.isEmpty()) area.showParagraphAtBottom(lines.size() - 1);
    }
}
