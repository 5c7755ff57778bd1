package dev.freezeframe.app.ui.console;

import dev.freezeframe.app.ui.source.ArchiveWorker;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.persistence.TimelineQueries;
import dev.freezeframe.timeline.PaintTurns;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javafx.beans.value.ObservableValue;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * The console's minimap: a strip beside the lines standing for the whole run, top = start, bottom = end. Each pixel
 * row shows how many console lines (muted) and scheduler lines (warning colour) fall in its slice of time, on a log
 * scale; search matches are ticks along its right edge; the slice the console holds is outlined. Pressing or dragging on
 * it shows the lines at that time (Wireshark's "intelligent scroll bar"). Densities come from the archive's
 * level-of-detail pyramid, so a 10 M-event run costs the same as a short one. FX thread only.
 */
final class ConsoleMinimap extends Region {
    static final double WIDTH = 14;
    private static final java.util.Set<Lane> LANES = ConsoleFormat.LANES;

    private static final StyleablePropertyFactory<ConsoleMinimap> CSS =
            new StyleablePropertyFactory<>(Region.getClassCssMetaData());
    private final StyleableProperty<Color> consoleFill = CSS.createStyleableColorProperty(this, "consoleFill",
            "-ff-console-fill", m -> m.consoleFill, Color.GRAY);
    private final StyleableProperty<Color> schedulerFill = CSS.createStyleableColorProperty(this, "schedulerFill",
            "-ff-scheduler-fill", m -> m.schedulerFill, Color.DARKORANGE);
    private final StyleableProperty<Color> hitFill = CSS.createStyleableColorProperty(this, "hitFill",
            "-ff-hit-fill", m -> m.hitFill, Color.ROYALBLUE);
    private final StyleableProperty<Color> thumbStroke = CSS.createStyleableColorProperty(this, "thumbStroke",
            "-ff-thumb-stroke", m -> m.thumbStroke, Color.BLACK);
    private final StyleableProperty<Color> stripFill = CSS.createStyleableColorProperty(this, "stripFill",
            "-ff-strip-fill", m -> m.stripFill, Color.WHITESMOKE);

    private final ArchiveWorker worker;
    private final long runId;
    private final LongConsumer showTime;
    private final Consumer<String> onFailure;
    private final Canvas canvas = new Canvas();
    /** Lines per pixel row of the last answer, and the span it covered. */
    private long[] consoleRows = new long[0];
    private long[] schedulerRows = new long[0];
    private long spanNs = 1;
    private long[] hitsNs = new long[0];
    private long windowFromNs = -1;
    private long windowToNs = -1;
    private boolean asking;
    private long askedAtNs = Long.MIN_VALUE;

    /**
     * @param showTime shows the console's lines at a run time (a press or drag on the strip)
     */
    ConsoleMinimap(ArchiveWorker worker, long runId, LongConsumer showTime, Consumer<String> onFailure) {
        this.worker = worker;
        this.runId = runId;
        this.showTime = showTime;
        this.onFailure = onFailure;
        setId("consoleMinimap");
        getStyleClass().add("console-minimap");
        getChildren().add(canvas);
        setMinWidth(WIDTH);
        setPrefWidth(WIDTH);
        setMaxWidth(WIDTH);
        Tooltip.install(this, new Tooltip("The whole run: console (grey) and scheduler (orange) lines over time,"
                + " search matches as ticks; press or drag to go there"));
        for (StyleableProperty<Color> p : List.of(consoleFill, schedulerFill, hitFill, thumbStroke, stripFill)) {
            ((ObservableValue<?>) p).addListener(o -> draw());
        }
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::onPointer);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::onPointer);
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return CSS.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return CSS.getCssMetaData();
    }

    /**
     * Asks the archive for the run's extent and the densities over it, unless an answer is on its way or the last ask
     * is less than {@code minIntervalNs} old (a live run asks about once a second).
     */
    void refresh(long minIntervalNs) {
        long now = System.nanoTime();
        int rows = (int) Math.max(1, Math.floor(getHeight()));
        if (asking || rows < 2 || askedAtNs != Long.MIN_VALUE && now - askedAtNs < minIntervalNs) return;
        asking = true;
        askedAtNs = now;
        worker.submit(a -> {
            long end = a.runs().detail(runId).flatMap(d -> d.lastEventNs()).orElse(-1L) + 1;
            return end <= 0 ? null : new Answer(end, a.timeline().viewport(runId, 0, end, rows, LANES));
        }, answer -> PaintTurns.shared().request(this, () -> { // a pulse the live views do not also paint in
            asking = false;
            if (answer == null) return;
            spanNs = answer.endNs();
            consoleRows = perRow(answer.viewport(), Lane.CONSOLE, rows, answer.endNs());
            schedulerRows = perRow(answer.viewport(), Lane.SCHEDULER, rows, answer.endNs());
            draw();
        }), message -> {
            asking = false;
            onFailure.accept(message);
        });
    }

    private record Answer(long endNs, TimelineQueries.Viewport viewport) {
    }

    /** Lines of {@code lane} per pixel row; buckets are finer than or equal to a row, so each falls into one row. */
    static long[] perRow(TimelineQueries.Viewport viewport, Lane lane, int rows, long endNs) {
        long[] out = new long[rows];
        for (TimelineQueries.LaneBuckets b : viewport.lanes()) {
            if (b.lane() != lane) continue;
            for (int i = 0; i < b.counts().length; i++) {
                long mid = b.bucketStartNs()[i] + viewport.bucketNs() / 2;
                int row = (int) Math.min(rows - 1, Math.max(0, (double) mid / endNs * rows));
                out[row] += b.counts()[i];
            }
        }
        return out;
    }

    /** The run times of the search's matches (ticks). */
    void setHits(long[] atNs) {
        hitsNs = atNs.clone();
        draw();
    }

    /** The times of the first and last line the console holds (the outlined slice); -1 for none. */
    void setWindow(long fromNs, long toNs) {
        if (fromNs == windowFromNs && toNs == windowToNs) return;
        windowFromNs = fromNs;
        windowToNs = toNs;
        draw();
    }

    long[] consoleRows() {
        return consoleRows.clone();
    }

    long[] schedulerRows() {
        return schedulerRows.clone();
    }

    @Override
    protected void layoutChildren() {
        if (canvas.getWidth() != getWidth() || canvas.getHeight() != getHeight()) {
            boolean taller = getHeight() > canvas.getHeight();
            canvas.setWidth(getWidth());
            canvas.setHeight(getHeight());
            draw();
            if (taller) {
                askedAtNs = Long.MIN_VALUE; // more rows than the last answer had: ask again at this height
                refresh(0);
            }
        }
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(stripFill.getValue());
        g.fillRect(0, 0, w, h);
        if (w <= 0 || h <= 0) return;
        long most = 1;
        for (int i = 0; i < consoleRows.length; i++) most = Math.max(most, consoleRows[i] + schedulerRows[i]);
        double scale = Math.log1p(most);
        double rowH = consoleRows.length == 0 ? 0 : h / consoleRows.length;
        for (int i = 0; i < consoleRows.length; i++) {
            long c = consoleRows[i];
            long s = schedulerRows[i];
            if (c + s == 0) continue;
            double total = (w - 5) * Math.log1p(c + s) / scale; // the right 4 px are for search ticks
            double sched = total * s / (c + s);
            g.setFill(consoleFill.getValue());
            g.fillRect(1, i * rowH, total - sched, Math.max(1, rowH));
            g.setFill(schedulerFill.getValue());
            g.fillRect(1 + total - sched, i * rowH, sched, Math.max(1, rowH));
        }
        g.setFill(hitFill.getValue());
        boolean[] hitRows = new boolean[(int) Math.ceil(h) + 1]; // a tick per row however many matches share it
        for (long at : hitsNs) hitRows[(int) y(at, h)] = true;
        for (int row = 0; row < hitRows.length; row++) if (hitRows[row]) g.fillRect(w - 4, row, 4, 1);
        if (windowFromNs >= 0) {
            double top = y(windowFromNs, h);
            double bottom = Math.max(top + 3, y(windowToNs, h));
            g.setStroke(thumbStroke.getValue());
            g.setLineWidth(1);
            g.strokeRect(0.5, top + 0.5, w - 1, bottom - top - 1);
        }
    }

    private double y(long ns, double h) {
        return Math.min(h - 1, Math.max(0, (double) ns / Math.max(1, spanNs) * h));
    }

    private void onPointer(MouseEvent e) {
        if (getHeight() <= 0) return;
        double fraction = Math.min(1, Math.max(0, e.getY() / getHeight()));
        showTime.accept((long) (fraction * spanNs));
        e.consume();
    }
}
