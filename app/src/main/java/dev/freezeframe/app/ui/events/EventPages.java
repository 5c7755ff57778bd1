package dev.freezeframe.app.ui.events;

import dev.freezeframe.coordinator.model.RunEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The rows of a {@link RowSet} without holding them: a cache of 64 pages of 512 rows; a row not loaded yet is a
 * placeholder and asks for its page. Pages load one at a time, newest request first (a fast scroll loads where the user
 * stopped, not everything passed on the way). Rows are numbered from the first of the whole row set; the table shows a
 * window of them ({@link LazyEventList}). A live run's rows are added with {@link #grow}. FX thread only.
 */
final class EventPages {
    static final int PAGE = 512;
    static final int CACHED_PAGES = 64;
    /** Pages asked for but not loading yet that are still worth loading (the rest were scrolled past). */
    private static final int WANTED_PAGES = 8;

    /** Loads rows {@code [from, to)} of a row set in the background; answers on the FX thread (events or an error). */
    interface PageLoader {
        void load(RowSet rows, int from, int to, BiConsumer<List<RunEvent>, String> answer);
    }

    /** Told which rows changed: {@code [from, to)} arrived or became placeholders again. */
    interface Listener {
        void rowsChanged(int from, int to);
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
    private final List<Listener> listeners = new ArrayList<>();
    private int loading = -1;
    private boolean disposed;
    private String failure = "";

    EventPages(RowSet rows, PageLoader loader) {
        this.rows = rows;
        this.loader = loader;
    }

    RowSet rows() {
        return rows;
    }

    int size() {
        return rows.size();
    }

    void addListener(Listener l) {
        listeners.add(l);
    }

    void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** The last loading failure as a sentence, empty when none. */
    String failure() {
        return failure;
    }

    /** Row {@code index}: its event when loaded, else a placeholder (and its page is asked for). */
    EventRow get(int index) {
        int page = index / PAGE;
        EventRow[] rowsOfPage = pages.get(page);
        if (rowsOfPage == null) {
            rowsOfPage = new EventRow[PAGE];
            for (int i = 0; i < PAGE; i++) rowsOfPage[i] = new EventRow(page * PAGE + i, null);
            pages.put(page, rowsOfPage);
            want(page);
        }
        return rowsOfPage[index - page * PAGE];
    }

    /** The row if its page is in the cache, without asking for it. */
    EventRow peek(int index) {
        EventRow[] rowsOfPage = pages.get(index / PAGE);
        return rowsOfPage == null ? null : rowsOfPage[index % PAGE];
    }

    /** A live run recorded more: the rows are now {@code bigger} (the same rows first, more at the end). */
    void grow(RowSet bigger) {
        int before = size();
        rows = bigger;
        if (bigger.size() <= before || before % PAGE == 0) return;
        // the last page was cut at the old end; it loads again with its new rows
        int lastPage = (before - 1) / PAGE;
        if (pages.remove(lastPage) != null) {
            wanted.remove(lastPage);
            fire(lastPage * PAGE, before);
        }
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
        fire(from, shown);
    }

    private void fire(int from, int to) {
        for (Listener l : List.copyOf(listeners)) l.rowsChanged(from, to);
    }

    /** Stops loading (the table shows other rows now). */
    void dispose() {
        disposed = true;
        wanted.clear();
        listeners.clear();
    }
}
