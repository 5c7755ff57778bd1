package dev.freezeframe.app.ui.console;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.source.ArchiveWorker;
import dev.freezeframe.app.ui.source.ContextPosition;
import dev.freezeframe.app.ui.source.FxOnce;
import dev.freezeframe.app.ui.source.RunEventSource;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.EventPage;
import dev.freezeframe.persistence.EventQueries;
import dev.freezeframe.timeline.PaintTurns;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimelineSelection;
import java.util.Objects;
import java.util.function.Function;
import javafx.animation.AnimationTimer;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;

/**
 * The run tab's Console drawer: the guest's console and the scheduler's output, one line per event with its run time
 * and stream. It holds a window of at most 10 000 lines (see {@link ConsoleWindow}): a live run's tail, appended once per
 * frame, or the lines around the cursor paged from the archive, with more paged in as the user scrolls to either edge.
 * Bound to the tab's {@link RunContext}: clicking a line selects it (the cursor moves to its time); a selection or cursor
 * change elsewhere scrolls to the line at that time and bands it. Ctrl+F finds (archive search), End follows the tail.
 */
public final class ConsoleView extends BorderPane implements AutoCloseable {
    static final int JUMP_LINES = 300;
    static final int STEP_LINES = 1_000;
    static final int TAIL_LINES = 2_000;
    /** Lines from the window's edge at which the next page is fetched. */
    private static final int EDGE = 200;

    private final RunContext context;
    private final RunEventSource source;
    private final ArchiveWorker worker;
    private final ConsoleWindow window = new ConsoleWindow();
    private final Label empty = new Label();
    private final Label status = new Label();
    private final ConsoleSearch search;
    private final ConsoleMinimap minimap;
    /** A live run's minimap is asked about once a second. */
    static final long MINIMAP_INTERVAL_NS = 1_000_000_000L;
    private final AnimationTimer pulse;
    /** A live tail is brought in at most ten times a second: text nobody can read faster need not be laid out faster. */
    static final long LIVE_INTERVAL_NS = 100_000_000L;
    /** Behind the tail by more events than this, the window jumps to the tail instead of appending everything. */
    static final int TAIL_JUMP = 2_000;
    /** Lines shown after such a jump. */
    static final int LIVE_TAIL_LINES = 300;
    /**
     * While the tail floods (the last ask had to jump), it is brought in four times a second: at thousands of lines a
     * second nobody reads the tail, and a repaint of the console's text costs the software renderer more than a pulse.
     */
    static final long LIVE_FLOOD_INTERVAL_NS = 250_000_000L;
    private long lastTailNs;
    private boolean flooding;

    /** The window follows the run's tail (a live run while the tab follows it, or after End). */
    private boolean following;
    /** Numbers window-replacing requests; answers of older ones (and pages for an older window) are dropped. */
    private long generation;
    private boolean loading;
    private boolean appending;
    private boolean prepending;
    /** Live tail: the next seq to ask for, and the committed seq the last ask covered. */
    private long nextSeq;
    private long askedUpTo = -1;
    private boolean moreWaiting;
    private ContextPosition lastSynced;
    private final FxOnce syncSoon = new FxOnce(this::sync);
    private final FxOnce edgeCheckSoon = new FxOnce(this::checkEdges);


