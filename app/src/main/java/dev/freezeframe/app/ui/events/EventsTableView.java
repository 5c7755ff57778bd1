package dev.freezeframe.app.ui.events;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.source.ArchiveWorker;
import dev.freezeframe.app.ui.source.ContextPosition;
import dev.freezeframe.app.ui.source.FxOnce;
import dev.freezeframe.app.ui.source.RunEventSource;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.EventFilter;
import dev.freezeframe.persistence.EventQueries;
import dev.freezeframe.persistence.EventRefs;
import dev.freezeframe.timeline.PaintTurns;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimelineSelection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javafx.animation.AnimationTimer;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;

/**
 * The run tab's Events drawer: every event of the run (or those the filter matches) in a table that holds only the
 * pages on screen ({@link LazyEventList}), so a 10 M-event run opens like a 10-row one. A live run's rows grow as the
 * archive commits them. Bound to the tab's {@link RunContext}: selecting a row selects its event (the cursor moves to its
 * time); a selection elsewhere selects its row, or the last row at or before the cursor. Ctrl+End goes to the last row.
 */
public final class EventsTableView extends BorderPane implements AutoCloseable {
    static final double ROW_HEIGHT = 22;

    private final RunContext context;
    private final RunEventSource source;
    private final ArchiveWorker worker;
    private final TableView<EventRow> table = new TableView<>();
    private final EventFilterBar filterBar = new EventFilterBar(this::applyFilter);
    private final Label placeholder = new Label();
    private final AnimationTimer pulse;

    private final EventsWindow window = new EventsWindow(table, ROW_HEIGHT);
    private EventPages pages;
    private EventFilter filter = EventFilter.ALL;
    /** Numbers requests that replace the rows or move the selection; stale answers are dropped. */
    private long rowsGeneration;
    private long syncGeneration;
    /** Events in the run (all rows), as last counted. */
    private int allSize = -1;
    /** Live, filtered: the seq up to which the run was searched for matches. */
    private long scannedUpTo = -1;
    /** How often a live run's table takes in new rows. */
    static final long LIVE_INTERVAL_NS = 100_000_000L;
    private boolean growing;
    private long lastGrowthNs;
    private boolean followRows;
    /** A selected row (of the whole row set) whose event is still loading; published to the context on arrival. */
    private int pendingPublish = -1;
    private ContextPosition lastSynced;
    private final FxOnce syncSoon = new FxOnce(this::sync);

    public EventsTableView(RunContext context, RunEventSource source) {
        this.context = Objects.requireNonNull(context, "context");
        this.source = Objects.requireNonNull(source, "source");
        this.worker = new ArchiveWorker(source.archive(), "events-run-" + source.runId());
        setId("events");

        setTop(filterBar);

        table.setId("eventsTable");
        table.setFixedCellSize(ROW_HEIGHT);
        table.getStyleClass().addAll(Styles.DENSE, Styles.STRIPED);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_LAST_COLUMN);
        table.getColumns().add(column("time", 110, true, e -> EventFormat.time(e.atNanos())));
        table.getColumns().add(column("lane", 90, false, e -> e.lane().wireName()));
        table.getColumns().add(column("kind", 110, false, RunEvent::kind));
        table.getColumns().add(column("text", 520, false, EventFormat::text));
        table.getColumns().add(column("value", 90, true, EventFormat::value));
        placeholder.setWrapText(true);
        placeholder.getStyleClass().add(Styles.TEXT_MUTED);
        table.setPlaceholder(placeholder);
        setCenter(table);

