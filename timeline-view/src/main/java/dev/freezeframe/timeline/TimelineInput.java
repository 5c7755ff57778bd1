package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import javafx.animation.PauseTransition;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.util.Duration;

/**
 * The timeline's mouse and keys (design §4.2 timeline keys, §4.5): Ctrl+wheel zoom at the mouse, wheel scrolls lanes,
 * Shift+wheel pans; W/S zoom at the mouse (tap = ×2, held = smaller repeated steps), A/D pan ¼ window; drag = area
 * selection, Shift+drag or middle-drag pans; double-click the ruler, 0 or Home fit; End or L follow the tail; a click
 * selects the glyph under it or sets the cursor. Keys act only while the timeline has focus (they go to the focus
 * owner). Everything goes through {@link RunContext}'s intents.
 */
final class TimelineInput {
    /** A press moving fewer pixels than this is a click. */
    static final double CLICK_SLOP = 3;

    private final TimelineView view;
    private final RunContext context;
    private final Set<KeyCode> held = new HashSet<>();
    private double mouseX = Double.NaN;
    private double pressX;
    private double pressY;
    private TimeWindow pressWindow;
    private Mode mode = Mode.NONE;
    private boolean moved;
    private ContextMenu choice;
    /** The tooltip shows once the pointer has rested this long (the hover line follows at once). */
    private final PauseTransition tipDelay = new PauseTransition(Duration.millis(300));

    private enum Mode { NONE, PAN, AREA }

    TimelineInput(TimelineView view, RunContext context) {
        this.view = view;
        this.context = context;
        tipDelay.setOnFinished(e -> view.tip().setVisible(!view.tip().getText().isEmpty()));
    }

    void install(Pane pane) {
        pane.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        pane.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        pane.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        pane.addEventHandler(MouseEvent.MOUSE_CLICKED, this::clicked);
        pane.addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        pane.addEventHandler(MouseEvent.MOUSE_EXITED, e -> {
            mouseX = Double.NaN;
            context.setHover(-1);
            tipDelay.stop();
            view.tip().setVisible(false);
        });
        pane.addEventHandler(ScrollEvent.SCROLL, this::scrolled);
        view.addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        view.addEventHandler(KeyEvent.KEY_RELEASED, e -> held.remove(e.getCode()));
    }

    // ---- zoom and pan ----

    /** The x the keyboard zooms at: the mouse when it is over the lanes, else the cursor, else the middle. */
    private double anchorX(Frame f) {
        if (!Double.isNaN(mouseX)) return mouseX;
        double cx = f.axis.x(context.cursor());
        return cx >= 0 && cx <= f.axis.widthPx() ? cx : f.axis.widthPx() / 2;
    }

    void zoomAt(double x, double factor) {
        Frame f = view.lastFrame();
        if (f == null) return;
        TimeWindow w = context.window();
        long anchor = w.fromNs() + Math.round(x * w.spanNs() / f.axis.widthPx());
        long maxSpan = Math.max(8 * Math.max(view.endNs(), 1), TimeWindow.MIN_SPAN_NS);
        if (factor > 1 && w.spanNs() * factor > maxSpan) factor = Math.max(1, maxSpan / (double) w.spanNs());
        if (factor == 1) return;
        context.setWindow(w.zoomedAround(anchor, factor));
    }

    void pan(double fractionOfWindow) {
        TimeWindow w = context.window();
        context.setWindow(view.clampPan(w.startingAt(w.fromNs() + Math.round(w.spanNs() * fractionOfWindow))));
    }

    private void keyPressed(KeyEvent e) {
        if (e.isControlDown() || e.isAltDown() || e.isMetaDown()) return;
        Frame f = view.lastFrame();
        boolean repeat = !held.add(e.getCode());
        switch (e.getCode()) {
            case W -> {
                if (f != null) zoomAt(anchorX(f), repeat ? 0.85 : 0.5);
            }
            case S -> {
                if (f != null) zoomAt(anchorX(f), repeat ? 1 / 0.85 : 2);
            }
            case A -> pan(repeat ? -0.1 : -0.25);
            case D -> pan(repeat ? 0.1 : 0.25);
            case DIGIT0, NUMPAD0, HOME -> context.fit();
            case END, L -> context.setFollowTail(true);
            case ESCAPE -> context.clearSelection();
            default -> {
                held.remove(e.getCode());
                return;
            }
        }
        e.consume();
    }

    private void scrolled(ScrollEvent e) {
        Frame f = view.lastFrame();
        if (f == null) return;
        if (e.isControlDown()) {
            double d = e.getDeltaY() != 0 ? e.getDeltaY() : e.getDeltaX();
            zoomAt(e.getX(), Math.pow(2, -d / 120));
        } else if (e.isShiftDown()) {
            // JavaFX reports Shift+wheel as a horizontal scroll on some platforms
            double d = e.getDeltaX() != 0 ? e.getDeltaX() : e.getDeltaY();
            TimeWindow w = context.window();
            context.setWindow(view.clampPan(w.startingAt(w.fromNs() - Math.round(d * f.axis.nsPerPixel()))));
        } else {
            view.scrollLanes(-e.getDeltaY());
        }
        e.consume();
    }

    // ---- mouse ----