    public ConsoleView(RunContext context, RunEventSource source) {
        this.context = Objects.requireNonNull(context, "context");
        this.source = Objects.requireNonNull(source, "source");
        this.worker = new ArchiveWorker(source.archive(), "console-run-" + source.runId());
        setId("console");
        getStylesheets().add(Objects.requireNonNull(ConsoleView.class.getResource("console.css")).toExternalForm());

        empty.setId("consoleEmpty");
        empty.getStyleClass().add("console-empty");
        empty.setWrapText(true);
        empty.setText(source.live() ? "No console output yet — the guest's console appears here once it boots."
                : "This run recorded no console output.");
        empty.setMouseTransparent(true);
        StackPane center = new StackPane(window.canvas(), empty);
        setCenter(center);
        minimap = new ConsoleMinimap(worker, source.runId(), ns -> {
            stopFollowing();
            showTime(ns);
        }, this::fail);
        setRight(minimap);
        status.setId("consoleStatus");
        status.getStyleClass().addAll("console-status", Styles.DANGER);
        status.setManaged(false);
        status.setVisible(false);
        setBottom(status);
        search = new ConsoleSearch(worker, source.runId(), window::bandSeq,
                m -> context.select(new TimelineSelection.ConsoleLine(m.seq(), m.atNanos())), this::fail,
                this::closeSearch, matches -> minimap.setHits(matches.stream().mapToLong(RunEvent::atNanos).toArray()));

        ConsoleCanvas canvas = window.canvas();
        canvas.addEventHandler(MouseEvent.MOUSE_CLICKED, this::onClick);
        canvas.setOnScrollBack(this::stopFollowing);
        canvas.topProperty().addListener(o -> edgeCheckSoon.request());
        window.setOnChanged(() -> minimap.setWindow(window.isEmpty() ? -1 : window.first().atNanos(),
                window.isEmpty() ? -1 : window.last().atNanos()));
        addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);

        context.selectionProperty().addListener(o -> syncSoon.request());
        context.cursorProperty().addListener(o -> syncSoon.request());
        context.followTailProperty().addListener((o, was, on) -> {
            if (!source.live()) return;
            if (on && !following) followTail();
            else if (!on) following = false;
        });

