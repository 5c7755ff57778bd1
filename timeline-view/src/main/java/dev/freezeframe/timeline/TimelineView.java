package dev.freezeframe.timeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.layout.Background;
import javafx.scene.paint.Color;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

/**
 * The run tab's timeline: an overview strip of the whole run, lane shells, and the lanes drawn on one data canvas with
 * one overlay canvas above it (design §5.3). Bound to a {@link RunContext}: it shows the context's window, cursor,
 * hover and selection and changes them only through its intent methods. Data comes from a {@link TimelineSource} on
 * background threads: exact items loaded whole, dense lanes in 256-bucket tiles at about two buckets per pixel.
 *
 * <p>Node ids: {@code #timeline} (this), {@code #overview}, {@code #laneShells}, {@code #timelineLanes} (the canvases'
 * pane: the ruler and the lanes), {@code #liveChip}. Call {@link #dispose()} when the tab
 * closes.
 */
public final class TimelineView extends Region {
    static final double SHELL_WIDTH = 168;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final RunContext context;
    private final TimelineSource source;
    private final TileStore store;
    private final TimelinePalette palette = new TimelinePalette();
    private final OverviewStrip overview;
    private final LaneShells shells = new LaneShells();
    private final Pane shellsViewport = new Pane(shells);
    private final Pane canvasPane = new Pane();
    private final Canvas dataCanvas = new Canvas();
    private final Canvas overlayCanvas = new Canvas();
    private Color lanesBackground;
    private final Label liveChip = new Label("Live ▸");
    private final Label tip = new Label();
    private final Label errorLabel = new Label();
    private final SourcePoller poller;
    private final AtomicBoolean redrawPending = new AtomicBoolean();
    /** At most ten frames a second for a live run's own progress while its tail is followed. */
    static final long FOLLOW_FRAME_NS = 100_000_000L;
    private final AtomicBoolean followRedrawPending = new AtomicBoolean();
    private volatile long lastFrameStartNs = System.nanoTime() - FOLLOW_FRAME_NS;
    private final ReadOnlyObjectWrapper<RenderStats> stats = new ReadOnlyObjectWrapper<>(this, "renderStats",
            RenderStats.NONE);
    private final Set<String> collapsed = new HashSet<>(Set.of(LaneLayout.STATS));
    private final TimelineInput input;
    private java.util.function.Consumer<TimelineItems.Branch> onBranch;

    private TimelineItems items = TimelineItems.EMPTY;
    private LaneLayout layout = LaneLayout.of(TimelineItems.EMPTY, collapsed);
    private long endNs;
    private long version = Long.MIN_VALUE;
    private boolean loaded;
    private double scrollY;
    private long generation;
    private TimeWindow drawnWindow;
    private double drawnWidth = -1;
    private long drawnVersion = Long.MIN_VALUE;
    private long frames;
    private long blankFrames;
    private long lastFrameNanos;
    private long lastFrameCpuNanos;
    private List<Object> lastColumnsKey = List.of();
    private Columns lastColumns;
    private List<Object> lastOverviewKey = List.of();
    private Columns lastOverview;
    private Frame lastFrame;
    private List<TileKey> overviewTiles = List.of();
    private int overviewLevel = -1;
    private OverlayPainter.State overlayState = new OverlayPainter.State(0, -1, TimelineSelection.NONE, -1, -1);
    private volatile boolean disposed;
    private long rulerOrigin;

    public TimelineView(RunContext context, TimelineSource source) {
        this.context = Objects.requireNonNull(context, "context");
        this.source = Objects.requireNonNull(source, "source");
        setId("timeline");
        getStyleClass().add("timeline");
        setFocusTraversable(true);
        store = new TileStore(source, this::requestFollowRedraw, this::showError);
        overview = new OverviewStrip(w -> context.setWindow(clampPan(w)));
        Rectangle shellsClip = new Rectangle();
        shellsClip.widthProperty().bind(shellsViewport.widthProperty());
        shellsClip.heightProperty().bind(shellsViewport.heightProperty());
        shellsViewport.setClip(shellsClip);
        // No clip on the lanes: the canvases are sized to the pane (a clip would only add a clipped render pass).
        overlayCanvas.setMouseTransparent(true);
        canvasPane.setId("timelineLanes");
        canvasPane.getChildren().addAll(dataCanvas, overlayCanvas);
        liveChip.getStyleClass().add("live-chip");
        liveChip.setId("liveChip");
        liveChip.setVisible(false);
        liveChip.setOnMouseClicked(e -> context.setFollowTail(true));
        tip.getStyleClass().add("hover-tip");
        tip.setManaged(false);
        tip.setVisible(false);
        tip.setMouseTransparent(true);
        errorLabel.getStyleClass().add("timeline-error");
        errorLabel.setManaged(false);
        errorLabel.setVisible(false);
        errorLabel.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(overview, shellsViewport, canvasPane, liveChip, errorLabel, tip);
        palette.install(getChildren(), this::requestRedraw);
        rebuildShells();

        input = new TimelineInput(this, context);
        input.install(canvasPane);

        context.windowProperty().addListener((o, a, b) -> requestFollowRedraw());
        context.runEndProperty().addListener((o, a, b) -> requestFollowRedraw());
        context.followTailProperty().addListener((o, a, b) -> updateLiveChip());
        context.cursorProperty().addListener((o, a, b) -> repaintOverlay());
        context.hoverProperty().addListener((o, a, b) -> repaintOverlay());
        context.selectionProperty().addListener((o, a, b) -> repaintOverlay());

        poller = new SourcePoller(source, this::apply, this::showError);
    }

