package dev.freezeframe.app.ui.events;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.source.ArchiveWorker;
import dev.freezeframe.app.ui.source.RunEventSource;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.EventFilter;
import dev.freezeframe.persistence.EventQueries;
import dev.freezeframe.persistence.EventRefs;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimelineSelection;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

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
    private final TextField filterField = new TextField();
    private final Label filterMessage = new Label();
    private final Label count = new Label();
    private final Label placeholder = new Label();
    private final AnimationTimer pulse;

    private LazyEventList list;
    private EventFilter filter = EventFilter.ALL;
    /** Numbers requests that replace the rows or move the selection; stale answers are dropped. */
    private long rowsGeneration;
    private long syncGeneration;
    /** Events in the run (all rows), as last counted. */
    private int allSize = -1;
    /** Live, filtered: the seq up to which the run was searched for matches. */
    private long scannedUpTo = -1;
    private boolean growing;
    private boolean followRows;
    private boolean syncing;
    private int pendingPublish = -1;
    private Object lastSynced;
    private boolean syncQueued;

    public EventsTableView(RunContext context, RunEventSource source) {
        this.context = Objects.requireNonNull(context, "context");
        this.source = Objects.requireNonNull(source, "source");
        this.worker = new ArchiveWorker(source.archive(), "events-run-" + source.runId());
        setId("events");

        filterField.setId("eventsFilter");
        filterField.setPromptText("Filter: lane:watchpoints kind:hit words of the text");
        filterField.setOnAction(e -> applyFilter(filterField.getText()));
        filterField.textProperty().addListener((o, was, now) -> {
            if (now.isBlank() && !filter.isAll()) applyFilter(now);
            else validate(now);
        });
        HBox.setHgrow(filterField, Priority.ALWAYS);
        filterMessage.setId("eventsFilterMessage");
        filterMessage.getStyleClass().add(Styles.DANGER);
        count.setId("eventsCount");
        count.getStyleClass().add(Styles.TEXT_MUTED);
        HBox bar = new HBox(6, new FontIcon(Feather.FILTER), filterField, count);
        bar.setPadding(new Insets(4, 8, 4, 8));
        bar.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        BorderPane top = new BorderPane(bar);
        top.setBottom(filterMessage);
        BorderPane.setMargin(filterMessage, new Insets(0, 8, 4, 8));
        filterMessage.setManaged(false);
        filterMessage.setVisible(false);
        setTop(top);

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
        context.selectionProperty().addListener(o -> queueSync());
        context.cursorProperty().addListener(o -> queueSync());

        pulse = new AnimationTimer() {
            @Override
            public void handle(long now) {
                pollGrowth();
            }
        };
        sceneProperty().addListener((o, was, scene) -> {
            if (scene == null) pulse.stop();
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
                allSize = rows.size();
            }
            show(rows);
        }, this::fail);
    }

    private void applyFilter(String text) {
        if (!(EventFilterParser.parse(text) instanceof EventFilterParser.Valid valid)) {
            validate(text);
            return;
        }
        validate(text);
        filter = valid.filter();
        if (filter.isAll()) {
            openAll();
            return;
        }
        long mine = ++rowsGeneration;
        EventFilter asked = filter;
        long committed = source.live() ? source.committedSeq().getAsLong() : -1;
        count.setText("Filtering…");
        placeholder.setText("Filtering…");
        worker.submit(a -> a.events().matching(source.runId(), asked, -1), refs -> {
            if (mine != rowsGeneration) return;
            scannedUpTo = Math.max(committed, refs.lastSeq());
            show(new RowSet.Matches(refs));
        }, this::fail);
    }

    /** Tints the filter field by whether its text parses, with the reason and where when it does not. */
    private void validate(String text) {
        EventFilterParser.Result result = EventFilterParser.parse(text);
        filterField.pseudoClassStateChanged(Styles.STATE_DANGER, result instanceof EventFilterParser.Invalid);
        filterField.pseudoClassStateChanged(Styles.STATE_SUCCESS,
                result instanceof EventFilterParser.Valid v && !v.filter().isAll());
        if (result instanceof EventFilterParser.Invalid invalid) {
            filterMessage.setText(invalid.message() + " (at character " + (invalid.offset() + 1) + ")");
            filterMessage.setManaged(true);
            filterMessage.setVisible(true);
        } else {
            filterMessage.setText("");
            filterMessage.setManaged(false);
            filterMessage.setVisible(false);
        }
    }

    private void show(RowSet rows) {
        if (list != null) list.dispose();
        list = new LazyEventList(rows, (set, from, to, answer) -> worker.submit(
                a -> set.fetch(a.events(), source.runId(), from, to),
                events -> answer.accept(events, null), message -> answer.accept(null, message)));
        list.setOnPageLoaded(this::publishPending);
        syncing = true;
        table.setItems(list);
        syncing = false;
        placeholder.setText(rows instanceof RowSet.Matches ? "No events match this filter."
                : source.live() ? "No events yet — they appear here as the run records them."
                : "This run recorded no events.");
        updateCount();
        lastSynced = null;
        queueSync();
    }

    private void updateCount() {
        int n = list.size();
        if (list.rows() instanceof RowSet.Matches) {
            count.setText(String.format("%,d shown of %,d", n, Math.max(allSize, 0)));
        } else {
            count.setText(String.format("%,d events", n));
        }
    }

    /** Once per frame for a live run: rows for what the archive committed since. */
    private void pollGrowth() {
        if (!source.live() || list == null || growing) return;
        long committed = source.committedSeq().getAsLong();
        if (list.rows() instanceof RowSet.All all) {
            if (allSize < 0 || committed + 1 <= all.size()) return;
            allSize = (int) Math.min(Integer.MAX_VALUE, committed + 1);
            list.grow(new RowSet.All(allSize));
            afterGrowth();
        } else if (list.rows() instanceof RowSet.Matches && committed > scannedUpTo) {
            allSize = (int) Math.max(allSize, committed + 1);
            growing = true;
            long mine = rowsGeneration;
            long from = scannedUpTo;
            EventFilter asked = filter;
            worker.submit(a -> a.events().matching(source.runId(), asked, from), more -> {
                growing = false;
                if (mine != rowsGeneration || !(list.rows() instanceof RowSet.Matches m)) return;
                scannedUpTo = Math.max(committed, more.lastSeq());
                EventRefs refs = m.refs().append(more);
                if (refs.size() > m.refs().size()) list.grow(new RowSet.Matches(refs));
                afterGrowth();
            }, message -> {
                growing = false;
                fail(message);
            });
        }
    }

    private void afterGrowth() {
        updateCount();
        // after the table has taken the new row count in (scrolling first would clamp to the old end)
        if (followRows && list.size() > 0) Platform.runLater(() -> {
            if (followRows) showRow(list.size() - 1);
        });
    }

    // ---- selection, both ways ----

    private void onRowSelected(int row) {
        if (syncing || row < 0) return;
        if (row != list.size() - 1) followRows = false;
        EventRow r = list.peek(row);
        if (r != null && r.loaded()) publish(r.event());
        else pendingPublish = row; // published when its page arrives
    }

    private void publishPending() {
        int row = pendingPublish;
        if (row < 0 || table.getSelectionModel().getSelectedIndex() != row) return;
        EventRow r = list.peek(row);
        if (r == null || !r.loaded()) return;
        pendingPublish = -1;
        publish(r.event());
    }

    private void publish(RunEvent e) {
        pendingPublish = -1;
        TimelineSelection.Event selected = new TimelineSelection.Event(e.seq(), e.atNanos(), e.lane());
        lastSynced = new Synced(selected, e.atNanos());
        context.select(selected);
    }

    private record Synced(TimelineSelection selection, long cursor) {
    }

    private void queueSync() {
        if (syncQueued) return;
        syncQueued = true;
        Platform.runLater(() -> {
            syncQueued = false;
            sync();
        });
    }

    /** Selects the row of the context's selection, or the last row at or before its cursor. */
    private void sync() {
        if (list == null || list.size() == 0 || allSize < 0 && list.rows() instanceof RowSet.All) return;
        Synced now = new Synced(context.selection(), context.cursor());
        if (now.equals(lastSynced)) return;
        lastSynced = now;
        long mine = ++syncGeneration;
        switch (now.selection()) {
            case TimelineSelection.Event e -> selectRow(list.rows().rowAtOrBefore(e.seq()));
            case TimelineSelection.ConsoleLine l -> selectRow(list.rows().rowAtOrBefore(l.seq()));
            default -> {
                long t = now.cursor();
                RowSet rows = list.rows();
                worker.submit(a -> {
                    var next = a.events().firstSeqAtOrAfter(source.runId(), Set.of(), t + 1);
                    return next.isPresent() ? next.getAsLong() - 1 : a.events().lastSeq(source.runId());
                }, seq -> {
                    if (mine == syncGeneration && rows == list.rows()) selectRow(rows.rowAtOrBefore(seq));
                }, this::fail);
            }
        }
    }

    private void selectRow(int row) {
        syncing = true;
        try {
            if (row < 0) {
                table.getSelectionModel().clearSelection();
                table.scrollTo(0);
                return;
            }
            table.getSelectionModel().clearAndSelect(row);
            table.getFocusModel().focus(row);
            showRow(row);
        } finally {
            syncing = false;
        }
    }

    /**
     * Scrolls {@code row} on screen, near the top (the last row at the bottom). By position, not by
     * {@code TableView.scrollTo}: VirtualFlow's scrollTo walks and caches a size for every row before the target,
     * which takes most of a second at row 10 M; rows here all have one height, so the position is exact.
     */
    private void showRow(int row) {
        if (isRowVisible(row)) return;
        if (!(table.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) || flow.getHeight() <= 0) {
            table.scrollTo(row);
            return;
        }
        int n = list.size();
        int fit = Math.max(1, (int) Math.floor((flow.getHeight() - 1) / ROW_HEIGHT));
        int top = Math.max(0, Math.min(row - 3, n - fit));
        flow.setPosition(n <= fit ? 0 : Math.min(1, top / (double) (n - fit)));
    }

    private boolean isRowVisible(int row) {
        if (!(table.lookup(".virtual-flow") instanceof VirtualFlow<?> flow)) return false;
        var first = flow.getFirstVisibleCell();
        var last = flow.getLastVisibleCell();
        return first != null && last != null && row >= first.getIndex() && row <= last.getIndex();
    }

    private void onKey(KeyEvent e) {
        if (e.getCode() == KeyCode.END && e.isShortcutDown()) {
            goToLastRow();
            e.consume();
        }
    }

    /** Ctrl+End: the last row, selected; a live run's table then keeps the newest row in view. */
    public void goToLastRow() {
        int last = list.size() - 1;
        if (last < 0) return;
        list.get(last); // asks for the last page now, while the table scrolls
        showRow(last);
        table.getSelectionModel().clearAndSelect(last);
        table.getFocusModel().focus(last);
        followRows = source.live();
    }

    private void fail(String message) {
        growing = false;
        count.setText(message);
        count.getStyleClass().add(Styles.DANGER);
    }

    TableView<EventRow> table() {
        return table;
    }

    LazyEventList rows() {
        return list;
    }

    /** Stops polling and releases the archive connection. */
    @Override
    public void close() {
        pulse.stop();
        if (list != null) list.dispose();
        worker.close();
    }
}