        pulse = new AnimationTimer() {
            @Override
            public void handle(long now) {
                pollTail();
                minimap.refresh(MINIMAP_INTERVAL_NS);
            }
        };
        sceneProperty().addListener((o, was, scene) -> {
            if (scene == null || !source.live()) pulse.stop(); // only a live run grows
            else pulse.start();
        });
        if (source.live() && context.followTailProperty().get()) followTail();
        else jump(q -> q.around(source.runId(), ConsoleFormat.LANES, context.cursor(), JUMP_LINES, JUMP_LINES),
                context.cursor(), -1);
        updateEmpty();
    }

    // ---- intents ----

    /** End: show the tail; a live run's console then follows it. */
    public void followTail() {
        if (source.live() && !context.followTailProperty().get()) {
            context.setFollowTail(true); // comes back through the followTail listener
            if (following) return;
        }
        following = source.live();
        long mine = ++generation;
        loading = true;
        long committed = source.committedSeq().getAsLong();
        worker.submit(a -> a.events().before(source.runId(), ConsoleFormat.LANES, Long.MAX_VALUE, TAIL_LINES),
                page -> {
                    if (mine != generation) return;
                    loading = false;
                    window.replace(page.events(), page.atStart(), !source.live());
                    nextSeq = window.isEmpty() ? 0 : window.last().seq() + 1;
                    askedUpTo = committed;
                    window.showLast();
                    updateEmpty();
                }, this::fail);
    }

    private void stopFollowing() {
        if (!following) return;
        following = false;
        if (source.live() && context.followTailProperty().get()) context.setFollowTail(false);
    }

    private void openSearch() {
        if (getTop() != search.bar()) setTop(search.bar());
        search.bar().focusQuery();
    }

    /** Opens the find bar on {@code text} and goes to its first match from the line in view. */
    public void find(String text) {
        openSearch();
        search.bar().searchFor(text);
    }

    private void closeSearch() {
        setTop(null);
        window.canvas().requestFocus();
    }

    // ---- live tail ----

    /**
     * At most every {@link #LIVE_INTERVAL_NS}: ask for the lines a live run committed since the last ask (one request
     * at a time). A run that writes faster than anyone reads (thousands of lines a second) would keep the FX thread
     * styling and trimming text all the time; when the tail has run more than {@link #TAIL_JUMP} events ahead, the
     * window jumps to its last {@link #LIVE_TAIL_LINES} lines instead. The lines passed over stay in the archive: scrolling
     * up pages them in.
     */
    private void pollTail() {
        if (!source.live() || !following || loading || appending) return;
        long now = System.nanoTime();
        if (now - lastTailNs < (flooding ? LIVE_FLOOD_INTERVAL_NS : LIVE_INTERVAL_NS)) return;
        long committed = source.committedSeq().getAsLong();
        if (committed <= askedUpTo && !moreWaiting) return;
        appending = true;
        lastTailNs = now;
        long mine = generation;
        long from = nextSeq;
        boolean jump = committed - from > TAIL_JUMP;
        flooding = jump;
        worker.submit(a -> jump
                        ? a.events().before(source.runId(), ConsoleFormat.LANES, committed + 1, LIVE_TAIL_LINES)
                        : a.events().after(source.runId(), ConsoleFormat.LANES, from, TAIL_JUMP),
                // the repaint waits for a pulse of its own, not one the timeline or the events table also repaint in
                page -> PaintTurns.shared().request(this, () -> {
                    appending = false;
                    if (mine != generation) return;
                    askedUpTo = Math.max(askedUpTo, committed);
                    moreWaiting = !jump && page.events().size() == TAIL_JUMP;
                    if (page.events().isEmpty()) return;
                    nextSeq = page.events().getLast().seq() + 1;
                    if (jump) window.replace(page.events(), false, false);
                    else window.append(page.events(), false);
                    if (following) window.showLast();
                    updateEmpty();
                }), this::fail);
    }

    // ---- paging at the window's edges ----

    private void checkEdges() {
        if (loading || window.isEmpty() || !window.canvas().hasView()) return;
        int first = window.canvas().firstVisible();
        int last = window.canvas().lastVisible();
        long mine = generation;
        // while following a live tail the head is not paged in: the tail replaces it ten times a second
        if (first < EDGE && !window.atStart() && !prepending && !(following && source.live())) {
            prepending = true;
            long before = window.first().seq();
            worker.submit(a -> a.events().before(source.runId(), ConsoleFormat.LANES, before, STEP_LINES), page -> {
                prepending = false;
                if (mine != generation || window.isEmpty() || window.first().seq() != before) return;
                int top = window.canvas().firstVisible();
                int added = window.prepend(page.events(), page.atStart());
                if (added > 0) window.canvas().showAtTop(top + added);
            }, this::fail);
        }
        boolean moreAfter = source.live() ? !following : !window.atEnd();
        if (last > window.size() - EDGE && moreAfter && !appending) {
            appending = true;
            long after = window.last().seq() + 1;
            worker.submit(a -> a.events().after(source.runId(), ConsoleFormat.LANES, after, STEP_LINES), page -> {
                appending = false;
                if (mine != generation || window.isEmpty() || window.last().seq() + 1 != after) return;
                int top = window.canvas().firstVisible();
                int trimmed = window.append(page.events(), page.atEnd() && !source.live());
                if (trimmed > 0) window.canvas().showAtTop(Math.max(0, top - trimmed));
            }, this::fail);
        }
    }

    // ---- following the run context ----

    /** Shows what the context points at: a console line (by seq) or the line at the cursor's time. */
    private void sync() {
        ContextPosition now = ContextPosition.of(context);
        if (now.equals(lastSynced)) return;
        lastSynced = now;
        switch (now.selection()) {
            case TimelineSelection.ConsoleLine line -> showSeq(line.seq(), line.atNs());
            case TimelineSelection.Event event when ConsoleFormat.LANES.contains(event.lane()) ->
                    showSeq(event.seq(), event.atNs());
            default -> showTime(now.cursor());
        }
    }

    private void showSeq(long seq, long atNs) {
        int at = window.indexOfSeq(seq);
        if (at >= 0) {
            window.band(seq);
            if (!following) window.reveal(at);
            return;
        }
        following = false; // only here: the tab may go on following (End follows again)
        jump(q -> q.aroundSeq(source.runId(), ConsoleFormat.LANES, seq, JUMP_LINES, JUMP_LINES), atNs, seq);
    }

    private void showTime(long ns) {
        if (window.covers(ns)) {
            int at = window.indexAtOrBefore(ns);
            window.band(window.lines().get(at).seq());
            if (!following) window.reveal(at);
            return;
        }
        following = false;
        jump(q -> q.around(source.runId(), ConsoleFormat.LANES, ns, JUMP_LINES, JUMP_LINES), ns, -1);
    }

    /** Replaces the window with a page around a line; bands {@code seq}, or the last line at or before {@code ns}. */
    private void jump(Function<EventQueries, EventPage> page, long ns, long seq) {
        long mine = ++generation;
        loading = true;
        worker.submit(a -> page.apply(a.events()), p -> {
            if (mine != generation) return;
            loading = false;
            window.replace(p.events(), p.atStart(), p.atEnd() && !source.live());
            updateEmpty();
            if (window.isEmpty()) return;
            int at = seq >= 0 ? window.indexOfSeq(seq) : -1;
            if (at < 0) {
                at = p.anchor() < 0 ? window.size() - 1 : p.anchor();
                if (seq < 0 && at > 0 && window.lines().get(at).atNanos() > ns) at--;
            }
            window.band(window.lines().get(at).seq());
            window.canvas().showAtCenter(at);
        }, this::fail);
    }

    // ---- input ----

    private void onClick(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY || window.isEmpty()) return;
        int par = window.canvas().lineAt(e.getY());
        if (par < 0) return;
        RunEvent line = window.lines().get(par);
        if (e.isShiftDown() && window.bandSeq() >= 0) { // a range to copy: the band stays, the other end moves
            window.canvas().extendTo(line.seq());
            return;
        }
        window.canvas().extendTo(-1);
        TimelineSelection.ConsoleLine selected = new TimelineSelection.ConsoleLine(line.seq(), line.atNanos());
        window.band(line.seq());
        lastSynced = new ContextPosition(selected, line.atNanos()); // already shown: the echo from the context changes nothing
        context.select(selected);
    }

    private void onKey(KeyEvent e) {
        if (e.getCode() == KeyCode.F && e.isShortcutDown()) {
            openSearch();
            e.consume();
        } else if (e.getCode() == KeyCode.END && !e.isShiftDown() && e.getTarget() == window.canvas()) {
            followTail();
            e.consume();
        }
    }

    /**
     * The banded (selected) line's text as last painted, when it is in view; empty otherwise. What the user sees, for
     * a status line or a benchmark waiting until a jump has landed.
     */
    public java.util.Optional<String> bandedLineInView() {
        int band = window.bandIndex();
        ConsoleCanvas canvas = window.canvas();
        int row = band - canvas.lastFrameTop();
        var frame = canvas.lastFrame();
        return band < 0 || row < 0 || row >= frame.size() ? java.util.Optional.empty()
                : java.util.Optional.of(frame.get(row).text());
    }

    /** How many matches the last search found (for tests). */
    int matchCount() {
        return search.matchCount();
    }

    int currentMatch() {
        return search.currentMatch();
    }

    // ---- state ----

    private void updateEmpty() {
        boolean none = window.isEmpty() && !loading;
        empty.setVisible(none);
    }

    private void fail(String message) {
        loading = false;
        appending = false;
        prepending = false;
        status.setText(message);
        status.setManaged(true);
        status.setVisible(true);
    }

    ConsoleWindow window() {
        return window;
    }

    boolean isFollowing() {
        return following;
    }

    /** Stops polling and releases the archive connection. */
    @Override
    public void close() {
        pulse.stop();
        worker.close();
    }
}