        table.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> onRowSelected(now.intValue()));
        table.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        table.addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() > 0) followRows = false;
        });
        context.selectionProperty().addListener(o -> syncSoon.request());
        context.cursorProperty().addListener(o -> syncSoon.request());

        pulse = new AnimationTimer() {
            @Override
            public void handle(long now) {
                pollGrowth();
            }
        };
        sceneProperty().addListener((o, was, scene) -> {
            if (scene == null || !source.live()) pulse.stop(); // only a live run grows
            else pulse.start();
        });
        show(new RowSet.All(0));
        openAll();
    }

    private TableColumn<EventRow, String> column(String title, double width, boolean right,
                                                  Function<RunEvent, String> text) {
        TableColumn<EventRow, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setReorderable(false);
        if (right) c.setStyle("-fx-alignment: CENTER-RIGHT;");
        boolean first = title.equals("time");
        c.setCellValueFactory(cell -> {
            RunEvent e = cell.getValue().event();
            return new ReadOnlyStringWrapper(e != null ? text.apply(e) : first ? "…" : "");
        });
        return c;
    }

    // ---- rows ----

    /** Counts the run's events and shows them all (row i is seq i). */
    private void openAll() {
        long mine = ++rowsGeneration;
        placeholder.setText("Loading the run's events…");
        worker.submit(a -> {
            EventQueries q = a.events();
            long n = q.count(source.runId());
            long last = q.lastSeq(source.runId());
            // seqs run from 0 without gaps in a recorded run; anything else is shown through refs
            return n == last + 1 ? (RowSet) new RowSet.All(Math.toIntExact(n))
                    : new RowSet.Matches(q.matching(source.runId(), EventFilter.ALL, -1));
        }, rows -> {
            if (mine != rowsGeneration) return;
            if (rows instanceof RowSet.All all) {
                int live = source.live() ? (int) Math.min(Integer.MAX_VALUE, source.committedSeq().getAsLong() + 1) : 0;
                rows = new RowSet.All(Math.max(all.size(), live));
            }
            if (rows instanceof RowSet.Matches m) scannedUpTo = m.refs().lastSeq();
            allSize = rows.size();
            show(rows);
        }, this::fail);
    }

    private void applyFilter(EventFilter wanted) {
        filter = wanted;
        if (filter.isAll()) {
            openAll();
            return;
        }
        long mine = ++rowsGeneration;
        EventFilter asked = filter;
        long committed = source.live() ? source.committedSeq().getAsLong() : -1;
        filterBar.setCount("Filtering…", false);
        placeholder.setText("Filtering…");
        worker.submit(a -> a.events().matching(source.runId(), asked, -1), refs -> {
            if (mine != rowsGeneration) return;
            scannedUpTo = Math.max(committed, refs.lastSeq());
            show(new RowSet.Matches(refs));
        }, this::fail);
    }

    private void show(RowSet rows) {
        if (pages != null) pages.dispose();
        pages = new EventPages(rows, (set, from, to, answer) -> worker.submit(
                a -> set.fetch(a.events(), source.runId(), from, to),
                events -> answer.accept(events, null), message -> answer.accept(null, message)));
        pages.addListener((from, to) -> publishPending());
        pendingPublish = -1;
        window.show(pages);
        placeholder.setText(rows instanceof RowSet.Matches ? "No events match this filter."
                : source.live() ? "No events yet — they appear here as the run records them."
                : "This run recorded no events.");
        updateCount();
        lastSynced = null;
        syncSoon.request();
    }

    /** The row set's rows, all of them (the table holds a window of them). */
    int rowCount() {
        return pages == null ? 0 : pages.size();
    }

    private void updateCount() {
        int n = rowCount();
        if (pages.rows() instanceof RowSet.Matches) {
            filterBar.setCount(String.format("%,d shown of %,d", n, Math.max(allSize, 0)), false);
        } else {
            filterBar.setCount(String.format("%,d events", n), false);
        }
    }

    /** Once per frame for a live run: rows for what the archive committed since. */
    private void pollGrowth() {
        if (!source.live() || pages == null || growing) return;
        // at most ten times a second, as the console: a table relaid out on every pulse of a flood costs frames
        long now = System.nanoTime();
        if (now - lastGrowthNs < LIVE_INTERVAL_NS) return;
        lastGrowthNs = now;
        long committed = source.committedSeq().getAsLong();
        if (pages.rows() instanceof RowSet.All all) {
            if (allSize < 0 || committed + 1 <= all.size()) return;
            allSize = (int) Math.min(Integer.MAX_VALUE, committed + 1);
            growInTurn(new RowSet.All(allSize));
        } else if (pages.rows() instanceof RowSet.Matches && committed > scannedUpTo) {
            allSize = (int) Math.max(allSize, committed + 1);
            growing = true;
            long mine = rowsGeneration;
            long from = scannedUpTo;
            EventFilter asked = filter;
            // still growing until its turn: a second scan started meanwhile would append to the rows before this one
            worker.submit(a -> a.events().matching(source.runId(), asked, from), more -> PaintTurns.shared().request(
                    this, () -> {
                        growing = false;
                        if (mine != rowsGeneration || !(pages.rows() instanceof RowSet.Matches m)) return;
                        scannedUpTo = Math.max(committed, more.lastSeq());
                        EventRefs refs = m.refs().append(more);
                        if (refs.size() > m.refs().size()) grow(new RowSet.Matches(refs));
                        updateCount();
                    }), message -> {
                growing = false;
                fail(message);
            });
        }
    }

    /**
     * A live table grows in a pulse of its own, not one the timeline or the console also repaint in (each costs the
     * software renderer a good part of a frame). The rows asked for last win; a filter changed meanwhile drops them.
     */
    private void growInTurn(RowSet bigger) {
        long mine = rowsGeneration;
        PaintTurns.shared().request(this, () -> {
            if (mine == rowsGeneration && pages != null) grow(bigger);
        });
    }

    private void grow(RowSet bigger) {
        pages.grow(bigger);
        window.grew(followRows);
        updateCount();
    }

    // ---- selection, both ways ----

    private void onRowSelected(int local) {
        if (window.moving() || local < 0) return;
        int row = window.rowOf(local);
        if (row != rowCount() - 1) followRows = false;
        EventRow r = pages.peek(row);
        if (r != null && r.loaded()) publish(r.event());
        else pendingPublish = row; // published when its page arrives
    }

    private void publishPending() {
        int row = pendingPublish;
        if (row < 0 || window.selectedRow() != row) return;
        EventRow r = pages.peek(row);
        if (r == null || !r.loaded()) return;
        pendingPublish = -1;
        publish(r.event());
    }

    private void publish(RunEvent e) {
        pendingPublish = -1;
        TimelineSelection.Event selected = new TimelineSelection.Event(e.seq(), e.atNanos(), e.lane());
        lastSynced = new ContextPosition(selected, e.atNanos());
        context.select(selected);
    }

    /** Selects the row of the context's selection, or the last row at or before its cursor. */
    private void sync() {
        if (pages == null || rowCount() == 0 || allSize < 0 && pages.rows() instanceof RowSet.All) return;
        ContextPosition now = ContextPosition.of(context);
        if (now.equals(lastSynced)) return;
        lastSynced = now;
        long mine = ++syncGeneration;
        switch (now.selection()) {
            case TimelineSelection.Event e -> window.select(pages.rows().rowAtOrBefore(e.seq()));
            case TimelineSelection.ConsoleLine l -> window.select(pages.rows().rowAtOrBefore(l.seq()));
            default -> {
                long t = now.cursor();
                RowSet rows = pages.rows();
                worker.submit(a -> {
                    var next = a.events().firstSeqAtOrAfter(source.runId(), Set.of(), t + 1);
                    return next.isPresent() ? next.getAsLong() - 1 : a.events().lastSeq(source.runId());
                }, seq -> {
                    if (mine == syncGeneration && rows == pages.rows()) window.select(rows.rowAtOrBefore(seq));
                }, this::fail);
            }
        }
    }

    private void onKey(KeyEvent e) {
        if (e.getCode() == KeyCode.END && e.isShortcutDown()) {
            goToLastRow();
            e.consume();
        }
    }

    /** Ctrl+End: the last row, selected; a live run's table then keeps the newest row in view. */
    /** Shows only the events whose text holds every word of {@code words} (the palette's {@code /} mode). */
    public void filterByText(String words) {
        filterBar.applyText("\"" + words.replace("\"", "") + "\"");
    }

    public void goToLastRow() {
        if (rowCount() == 0) return;
        window.selectLast();
        followRows = source.live();
    }

    private void fail(String message) {
        growing = false;
        filterBar.setCount(message, true);
    }

    TableView<EventRow> table() {
        return table;
    }

    EventPages rows() {
        return pages;
    }

    LazyEventList window() {
        return window.list();
    }

    /** The selected row of the run's rows (or of the filter's), -1 for none. */
    int selectedRow() {
        return window.selectedRow();
    }

    /** Stops polling and releases the archive connection. */
    @Override
    public void close() {
        pulse.stop();
        if (pages != null) pages.dispose();
        worker.close();
    }
}