    @Override
    public String getUserAgentStylesheet() {
        return Objects.requireNonNull(TimelineView.class.getResource("timeline.css")).toExternalForm();
    }

    /** Frames drawn, tiles pending, ... — read-only, updated once per frame on the FX thread. */
    public ReadOnlyObjectProperty<RenderStats> renderStatsProperty() {
        return stats.getReadOnlyProperty();
    }

    public RenderStats renderStats() {
        return stats.get();
    }

    /** Stops the background threads; the view draws nothing new afterwards. */
    public void dispose() {
        disposed = true;
        poller.close();
        store.close();
    }

    // ---- data ----

    /** A new version of the run's data (FX thread). */
    private void apply(SourcePoller.Update u) {
        if (disposed) return;
        boolean first = !loaded;
        loaded = true;
        errorLabel.setVisible(false);
        version = u.version();
        endNs = u.endNs();
        items = u.items();
        store.setKnownEnd(endNs);
        store.newData();
        relayout();
        context.setRunEnd(endNs);
        if (first) {
            if (source.live()) context.setFollowTail(true);
            else if (!context.followTailProperty().get()) context.fit();
        }
        updateLiveChip();
        requestFollowRedraw();
    }

    private void showError(String message) {
        Platform.runLater(() -> {
            errorLabel.setText(message);
            errorLabel.setVisible(true);
        });
    }

    // ---- lanes ----

    void toggleGroup(String group) {
        if (!collapsed.remove(group)) collapsed.add(group);
        relayout();
        requestRedraw();
    }

    private void relayout() {
        LaneLayout next = LaneLayout.of(items, collapsed);
        boolean changed = !next.rows().equals(layout.rows());
        layout = next;
        if (changed) rebuildShells();
        double scroll = clampScroll(scrollY);
        // A live run re-applies its items ten times a second; a layout pass is only needed when the lanes changed.
        if (changed || scroll != scrollY) requestLayout();
        scrollY = scroll;
        if (changed) requestRedraw();
    }

    private void rebuildShells() {
        shells.show(layout, collapsed, this::toggleGroup);
    }

    void scrollLanes(double dy) {
        double s = clampScroll(scrollY + dy);
        if (s == scrollY) return;
        scrollY = s;
        requestLayout();
        requestRedraw();
    }

    private double clampScroll(double s) {
        double visible = Math.max(0, canvasPane.getHeight() - Frame.RULER_HEIGHT);
        return Math.max(0, Math.min(s, layout.height() - visible));
    }

