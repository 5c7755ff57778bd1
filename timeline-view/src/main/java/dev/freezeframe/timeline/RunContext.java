package dev.freezeframe.timeline;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * The shared state of one run tab — cursor, hover, selection, visible window, follow-tail — that every view of the tab
 * binds to (timeline, console, events, snapshot viewer, status bar). FX thread only. Views change it through the intent
 * methods; they never write each other. Selection and window changes go on a bounded history (Alt+← / Alt+→).
 */
public final class RunContext {
    private static final int HISTORY = 100;

    private final ReadOnlyLongWrapper cursor = new ReadOnlyLongWrapper(this, "cursor", 0);
    private final ReadOnlyLongWrapper hover = new ReadOnlyLongWrapper(this, "hover", -1);
    private final ReadOnlyObjectWrapper<TimelineSelection> selection =
            new ReadOnlyObjectWrapper<>(this, "selection", TimelineSelection.NONE);
    private final ReadOnlyObjectWrapper<TimeWindow> window;
    private final ReadOnlyLongWrapper runEnd = new ReadOnlyLongWrapper(this, "runEnd", 1);
    private final ReadOnlyBooleanWrapper followTail = new ReadOnlyBooleanWrapper(this, "followTail", false);
    private final Deque<Entry> back = new ArrayDeque<>();
    private final Deque<Entry> forward = new ArrayDeque<>();

    private record Entry(TimelineSelection selection, long cursor, TimeWindow window) {
    }

    public RunContext(TimeWindow initial) {
        window = new ReadOnlyObjectWrapper<>(this, "window", Objects.requireNonNull(initial, "initial"));
    }

    /** The time the views are positioned at (ns since the run started). */
    public ReadOnlyLongProperty cursorProperty() {
        return cursor.getReadOnlyProperty();
    }

    public long cursor() {
        return cursor.get();
    }

    /** The time under the pointer, or -1 when the pointer is over no timed view. */
    public ReadOnlyLongProperty hoverProperty() {
        return hover.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TimelineSelection> selectionProperty() {
        return selection.getReadOnlyProperty();
    }

    public TimelineSelection selection() {
        return selection.get();
    }

    public ReadOnlyObjectProperty<TimeWindow> windowProperty() {
        return window.getReadOnlyProperty();
    }

    public TimeWindow window() {
        return window.get();
    }

    /** The run's known extent: its end for an archived run, "now" for a live one. */
    public ReadOnlyLongProperty runEndProperty() {
        return runEnd.getReadOnlyProperty();
    }

    /** While on, the window's right edge tracks {@link #runEndProperty()} (a live run). */
    public ReadOnlyBooleanProperty followTailProperty() {
        return followTail.getReadOnlyProperty();
    }

    // ---- intents ----

    /** Moves the cursor to {@code ns}, clearing an item selection; pans only if it is off-screen. */
    public void setCursor(long ns) {
        remember();
        cursor.set(ns);
        selection.set(TimelineSelection.NONE);
        revealIfHidden(ns);
    }

    /** Selects an item (event, snapshot, console line) and puts the cursor at its time. */
    public void select(TimelineSelection item) {
        Objects.requireNonNull(item, "item");
        remember();
        selection.set(item);
        long at = timeOf(item);
        if (at >= 0) {
            cursor.set(at);
            revealIfHidden(at);
        }
    }

    public void clearSelection() {
        if (selection.get() instanceof TimelineSelection.None) return;
        remember();
        selection.set(TimelineSelection.NONE);
    }

    public void setHover(long ns) {
        hover.set(ns);
    }

    /** Shows {@code w}; a user's pan or zoom that leaves the tail turns following off. */
    public void setWindow(TimeWindow w) {
        Objects.requireNonNull(w, "w");
        if (followTail.get() && w.toNs() < runEnd.get()) followTail.set(false);
        window.set(w);
    }

    /** Shows the whole run. */
    public void fit() {
        remember();
        followTail.set(false);
        window.set(new TimeWindow(0, Math.max(runEnd.get(), 1)));
    }

    public void setFollowTail(boolean on) {
        followTail.set(on);
        if (on) window.set(window.get().startingAt(runEnd.get() - window.get().spanNs()));
    }

    /**
     * The run grew (live) or its end became known (archived); the window follows when following the tail. The end
     * only grows: views that learn it from different clocks (the last event, the run's own clock) never pull it back.
     */
    public void setRunEnd(long ns) {
        runEnd.set(Math.max(runEnd.get(), Math.max(1, ns)));
        if (followTail.get()) window.set(window.get().startingAt(runEnd.get() - window.get().spanNs()));
    }

    /** Alt+←: the selection, cursor and window before the last change. */
    public void back() {
        if (back.isEmpty()) return;
        forward.push(current());
        apply(back.pop());
    }

    /** Alt+→. */
    public void forward() {
        if (forward.isEmpty()) return;
        back.push(current());
        apply(forward.pop());
    }

    private Entry current() {
        return new Entry(selection.get(), cursor.get(), window.get());
    }

    private void apply(Entry e) {
        followTail.set(false);
        selection.set(e.selection());
        cursor.set(e.cursor());
        window.set(e.window());
    }

    private void remember() {
        back.push(current());
        if (back.size() > HISTORY) back.removeLast();
        forward.clear();
    }

    private void revealIfHidden(long ns) {
        TimeWindow w = window.get();
        if (!w.contains(ns)) {
            followTail.set(false);
            window.set(w.showing(ns));
        }
    }

    /** The time an item stands at, or -1 for none / an area's start. */
    public static long timeOf(TimelineSelection item) {
        return switch (item) {
            case TimelineSelection.None n -> -1;
            case TimelineSelection.Event e -> e.atNs();
            case TimelineSelection.Snapshot s -> s.atNs();
            case TimelineSelection.Area a -> a.fromNs();
            case TimelineSelection.ConsoleLine l -> l.atNs();
        };
    }
}