    private void pressed(MouseEvent e) {
        view.requestFocus();
        if (choice != null) choice.hide();
        pressX = e.getX();
        pressY = e.getY();
        pressWindow = context.window();
        moved = false;
        boolean onRuler = e.getY() < Frame.RULER_HEIGHT;
        if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && (e.isShiftDown() || onRuler))) {
            mode = Mode.PAN;
        } else if (e.getButton() == MouseButton.PRIMARY) {
            mode = Mode.AREA;
        } else {
            mode = Mode.NONE;
        }
        e.consume();
    }

    private void dragged(MouseEvent e) {
        Frame f = view.lastFrame();
        if (f == null || mode == Mode.NONE) return;
        if (Math.abs(e.getX() - pressX) >= CLICK_SLOP || Math.abs(e.getY() - pressY) >= CLICK_SLOP) moved = true;
        if (!moved) return;
        mouseX = e.getX();
        if (mode == Mode.PAN) {
            long dt = Math.round((e.getX() - pressX) * pressWindow.spanNs() / f.axis.widthPx());
            context.setWindow(view.clampPan(pressWindow.startingAt(pressWindow.fromNs() - dt)));
        } else {
            view.setOverlayDrag(pressX, e.getX());
        }
        e.consume();
    }

    private void released(MouseEvent e) {
        Frame f = view.lastFrame();
        Mode m = mode;
        mode = Mode.NONE;
        if (f == null) return;
        if (m == Mode.AREA && moved) {
            view.setOverlayDrag(-1, -1);
            long t0 = f.axis.ns(Math.min(pressX, e.getX()));
            long t1 = f.axis.ns(Math.max(pressX, e.getX()));
            context.select(new TimelineSelection.Area(t0, t1, lanesBetween(f, pressY, e.getY())));
        }
        e.consume();
    }

    private void clicked(MouseEvent e) {
        Frame f = view.lastFrame();
        if (f == null || e.getButton() != MouseButton.PRIMARY || moved || !e.isStillSincePress()) return;
        if (e.getY() < Frame.RULER_HEIGHT) {
            if (e.getClickCount() == 2) context.fit();
            else context.setCursor(f.axis.ns(e.getX()));
            e.consume();
            return;
        }
        if (e.getClickCount() != 1) return;
        clickAt(e.getX(), e.getY(), e.getScreenX(), e.getScreenY());
        e.consume();
    }

    /** Selects the glyph at (x, y) (a choice menu for a cluster), or puts the cursor at x. */
    void clickAt(double x, double y, double screenX, double screenY) {
        Frame f = view.lastFrame();
        LaneRow row = f.rowAt(y);
        Frame.GlyphRow gr = row == null ? null : f.glyphRow(row);
        GlyphClusters.Cluster c = gr == null ? null : GlyphClusters.at(gr.clusters(), x, DataPainter.GLYPH + 2);
        if (c == null) {
            context.setCursor(f.axis.ns(x));
            return;
        }
        if (c.count() == 1) {
            pick(gr.items().get(c.first()), f.axis.ns(x));
            return;
        }
        choice = new ContextMenu();
        choice.setId("clusterChoice");
        for (int i = c.first(); i < c.first() + c.count(); i++) {
            Object item = gr.items().get(i);
            MenuItem mi = new MenuItem(HoverText.summary(item, view.rulerOrigin()));
            mi.setOnAction(a -> pick(item, f.axis.ns(x)));
            choice.getItems().add(mi);
        }
        choice.show(view, screenX, screenY);
    }

    /** A branch opens its run (the cursor goes there when nobody opens runs); anything else is selected. */
    private void pick(Object item, long atNs) {
        if (item instanceof TimelineItems.Branch b) {
            if (!view.openBranch(b)) context.setCursor(atNs);
            return;
        }
        context.select(selectionOf(item));
    }

    static TimelineSelection selectionOf(Object item) {
        return switch (item) {
            case TimelineItems.SnapshotMark s -> new TimelineSelection.Snapshot(s.id(), s.tag(), s.atNs());
            case TimelineItems.WatchHit h -> new TimelineSelection.Event(h.seq(), h.atNs(), Lane.WATCHPOINTS);
            case TimelineItems.Point p -> new TimelineSelection.Event(p.seq(), p.atNs(), Lane.LIFECYCLE);
            default -> TimelineSelection.NONE;
        };
    }

    /** The archive lanes of the rows between two screen ys (all lanes when the drag stayed on headers). */
    private static Set<Lane> lanesBetween(Frame f, double y0, double y1) {
        Set<Lane> lanes = EnumSet.noneOf(Lane.class);
        double a = Math.min(y0, y1);
        double b = Math.max(y0, y1);
        for (LaneRow r : f.layout.rows()) {
            double top = f.top(r);
            if (r.lane() != null && top < b && top + r.height() > a) lanes.add(r.lane());
        }
        return lanes;
    }

    private void moved(MouseEvent e) {
        mouseX = e.getX();
        Frame f = view.lastFrame();
        if (f == null) return;
        context.setHover(f.axis.ns(e.getX()));
        String text = HoverText.at(f, e.getX(), e.getY());
        var tip = view.tip();
        tip.setText(text);
        tip.autosize();
        if (!tip.isVisible()) tipDelay.playFromStart();
        double tx = view.canvasPane().getLayoutX() + e.getX() + 14;
        if (tx + tip.getWidth() > view.getWidth()) tx = view.canvasPane().getLayoutX() + e.getX() - tip.getWidth() - 8;
        tip.relocate(Math.max(0, tx), view.canvasPane().getLayoutY() + e.getY() + 16);
    }
}