    // ---- layout ----

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double oh = OverviewStrip.HEIGHT;
        overview.resizeRelocate(SHELL_WIDTH, 0, Math.max(1, w - SHELL_WIDTH), oh);
        shellsViewport.resizeRelocate(0, oh + Frame.RULER_HEIGHT, SHELL_WIDTH, Math.max(0, h - oh - Frame.RULER_HEIGHT));
        shells.resizeRelocate(0, -scrollY, SHELL_WIDTH, layout.height());
        double cw = Math.max(1, Math.floor(w - SHELL_WIDTH));
        double ch = Math.max(Frame.RULER_HEIGHT, Math.floor(h - oh));
        canvasPane.resizeRelocate(SHELL_WIDTH, oh, cw, ch);
        if (dataCanvas.getWidth() != cw || dataCanvas.getHeight() != ch) {
            dataCanvas.setWidth(cw);
            dataCanvas.setHeight(ch);
            overlayCanvas.setWidth(cw);
            overlayCanvas.setHeight(ch);
            requestRedraw();
        }
        double chipW = liveChip.prefWidth(-1);
        double chipH = liveChip.prefHeight(chipW);
        liveChip.resizeRelocate(w - chipW - 6, oh + (Frame.RULER_HEIGHT - chipH) / 2, chipW, chipH);
        errorLabel.resizeRelocate(SHELL_WIDTH + 4, h - 22, Math.max(1, w - SHELL_WIDTH - 8), 20);
    }

    @Override
    protected double computePrefWidth(double height) {
        return 900;
    }

    @Override
    protected double computePrefHeight(double width) {
        return OverviewStrip.HEIGHT + Frame.RULER_HEIGHT + layout.height();
    }

    /**
     * Makes the ruler, the hover time and item times read from {@code ns} (a run time): 0 there, negative before. The
     * Compare tab sets its alignment point; a run tab keeps the run start (0).
     */
    public void setRulerOrigin(long ns) {
        if (ns == rulerOrigin) return;
        rulerOrigin = ns;
        requestRedraw();
    }

    /** The run time the ruler counts from. */
    public long rulerOrigin() {
        return rulerOrigin;
    }

    // ---- frames ----

    /**
     * Any thread: a redraw for the run's own progress (new data, tiles landing, the window sliding with the tail).
     * While a live run is followed that comes from several sources at 10 Hz each, and a frame of the lanes costs the
     * software renderer about as much as a pulse; so it is drawn at most every {@link #FOLLOW_FRAME_NS}, and in a pulse
     * of its own ({@link PaintTurns}: not one the console or the events table also repaint in). Anything else (zoom,
     * pan, a window the user moved, lanes that changed) is drawn on the next pulse.
     */
    void requestFollowRedraw() {
        if (disposed) return;
        if (!source.live() || !context.followTailProperty().get()) {
            requestRedraw();
        } else if (followRedrawPending.compareAndSet(false, true)) {
            long wait = lastFrameStartNs + FOLLOW_FRAME_NS - System.nanoTime();
            PaintTurns.shared().requestAfter(wait, this, () -> {
                followRedrawPending.set(false);
                if (!disposed) frame();
            });
        }
    }

    /** Any thread: paints once on the next pulse, however many times it is asked before then. */
    void requestRedraw() {
        if (disposed) return;
        if (redrawPending.compareAndSet(false, true)) Platform.runLater(this::frame);
    }

    private void frame() {
        redrawPending.set(false);
        if (disposed) return;
        long t0 = System.nanoTime();
        lastFrameStartNs = t0;
        long c0 = CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : 0;
        double w = dataCanvas.getWidth();
        if (w < 2 || getScene() == null) {
            publishStats();
            return;
        }
        TimeWindow window = context.window();
        if (!window.equals(drawnWindow) || w != drawnWidth || version != drawnVersion) {
            generation++;
            drawnWindow = window;
            drawnWidth = w;
            drawnVersion = version;
        }
        TimeAxis axis = TimeAxis.of(window, w);
        int level = source.answerLevel(axis.idealLevel());
        TimeAxis runAxis = runAxis();
        int ovLevel = runAxis == null ? -1 : source.answerLevel(runAxis.idealLevel());
        List<TileKey> ovTiles = runAxis == null ? List.of() : ColumnAggregator.tilesFor(runAxis, ovLevel, endNs, 0);
        if (!ovTiles.equals(overviewTiles)) {
            store.unpin(overviewTiles);
            overviewTiles = ovTiles;
            overviewLevel = ovLevel;
        }
        store.request(ColumnAggregator.tilesFor(axis, level, endNs, 1), overviewTiles);
        boolean withSeries = !collapsed.contains(LaneLayout.STATS);
        List<Object> columnsKey = List.of(window, w, level, store.epoch(), withSeries, endNs);
        if (!columnsKey.equals(lastColumnsKey)) {
            lastColumns = ColumnAggregator.aggregate(axis, level, endNs, store::get, fallbackLevels(level), withSeries);
            lastColumnsKey = columnsKey;
        }
        Columns columns = lastColumns;
        boolean overviewReady = !overviewTiles.isEmpty() && overviewTiles.stream().allMatch(k -> store.get(k) != null);
        if (columns.uncovered && overviewReady) blankFrames++;
        palette.refresh();
        if (!palette.bg.equals(lanesBackground)) {
            // Opaque, so a live frame's repaint (overview + lanes, one dirty area) starts at this view (the renderer's
            // "render root") instead of repainting every ancestor's background under canvases that cover them anyway.
            lanesBackground = palette.bg;
            setBackground(Background.fill(lanesBackground));
        }
        Frame f = new Frame(axis, dataCanvas.getHeight(), scrollY, layout, items, columns, endNs, level, rulerOrigin);
        DataPainter.paint(dataCanvas.getGraphicsContext2D(), f, palette);
        lastFrame = f;
        paintOverlay();
        if (runAxis != null) {
            List<Object> ovKey = List.of(runAxis, ovLevel, store.epoch());
            if (!ovKey.equals(lastOverviewKey)) {
                lastOverview = ColumnAggregator.aggregate(runAxis, ovLevel, endNs, store::get, fallbackLevels(ovLevel),
                        false);
                lastOverviewKey = ovKey;
            }
            overview.paint(runAxis, lastOverview, items, window, palette);
        }
        frames++;
        lastFrameNanos = System.nanoTime() - t0;
        lastFrameCpuNanos = CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() - c0 : -1;
        publishStats();
    }

    private void publishStats() {
        stats.set(new RenderStats(frames, lastFrameNanos, lastFrameCpuNanos, generation, store.pending(), blankFrames,
                store.hits(), store.misses()));
    }

    /** The whole run over the overview's width, or null before the first load. */
    private TimeAxis runAxis() {
        double ow = overview.canvasWidth();
        if (!loaded || ow < 2) return null;
        return new TimeAxis(0, Math.max(endNs, 1), ow);
    }

    /** Levels to draw from while {@code level}'s tiles load: coarser answer levels, then the overview's. */
    private int[] fallbackLevels(int level) {
        List<Integer> out = new ArrayList<>();
        for (int l = level + 1; l <= level + ColumnAggregator.FALLBACK_LEVELS && l < 62; l++) {
            int a = source.answerLevel(l);
            if (a > level && !out.contains(a)) out.add(a);
        }
        if (overviewLevel >= 0 && !out.contains(overviewLevel) && overviewLevel != level) out.add(overviewLevel);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    void setOverlayDrag(double fromX, double toX) {
        overlayState = new OverlayPainter.State(0, 0, TimelineSelection.NONE, fromX, toX);
        repaintOverlay();
    }

    private void repaintOverlay() {
        if (lastFrame == null) return;
        paintOverlay();
    }

    private void paintOverlay() {
        overlayState = new OverlayPainter.State(context.cursor(), context.hoverProperty().get(), context.selection(),
                overlayState.dragFromX(), overlayState.dragToX());
        OverlayPainter.paint(overlayCanvas.getGraphicsContext2D(), lastFrame, palette, overlayState);
    }

    private void updateLiveChip() {
        boolean following = context.followTailProperty().get();
        liveChip.setVisible(following || source.live());
        liveChip.getStyleClass().remove("paused");
        if (!following) liveChip.getStyleClass().add("paused");
    }

    /**
     * What a click on a fork branch does (the workbench opens that run); a branch is a link to another run, so it is
     * not a selection of this one. Null: clicks on branches only move the cursor.
     */
    public void setOnBranch(java.util.function.Consumer<TimelineItems.Branch> action) {
        onBranch = action;
    }

    /** Reads the run's items again (an ended run is read once; a new fork of it adds a branch). */
    public void reload() {
        poller.pollOnce();
    }

    /** Follows a click on a fork branch; false when nobody listens. */
    boolean openBranch(TimelineItems.Branch branch) {
        if (onBranch == null) return false;
        onBranch.accept(branch);
        return true;
    }

    // ---- for input and tests ----

    /** The frame last drawn (its axis, rows, glyph clusters, frozen spans), or null before the first one. */
    Frame lastFrame() {
        return lastFrame;
    }

    /** The exact items drawn now (steps, lifecycle, snapshots, watch hits, frozen spans). */
    public TimelineItems items() {
        return items;
    }

    long endNs() {
        return endNs;
    }

    Label tip() {
        return tip;
    }

    Pane canvasPane() {
        return canvasPane;
    }

    double overviewHeight() {
        return OverviewStrip.HEIGHT;
    }

    OverviewStrip overview() {
        return overview;
    }

    /** {@code w} kept inside a sensible range: no further left than one window before the start or past the end. */
    TimeWindow clampPan(TimeWindow w) {
        long span = w.spanNs();
        long end = Math.max(endNs, 1);
        long from = Math.max(-span / 2, Math.min(w.fromNs(), end - span / 2));
        return w.startingAt(from);
    }
}
