package dev.freezeframe.app.ui.console;

import dev.freezeframe.coordinator.model.RunEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The slice of the run's console lines the console holds: never more than {@link #MAX_PARAGRAPHS} lines, drawn by a
 * {@link ConsoleCanvas} (row {@code i} shows {@code lines.get(i)}). Lines arrive in batches; the lines a batch pushes
 * out of the window are trimmed in the same step, and the canvas redraws once for the batch. FX thread only.
 */
final class ConsoleWindow implements ConsoleCanvas.Lines {
    static final int MAX_PARAGRAPHS = 10_000;

    private final List<RunEvent> lines = new ArrayList<>();
    private final ConsoleCanvas canvas = new ConsoleCanvas(this);
    /** No console line of the run comes before / after the window (after: as far as the archive knows). */
    private boolean atStart = true;
    private boolean atEnd = true;
    private long bandSeq = -1;
    private Runnable onChanged = () -> { };

    ConsoleWindow() {
        canvas.setId("consoleArea");
    }

    /** Told after every change of the lines held (not of the band). */
    void setOnChanged(Runnable action) {
        onChanged = action;
    }

    private void changed() {
        canvas.contentChanged();
        onChanged.run();
    }

    /** The node that draws the window. */
    ConsoleCanvas canvas() {
        return canvas;
    }

    @Override
    public RunEvent line(int i) {
        return lines.get(i);
    }

    @Override
    public int bandIndex() {
        return bandSeq < 0 ? -1 : indexOfSeq(bandSeq);
    }

    List<RunEvent> lines() {
        return Collections.unmodifiableList(lines);
    }

    @Override
    public int size() {
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
        lines.clear();
        lines.addAll(kept);
        atStart = pageAtStart && kept.size() == page.size();
        atEnd = pageAtEnd;
        changed();
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
        lines.subList(0, trim).clear();
        lines.addAll(more);
        if (trim > 0) atStart = false;
        atEnd = nowAtEnd;
        changed();
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
        lines.subList(lines.size() - trim, lines.size()).clear();
        lines.addAll(0, added);
        if (trim > 0) atEnd = false;
        atStart = nowAtStart && added.size() == earlier.size();
        changed();
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
        bandSeq = seq;
        canvas.selectionChanged();
    }

    long bandSeq() {
        return bandSeq;
    }

    /** Scrolls line {@code i} into the middle of the view unless it is visible already. */
    void reveal(int i) {
        if (i < 0 || i >= lines.size()) return;
        if (isVisible(i)) return;
        canvas.showAtCenter(i);
    }

    boolean isVisible(int i) {
        if (!canvas.hasView()) return false;
        return i >= canvas.firstVisible() && i <= canvas.lastVisible();
    }

    void showLast() {
        if (!lines.isEmpty()) canvas.showAtBottom(lines.size() - 1);
    }
}
