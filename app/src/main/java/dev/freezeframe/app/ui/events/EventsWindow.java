package dev.freezeframe.app.ui.events;

import dev.freezeframe.app.ui.source.FxOnce;
import javafx.application.Platform;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.VirtualFlow;

/**
 * Moves the events table over the run's rows: which window of rows the table holds ({@link LazyEventList}), where it
 * is scrolled, and which row is selected, all in rows of the whole row set. The window moves on jumps and when the view
 * comes near its edge (keeping the rows on screen in place). Scrolling is by position, not by
 * {@code TableView.scrollTo}: VirtualFlow's scrollTo walks and caches a size for every row before the target; rows here
 * all have one height, so the position is exact. FX thread only.
 */
final class EventsWindow {
    /** Rows from a window edge at which the window moves. */
    private static final int EDGE = 2_000;

    private final TableView<EventRow> table;
    private final double rowHeight;
    private LazyEventList list;
    private boolean moving;
    private final FxOnce edgeCheckSoon = new FxOnce(this::checkEdges);

    EventsWindow(TableView<EventRow> table, double rowHeight) {
        this.table = table;
        this.rowHeight = rowHeight;
        // the skin's VirtualFlow is among the table's children only once the skin is installed
        table.skinProperty().addListener((o, was, skin) -> Platform.runLater(() -> {
            if (flow() != null) flow().positionProperty().addListener(x -> edgeCheckSoon.request());
        }));
    }

    /** Shows the rows of {@code pages} from the first. */
    void show(EventPages pages) {
        if (list != null) list.detach();
        list = new LazyEventList(pages, 0);
        programmatic(() -> table.setItems(list));
    }

    LazyEventList list() {
        return list;
    }

    /** Whether the table's selection is being changed by this class (not by the user). */
    boolean moving() {
        return moving;
    }

    private int total() {
        return list.total();
    }

    /** The selected row of the row set, or -1. */
    int selectedRow() {
        int local = table.getSelectionModel().getSelectedIndex();
        return local < 0 || list == null ? -1 : list.offset() + local;
    }

    /** Row {@code local} of the table as a row of the row set. */
    int rowOf(int local) {
        return list.offset() + local;
    }

    /** The row set grew by rows at its end; with {@code follow}, the last row comes into view. */
    void grew(boolean follow) {
        int last = total() - 1;
        if (follow && !list.holds(last)) rebase(last);
        else list.grew();
        // after the table has taken the new row count in (scrolling first would clamp to the old end)
        if (follow && last >= 0) Platform.runLater(() -> showRow(total() - 1 - list.offset()));
    }

    /** Selects row {@code row} of the row set (the window moves to it); -1 clears the selection. */
    void select(int row) {
        programmatic(() -> {
            if (row < 0) {
                table.getSelectionModel().clearSelection();
                table.scrollTo(0);
                return;
            }
            if (!list.holds(row) || row - list.offset() < EDGE && list.offset() > 0
                    || list.offset() + list.size() - row < EDGE && list.offset() + list.size() < total()) {
                rebase(row);
            }
            int local = row - list.offset();
            table.getSelectionModel().clearAndSelect(local);
            table.getFocusModel().focus(local);
            showRow(local);
        });
    }

    /** Selects the last row as the user would (the view publishes it). */
    void selectLast() {
        int last = total() - 1;
        if (last < 0) return;
        list.pages().get(last); // asks for the last page now, while the table scrolls
        if (!list.holds(last)) rebase(last);
        int local = last - list.offset();
        showRow(local);
        table.getSelectionModel().clearAndSelect(local);
        table.getFocusModel().focus(local);
    }

    /** Moves the window so that row {@code row} (of the row set) is well inside it; the selection stays. */
    private void rebase(int row) {
        int offset = Math.max(0, Math.min(row - LazyEventList.WINDOW / 2, total() - LazyEventList.WINDOW));
        if (offset == list.offset() && list.holds(row)) return;
        int selected = selectedRow();
        programmatic(() -> {
            list.setOffset(offset);
            if (selected >= 0 && list.holds(selected)) {
                table.getSelectionModel().clearAndSelect(selected - offset);
                table.getFocusModel().focus(selected - offset);
            }
        });
    }

    private void programmatic(Runnable change) {
        boolean was = moving;
        moving = true;
        try {
            change.run();
        } finally {
            moving = was;
        }
    }


    /** Near the window's first or last row with more rows beyond it: moves the window, keeping the top row in place. */
    private void checkEdges() {
        VirtualFlow<?> flow = flow();
        if (list == null || flow == null || flow.getHeight() <= 0) return;
        // the top row from the position (rows have one height), which is ahead of the laid-out cells
        int n = list.size();
        int fit = fit(flow);
        int topLocal = n <= fit ? 0 : (int) Math.round(flow.getPosition() * (n - fit));
        boolean nearTop = topLocal < EDGE && list.offset() > 0;
        boolean nearEnd = topLocal + fit > n - EDGE && list.offset() + n < total();
        if (!nearTop && !nearEnd) return;
        int top = list.offset() + topLocal;
        rebase(top);
        showAtTop(top - list.offset());
    }

    /** Scrolls window row {@code local} on screen, near the top (the last row at the bottom). */
    private void showRow(int local) {
        if (isVisible(local)) return;
        showAtTop(Math.max(0, local - 3));
    }

    private void showAtTop(int local) {
        VirtualFlow<?> flow = flow();
        if (flow == null || flow.getHeight() <= 0) {
            table.scrollTo(local);
            return;
        }
        int n = list.size();
        int fit = fit(flow);
        int top = Math.max(0, Math.min(local, n - fit));
        flow.setPosition(n <= fit ? 0 : Math.min(1, top / (double) (n - fit)));
    }

    private boolean isVisible(int local) {
        VirtualFlow<?> flow = flow();
        if (flow == null) return false;
        var first = flow.getFirstVisibleCell();
        var last = flow.getLastVisibleCell();
        return first != null && last != null && local >= first.getIndex() && local <= last.getIndex();
    }

    /** Rows that fit whole in the view. */
    private int fit(VirtualFlow<?> flow) {
        return Math.max(1, (int) Math.floor((flow.getHeight() - 1) / rowHeight));
    }

    private VirtualFlow<?> flow() {
        return table.lookup(".virtual-flow") instanceof VirtualFlow<?> f ? f : null;
    }
}
