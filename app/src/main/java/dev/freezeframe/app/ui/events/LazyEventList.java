package dev.freezeframe.app.ui.events;

import javafx.collections.ObservableListBase;

/**
 * What the table holds: a window of at most {@link #WINDOW} rows of the row set, starting at row {@link #offset()}.
 * JavaFX's VirtualFlow walks every row before the shown one on each layout (sizes, offsets), so a table of 10 M rows
 * spends most of a frame near its end; the view moves the window instead (re-basing it when the user nears an edge or
 * jumps). Rows come from the shared {@link EventPages}; an arriving page is announced as updated rows so the table
 * redraws them. FX thread only.
 */
final class LazyEventList extends ObservableListBase<EventRow> {
    static final int WINDOW = 100_000;

    private static final EventRow GONE = new EventRow(-1, null);

    private final EventPages pages;
    private int offset;
    private int size;
    private final EventPages.Listener listener = this::changed;

    LazyEventList(EventPages pages, int offset) {
        this.pages = pages;
        this.offset = offset;
        this.size = windowSize();
        pages.addListener(listener);
    }

    private int windowSize() {
        return Math.max(0, Math.min(WINDOW, pages.size() - offset));
    }

    int offset() {
        return offset;
    }

    EventPages pages() {
        return pages;
    }

    /** Rows of the whole row set (the window holds at most {@link #WINDOW} of them). */
    int total() {
        return pages.size();
    }

    /** Whether row {@code row} of the row set is in the window. */
    boolean holds(int row) {
        return row >= offset && row < offset + size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public EventRow get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index + " of " + size);
        return pages.get(offset + index);
    }

    // rows are found by their index; a search through the rows would load all of them
    @Override
    public int indexOf(Object o) {
        return o instanceof EventRow r && holds(r.index()) && pages.peek(r.index()) == r ? r.index() - offset : -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        return indexOf(o);
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /** Shows the window starting at row {@code newOffset} instead (announced as all rows replaced). */
    void setOffset(int newOffset) {
        int before = size;
        offset = newOffset;
        size = windowSize();
        beginChange();
        nextReplace(0, size, java.util.Collections.nCopies(before, GONE));
        endChange();
    }

    /** Takes in rows a live run added at the end of the row set, as far as the window reaches. */
    void grew() {
        int before = size;
        size = windowSize();
        if (size <= before) return;
        beginChange();
        nextAdd(before, size);
        endChange();
    }

    private void changed(int from, int to) {
        int a = Math.max(from, offset) - offset;
        int b = Math.min(to, offset + size) - offset;
        if (a >= b) return;
        beginChange();
        for (int i = a; i < b; i++) nextUpdate(i);
        endChange();
    }

    /** Stops listening to the pages (the table shows another window). */
    void detach() {
        pages.removeListener(listener);
    }
}
