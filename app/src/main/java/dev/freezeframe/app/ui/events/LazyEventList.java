package dev.freezeframe.app.ui.events;

import dev.freezeframe.coordinator.model.RunEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javafx.collections.ObservableListBase;

/**
 * The events table's rows without holding them: {@link #size} is the row count, {@link #get} answers from a cache of
 * 64 pages of 512 rows and, for a row not loaded yet, returns a placeholder and asks for its page. Pages load one at
 * a time, newest request first (a fast scroll loads where the user stopped, not everything passed on the way); an
 * arriving page is announced as updated rows so the table redraws them. A live run's rows are added at the end with
 * {@link #grow}. FX thread only.
 */
final class LazyEventList extends ObservableListBase<EventRow> {
    static final int PAGE = 512;
    static final int CACHED_PAGES = 64;
    /** Pages asked for but not loading yet that are still worth loading (the rest were scrolled past). */
    private static final int WANTED_PAGES = 8;

    /** Loads rows {@code [from, to)} of a row set in the background; answers on the FX thread. */
    interface PageLoader {
        void load(RowSet rows, int from, int to, BiConsumer<List<RunEvent>, String> answer);
    }

    private final PageLoader loader;
    private RowSet rows;
    private final Map<Integer, EventRow[]> pages = new LinkedHashMap<>(CACHED_PAGES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, EventRow[]> eldest) {
            return size() > CACHED_PAGES;
        }
    };
    private final Deque<Integer> wanted = new ArrayDeque<>();
    private int loading = -1;
    private Runnable onPageLoaded = () -> { };
    private String failure = "";
    private boolean disposed;

    LazyEventList(RowSet rows, PageLoader loader) {
        this.rows = rows;
        this.loader = loader;
    }

    RowSet rows() {
        return rows;
    }

    /** Called after each page arrives (the view re-publishes a selection waiting for its row). */
    void setOnPageLoaded(Runnable action) {
        onPageLoaded = action;
    }

    /** The last loading failure as a sentence, empty when none. */
    String failure() {
        return failure;
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public EventRow get(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException(index + " of " + size());
        int page = index / PAGE;
        EventRow[] rowsOfPage = pages.get(page);
        if (rowsOfPage == null) {
            rowsOfPage = placeholders(page);
            pages.put(page, rowsOfPage);
            want(page);
        }
        return rowsOfPage[index - page * PAGE];
    }

    /** The row if its page is loaded, without asking for it. */
    EventRow peek(int index) {
        EventRow[] rowsOfPage = pages.get(index / PAGE);
        return rowsOfPage == null ? null : rowsOfPage[index % PAGE];
    }

    // rows are found by their index; a search through millions of rows would load all of them
    @Override
    public int indexOf(Object o) {
        return o instanceof EventRow r && r.index() < size() && peek(r.index()) == r ? r.index() : -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        return indexOf(o);
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /** A live run recorded more: the rows are now {@code bigger} (the same rows first, more at the end). */
    void grow(RowSet bigger) {
        int before = size();
        rows = bigger;
        if (bigger.size() <= before) return;
        // the last page was cut at the old end; it reloads with its new rows
        int lastPage = before == 0 ? -1 : (before - 1) / PAGE;
        boolean cut = before % PAGE != 0 && pages.remove(lastPage) != null;
        if (cut) wanted.remove(lastPage);
        beginChange();
        if (cut) {
            for (int i = lastPage * PAGE; i < before; i++) nextUpdate(i);
        }
        nextAdd(before, bigger.size());
        endChange();
    }

    private EventRow[] placeholders(int page) {
        EventRow[] r = new EventRow[PAGE];
        for (int i = 0; i < PAGE; i++) r[i] = new EventRow(page * PAGE + i, null);
        return r;
    }

    private void want(int page) {
        wanted.remove(page);
        wanted.push(page);
        while (wanted.size() > WANTED_PAGES) pages.remove(wanted.removeLast()); // asked for again when shown again
        loadNext();
    }

    private void loadNext() {
        if (disposed || loading >= 0 || wanted.isEmpty()) return;
        int page = wanted.pop();
        loading = page;
        int from = page * PAGE;
        int to = Math.min(size(), from + PAGE);
        loader.load(rows, from, to, (events, error) -> {
            loading = -1;
            if (error != null) {
                failure = error;
                pages.remove(page);
            } else {
                arrived(page, from, to, events);
            }
            loadNext();
        });
    }

    private void arrived(int page, int from, int to, List<RunEvent> events) {
        failure = "";
        EventRow[] current = pages.get(page);
        if (current == null) return; // dropped from the cache meanwhile
        EventRow[] loaded = current.clone();
        for (int i = 0; i < events.size() && i < PAGE; i++) loaded[i] = new EventRow(from + i, events.get(i));
        int shown = Math.min(size(), from + PAGE);
        if (to < shown) pages.remove(page); // rows were added meanwhile: the page loads again in full when shown
        else pages.put(page, loaded);
        beginChange();
        for (int i = from; i < shown; i++) nextUpdate(i);
        endChange();
        onPageLoaded.run();
    }

    /** Stops loading (the table shows another list now). */
    void dispose() {
        disposed = true;
        wanted.clear();
    }
}
