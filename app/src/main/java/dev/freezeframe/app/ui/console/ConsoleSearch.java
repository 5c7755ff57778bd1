package dev.freezeframe.app.ui.console;

import dev.freezeframe.app.ui.source.ArchiveWorker;
import dev.freezeframe.coordinator.model.RunEvent;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The console's find: the archive's search over the console lanes (every word must start a word of the line), the
 * matches in seq order and which one is shown. Enter on a new query searches and goes to the first match at or after the
 * banded line; Enter / Shift+Enter on the same query step through the matches, wrapping. FX thread only.
 */
final class ConsoleSearch {
    static final int LIMIT = 100_000;

    private final ArchiveWorker worker;
    private final long runId;
    private final LongSupplier bandedSeq;
    private final Consumer<RunEvent> goTo;
    private final Consumer<String> onFailure;
    private final Consumer<List<RunEvent>> onMatches;
    private final ConsoleSearchBar bar;
    private String searched = "";
    private List<RunEvent> matches = List.of();
    private int current = -1;

    /**
     * @param bandedSeq the line the user is at (-1 for none), where a new search starts
     * @param goTo      shows a match (the view selects its line)
     * @param onMatches every search's matches (none when the query is cleared), e.g. for the minimap's ticks
     */
    ConsoleSearch(ArchiveWorker worker, long runId, LongSupplier bandedSeq, Consumer<RunEvent> goTo,
                  Consumer<String> onFailure, Runnable onClose, Consumer<List<RunEvent>> onMatches) {
        this.worker = worker;
        this.runId = runId;
        this.bandedSeq = bandedSeq;
        this.goTo = goTo;
        this.onFailure = onFailure;
        this.onMatches = onMatches;
        this.bar = new ConsoleSearchBar(this::search, onClose);
    }

    ConsoleSearchBar bar() {
        return bar;
    }

    int matchCount() {
        return matches.size();
    }

    int currentMatch() {
        return current;
    }

    private void search(String query, int direction) {
        String q = query.strip();
        if (q.isEmpty()) {
            searched = "";
            matches = List.of();
            bar.setCount("");
            onMatches.accept(matches);
            return;
        }
        if (q.equals(searched)) {
            if (!matches.isEmpty()) show(Math.floorMod(current + direction, matches.size()));
            return;
        }
        searched = q;
        bar.setCount("Searching…");
        worker.submit(a -> a.runs().search(runId, q, ConsoleFormat.LANES, LIMIT), found -> {
            if (!q.equals(searched)) return;
            matches = found;
            onMatches.accept(found);
            if (found.isEmpty()) {
                current = -1;
                bar.setCount("No matches");
                return;
            }
            // from the banded line, so Enter finds the next match below what the user is looking at
            long from = bandedSeq.getAsLong();
            int start = 0;
            if (from >= 0) {
                while (start < found.size() && found.get(start).seq() < from) start++;
                if (direction < 0) start--;
                start = Math.floorMod(start, found.size());
            }
            show(start);
        }, message -> {
            bar.setCount("");
            onFailure.accept(message);
        });
    }

    private void show(int i) {
        current = i;
        String more = matches.size() >= LIMIT ? "+" : "";
        bar.setCount((i + 1) + " of " + matches.size() + more);
        goTo.accept(matches.get(i));
    }
}
