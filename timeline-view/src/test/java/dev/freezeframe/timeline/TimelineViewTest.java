package dev.freezeframe.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.SnapshotKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The timeline control on the headless glass over an in-memory source (checks T1, T2, T4, T7–T11). */
@ExtendWith(ApplicationExtension.class)
class TimelineViewTest {
    static final long S = 1_000_000_000L;
    static final long END = 30 * S;

    private final List<Throwable> fxErrors = Collections.synchronizedList(new ArrayList<>());
    private Stage stage;
    private RunContext context;
    private MemorySource source;
    private TimelineView view;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> fxErrors.add(e));
        stage.setScene(new Scene(new javafx.scene.layout.StackPane(), 1400, 700));
        stage.show();
    }

    @AfterEach
    void tearDown() {
        if (view != null) view.dispose();
        if (source != null) source.release();
    }

    private static MemorySource archivedRun() {
        Random r = new Random(11);
        MemorySource s = new MemorySource(END);
        long[] console = new long[60_000];
        for (int i = 0; i < console.length; i++) console[i] = r.nextLong(END);
        s.lane(Lane.CONSOLE, console);
        long[] sched = new long[5_000];
        for (int i = 0; i < sched.length; i++) sched[i] = r.nextLong(END);
        s.lane(Lane.SCHEDULER, sched);
        long[] st = new long[3000];
        double[] v = new double[3000];
        for (int i = 0; i < st.length; i++) {
            st[i] = i * (END / st.length);
            v[i] = Math.sin(i / 50.0) * 100;
        }
        s.series("nr_queued", st, v);
        List<TimelineItems.SnapshotMark> snaps = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            snaps.add(new TimelineItems.SnapshotMark(100 + i, String.format("periodic_%03d", i), SnapshotKind.PERIODIC,
                    (2 + 2L * i) * S + S / 3, false, 0));
        }
        snaps.add(new TimelineItems.SnapshotMark(200, "total_forks", SnapshotKind.WATCH, 7 * S, false, 1));
        snaps.add(new TimelineItems.SnapshotMark(300, "error", SnapshotKind.ERROR, 27 * S, false, 0));
        snaps.add(new TimelineItems.SnapshotMark(400, "mine", SnapshotKind.REQUESTED, 15 * S, true, 0));
        // two snapshots 1 ns apart: one glyph at any zoom coarser than a nanosecond per pixel
        snaps.add(new TimelineItems.SnapshotMark(500, "pair_a", SnapshotKind.REQUESTED, 11 * S, false, 0));
        snaps.add(new TimelineItems.SnapshotMark(501, "pair_b", SnapshotKind.REQUESTED, 11 * S + 1, false, 0));
        List<TimelineItems.Point> life = List.of(
                new TimelineItems.Point(1, 0, "run_started", "run", null),
                new TimelineItems.Point(2, S, "sys_ready", "guest agent ready", null),
                new TimelineItems.Point(3, 20 * S, "frozen", "guest frozen", null),
                new TimelineItems.Point(4, 20 * S + 1_500_000_000L, "resumed", "guest resumed",
                        "{\"frozen_at_ns\": 20000000000, \"frozen_ns\": 1500000000, \"guest_clock\": \"paused\"}"));
        List<TimelineItems.StepStart> stepStarts = List.of(new TimelineItems.StepStart(S, 0, "baseline"),
                new TimelineItems.StepStart(10 * S, 1, "pingpong"),
                new TimelineItems.StepStart(20 * S, 2, "cooldown"));
        s.items(new TimelineItems(TimelineItems.stepsFromStarts(stepStarts, END), life, snaps,
                List.of(new TimelineItems.WatchHit(9, 7 * S, 1, "total_forks hit 1")), List.of(), List.of()));
        return s;
    }

    private void mount(FxRobot robot, MemorySource s) throws Exception {
        source = s;
        robot.interact(() -> {
            context = new RunContext(new TimeWindow(0, S));
            view = new TimelineView(context, s);
            stage.getScene().setRoot(view);
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.endNs() == s.endNs() && view.lastFrame() != null);
        idle();
    }

    /** Waits until the frame for the current window is drawn and no tile is pending. */
    private void idle() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> {
            RenderStats st = view.renderStats();
            Frame f = view.lastFrame();
            return st.pendingTiles() == 0 && f != null && f.axis.fromNs() == context.window().fromNs()
                    && f.axis.toNs() == context.window().toNs();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private <T> T fx(Supplier<T> s) {
        return WaitForAsyncUtils.waitFor(WaitForAsyncUtils.asyncFx(s::get));
    }

    /** Screen point of canvas coordinates (x, y). */
    private Point2D screen(double x, double y) {
        return fx(() -> view.canvasPane().localToScreen(x, y));
    }

    private double rowCentre(LaneRow.Kind kind) {
        return fx(() -> {
            Frame f = view.lastFrame();
            LaneRow r = f.layout.find(kind, 0, null);
            return f.top(r) + r.height() / 2;
        });
    }

    private void setWindow(FxRobot robot, TimeWindow w) throws Exception {
        robot.interact(() -> context.setWindow(w));
        idle();
    }

    @Test
    void opensFittedWithTheNodeIdsAndDrawsTheDenseLanes(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        assertEquals(new TimeWindow(0, END), context.window(), "an archived run opens fitted");
        assertTrue(robot.lookup("#timeline").tryQuery().isPresent());
        assertTrue(robot.lookup("#overview").tryQuery().isPresent());
        assertTrue(robot.lookup("#laneShells").tryQuery().isPresent());
        Frame f = view.lastFrame();
        assertTrue(f.columns.exact);
        assertEquals(60_000, f.columns.total(Lane.CONSOLE), 1e-6, "every console event in some column");
        assertEquals(0, view.renderStats().blankFrames());
        assertTrue(fxErrors.isEmpty(), () -> fxErrors.toString());
        // for a person to look at: the whole run, then the Stats group opened and zoomed on the frozen span
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
        robot.interact(() -> context.select(new TimelineSelection.Snapshot(103, "periodic_003", 8 * S + S / 3)));
        robot.interact(() -> UiSnapshots.writePng(stage.getScene(), java.nio.file.Path.of("target", "timeline.png")));
        robot.interact(() -> view.toggleGroup(LaneLayout.STATS));
        setWindow(robot, new TimeWindow(19 * S, 23 * S));
        robot.moveTo(screen(500, rowCentre(LaneRow.Kind.DENSITY)));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> UiSnapshots.writePng(stage.getScene(), java.nio.file.Path.of("target", "timeline-zoom.png")));
        robot.interact(() -> Application.setUserAgentStylesheet(new atlantafx.base.theme.PrimerDark().getUserAgentStylesheet()));
        robot.interact(() -> context.setCursor(20 * S + S / 2));
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> UiSnapshots.writePng(stage.getScene(), java.nio.file.Path.of("target", "timeline-dark.png")));
        robot.interact(() -> Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet()));
    }

    @Test
    void zoomAtTheMouseKeepsTheTimeUnderItWithinOnePixel(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        robot.clickOn(screen(400, 5)); // focus (a ruler click only moves the cursor)
        double x = 800;
        robot.moveTo(screen(x, rowCentre(LaneRow.Kind.DENSITY)));
        idle();
        long before = view.lastFrame().axis.ns(x);
        for (KeyCode k : new KeyCode[] {KeyCode.W, KeyCode.W, KeyCode.W, KeyCode.S, KeyCode.S}) {
            robot.type(k);
            idle();
            TimeAxis a = view.lastFrame().axis;
            assertEquals(a.x(before), x, 1.0, "after " + k + " the time under the mouse stays put");
        }
        assertEquals(END / 2, context.window().spanNs(), END / 1000.0, "three ×2 in, two ×2 out");
    }

    @Test
    void tapDPansAQuarterAndTapWHalves(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        setWindow(robot, new TimeWindow(10 * S, 14 * S));
        robot.clickOn(screen(400, 5));
        robot.moveTo(screen(600, rowCentre(LaneRow.Kind.DENSITY)));
        TimeWindow w0 = context.window();
        robot.type(KeyCode.D);
        idle();
        TimeWindow w1 = context.window();
        assertEquals(w0.spanNs() / 4.0, w1.fromNs() - w0.fromNs(), w0.spanNs() / 400.0);
        assertEquals(w0.spanNs(), w1.spanNs());
        long under = view.lastFrame().axis.ns(600);
        robot.type(KeyCode.W);
        idle();
        TimeWindow w2 = context.window();
        assertEquals(w1.spanNs() / 2.0, w2.spanNs(), w1.spanNs() / 100.0);
        assertEquals(600, view.lastFrame().axis.x(under), 1.0, "centred on the mouse");
        robot.type(KeyCode.A);
        idle();
        assertEquals(-w2.spanNs() / 4.0, context.window().fromNs() - w2.fromNs(), w2.spanNs() / 400.0);
    }

    @Test
    void forkBranchesGetTheirOwnLaneAndAClickOpensTheirRun(FxRobot robot) throws Exception {
        MemorySource s = archivedRun();
        TimelineItems.Branch fork = new TimelineItems.Branch(6 * S + S / 3, 14, "fork #14 from periodic_002", false);
        TimelineItems.Branch origin = new TimelineItems.Branch(0, 3, "forked from run 3 at periodic_001 (4.33 s)",
                true);
        s.items(s.items().withBranches(List.of(fork, origin)));
        mount(robot, s);
        java.util.concurrent.atomic.AtomicReference<TimelineItems.Branch> opened =
                new java.util.concurrent.atomic.AtomicReference<>();
        robot.interact(() -> view.setOnBranch(opened::set));
        LaneRow lane = fx(() -> view.lastFrame().layout.find(LaneRow.Kind.BRANCHES, 0, null));
        assertNotNull(lane, "a run with forks has a forks lane");
        assertEquals("forks", lane.label());
        assertEquals(null, lane.lane(), "forks are not events of the run: an area drag does not count them");
        double x = fx(() -> view.lastFrame().axis.x(fork.atNs()));
        robot.moveTo(screen(x, rowCentre(LaneRow.Kind.BRANCHES)));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> HoverText.at(view.lastFrame(), x, rowCentre(LaneRow.Kind.BRANCHES)))
                .contains("fork #14 from periodic_002"));
        TimelineSelection before = context.selection();
        robot.clickOn(screen(x, rowCentre(LaneRow.Kind.BRANCHES)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(fork, opened.get(), "the click opens the fork");
        assertEquals(before, context.selection(), "a branch is a link, not a selection of this run");
        robot.clickOn(screen(fx(() -> view.lastFrame().axis.x(0)) + 2, rowCentre(LaneRow.Kind.BRANCHES)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(origin, opened.get(), "the origin at the start opens the parent");
    }

    @Test
    void aRunWithoutForksHasNoForksLane(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        assertEquals(null, fx(() -> view.lastFrame().layout.find(LaneRow.Kind.BRANCHES, 0, null)));
    }

    @Test
    void clickingASnapshotGlyphSelectsItWithoutMovingTheWindow(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        TimelineItems.SnapshotMark target = view.items().snapshots().stream()
                .filter(s -> s.tag().equals("periodic_003")).findFirst().orElseThrow();
        TimeWindow before = context.window();
        double x = view.lastFrame().axis.x(target.atNs());
        robot.clickOn(screen(x, rowCentre(LaneRow.Kind.SNAPSHOTS)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new TimelineSelection.Snapshot(target.id(), "periodic_003", target.atNs()), context.selection());
        assertEquals(target.atNs(), context.cursor());
        assertEquals(before, context.window());
        // an empty spot of a lane moves the cursor and clears the selection
        robot.clickOn(screen(x + 40, rowCentre(LaneRow.Kind.DENSITY)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(TimelineSelection.NONE, context.selection());
        assertEquals(view.lastFrame().axis.ns(x + 40), context.cursor(), view.lastFrame().axis.nsPerPixel());
    }

    @Test
    void dragOnTheLanesSelectsAnArea(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        double y = rowCentre(LaneRow.Kind.DENSITY);
        Frame f = view.lastFrame();
        robot.drag(screen(200, y)).dropTo(screen(500, y));
        WaitForAsyncUtils.waitForFxEvents();
        TimelineSelection.Area a = (TimelineSelection.Area) context.selection();
        assertEquals(f.axis.ns(200), a.fromNs(), 2 * f.axis.nsPerPixel());
        assertEquals(f.axis.ns(500), a.toNs(), 2 * f.axis.nsPerPixel());
        assertTrue(a.lanes().contains(Lane.CONSOLE));
    }

    @Test
    void twentyQuickZoomStepsEndOnTheLastWindowWithNothingPending(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        long g0 = view.renderStats().appliedGeneration();
        Platform.runLater(() -> {
            for (int i = 0; i < 20; i++) {
                int step = i;
                // each step in its own runnable so frames interleave with the zooms, as with a held key
                Platform.runLater(() -> context.setWindow(context.window()
                        .zoomedAround(13 * S, step % 3 == 2 ? 1.3 : 0.7)));
            }
        });
        idle();
        RenderStats st = view.renderStats();
        assertEquals(0, st.pendingTiles());
        assertTrue(st.appliedGeneration() > g0 && st.appliedGeneration() <= g0 + 20, st.toString());
        Frame f = view.lastFrame();
        assertEquals(context.window().fromNs(), f.axis.fromNs(), "the last window is the one drawn");
        assertEquals(context.window().spanNs(), f.axis.spanNs());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(st.appliedGeneration(), view.renderStats().appliedGeneration(), "no later generation applied");
        assertTrue(f.columns.exact, "the last frame has every tile of its level");
        assertTrue(fxErrors.isEmpty(), () -> fxErrors.toString());
    }

    @Test
    void zoomingWhileTilesLoadNeverDrawsABlankFrame(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        robot.clickOn(screen(400, 5));
        robot.moveTo(screen(700, rowCentre(LaneRow.Kind.DENSITY)));
        source.hold();
        long framesBefore = view.renderStats().frames();
        for (int i = 0; i < 6; i++) robot.type(KeyCode.W);
        WaitForAsyncUtils.waitForFxEvents();
        Frame during = view.lastFrame();
        assertTrue(view.renderStats().frames() > framesBefore);
        assertTrue(view.renderStats().pendingTiles() > 0, "fine tiles are still loading");
        assertFalse(during.columns.exact, "drawn from a coarser level while the fine one loads");
        assertTrue(during.columns.total(Lane.CONSOLE) > 0, "the coarser level shows the events");
        assertEquals(0, view.renderStats().blankFrames());
        source.release();
        idle();
        assertTrue(view.lastFrame().columns.exact);
        assertEquals(0, view.renderStats().blankFrames());
    }

    @Test
    void followTailKeepsTheRightEdgeAtTheRunEndUntilPannedLeft(FxRobot robot) throws Exception {
        MemorySource live = new MemorySource(5 * S).live(true);
        long[] t = new long[20_000];
        for (int i = 0; i < t.length; i++) t[i] = i * (60 * S / t.length);
        live.lane(Lane.CONSOLE, t);
        mount(robot, live);
        assertTrue(context.followTailProperty().get(), "a live run follows its tail");
        for (long end = 6 * S; end <= 9 * S; end += S) {
            live.grow(end);
            long e = end;
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> context.runEndProperty().get()) == e);
            assertEquals(end, context.window().toNs(), "right edge at the run's end");
        }
        idle();
        assertTrue(robot.lookup("#liveChip").query().isVisible());
        robot.clickOn(screen(300, 5));
        robot.type(KeyCode.A);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(context.followTailProperty().get(), "panning left stops following");
        live.grow(10 * S);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> context.runEndProperty().get()) == 10 * S);
        assertTrue(context.window().toNs() < 10 * S);
        robot.type(KeyCode.END);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(context.followTailProperty().get());
        assertEquals(10 * S, context.window().toNs());
        idle();
        Frame f = view.lastFrame();
        long bucket = 1L << f.level;
        assertEquals(live.count(Lane.CONSOLE, Math.floorDiv(f.axis.fromNs(), bucket) * bucket, 10 * S),
                f.columns.total(Lane.CONSOLE), 1e-6, "the tile holding the previous end was fetched again");
    }

    @Test
    void twoSnapshotsOnePixelApartAreOneGlyphWithACount(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        double width = fx(() -> view.lastFrame().axis.widthPx());
        // one nanosecond per pixel: the pair (1 ns apart) is drawn 1 px apart
        setWindow(robot, new TimeWindow(11 * S - 600, 11 * S - 600 + Math.round(width)));
        Frame f = view.lastFrame();
        assertEquals(1.0, f.axis.x(11 * S + 1) - f.axis.x(11 * S), 0.01);
        Frame.GlyphRow row = f.glyphRow(f.layout.find(LaneRow.Kind.SNAPSHOTS, 0, null));
        var pair = row.clusters().stream().filter(c -> c.count() == 2).toList();
        assertEquals(1, pair.size(), row.clusters().toString());
        assertEquals(500, ((TimelineItems.SnapshotMark) row.items().get(pair.getFirst().first())).id());
        double x = pair.getFirst().x();
        double y = rowCentre(LaneRow.Kind.SNAPSHOTS);
        robot.moveTo(screen(x, y));
        WaitForAsyncUtils.waitForFxEvents();
        String tip = view.tip().getText();
        assertTrue(tip.contains("2 items") && tip.contains("pair_a") && tip.contains("pair_b"), tip);
        robot.clickOn(screen(x, y));
        WaitForAsyncUtils.waitForFxEvents();
        ContextMenu menu = (ContextMenu) Window.getWindows().stream().filter(w -> w instanceof ContextMenu)
                .filter(Window::isShowing).findFirst().orElseThrow();
        assertEquals(2, menu.getItems().size());
        robot.interact(() -> menu.getItems().get(1).fire());
        assertEquals(501, ((TimelineSelection.Snapshot) context.selection()).snapshotId());
        // zoomed in until they are more than 6 px apart, they are two glyphs
        setWindow(robot, new TimeWindow(11 * S - 50, 11 * S + 50));
        Frame g = view.lastFrame();
        assertTrue(g.axis.x(11 * S + 1) - g.axis.x(11 * S) > 6);
        Frame.GlyphRow row2 = g.glyphRow(g.layout.find(LaneRow.Kind.SNAPSHOTS, 0, null));
        assertEquals(2, row2.clusters().size());
    }

    @Test
    void aRulerOriginMakesTheRulerAndTheHoverTimeReadFromIt(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        robot.interact(() -> view.setRulerOrigin(10 * S));
        setWindow(robot, new TimeWindow(8 * S, 14 * S));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.lastFrame().originNs == 10 * S);
        Frame f = view.lastFrame();
        var ticks = RulerTicks.of(f.axis, f.originNs);
        long step = RulerTicks.step(f.axis);
        assertEquals(8 * S, ticks.getFirst().ns());
        assertEquals(RulerTicks.label(-2 * S, step), ticks.getFirst().label());
        assertTrue(ticks.getFirst().label().startsWith("-2"), ticks.getFirst().label());
        assertTrue(ticks.stream().anyMatch(t -> t.ns() == 10 * S && t.label().startsWith("+0")), ticks.toString());
        // the hover over the ruler at run time 9 s reads one second before the origin
        robot.moveTo(screen(f.axis.x(9 * S), 8));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.tip().isVisible());
        String tip = view.tip().getText();
        double read = Double.parseDouble(tip.replace(" s", ""));
        assertEquals(-1.0, read, 2 * f.axis.nsPerPixel() / 1e9, tip);
    }

    @Test
    void aFrozenSpanIsHatchedOverItsTimeOnTheRuler(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        setWindow(robot, new TimeWindow(19 * S, 23 * S));
        Frame f = view.lastFrame();
        assertEquals(1, f.frozenXs.size());
        double[] xs = f.frozenXs.getFirst();
        double bucketPx = (1L << f.level) / f.axis.nsPerPixel();
        assertEquals(f.axis.x(20 * S), xs[0], Math.max(1, bucketPx));
        assertEquals(f.axis.x(21_500_000_000L), xs[1], Math.max(1, bucketPx));
        assertEquals(1.5 * S / f.axis.nsPerPixel(), xs[1] - xs[0], 1.0);
        robot.moveTo(screen((xs[0] + xs[1]) / 2, 8));
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> view.tip().isVisible());
        assertEquals("guest frozen 1.50 s, guest clock paused", view.tip().getText());
    }

    @Test
    void doubleClickOnTheRulerFitsAndTheOverviewShowsTheWindow(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        setWindow(robot, new TimeWindow(10 * S, 13 * S));
        double[] v = fx(() -> view.overview().viewportXs());
        double ow = fx(() -> view.overview().canvasWidth());
        assertEquals(ow * 10 / 30, v[0], 1.0);
        assertEquals(ow * 13 / 30, v[1], 1.0);
        // drag the viewport rectangle right by a tenth of the strip: the window moves by a tenth of the run
        Point2D from = fx(() -> view.overview().localToScreen((v[0] + v[1]) / 2, 10));
        robot.drag(from).dropTo(from.add(ow / 10, 0));
        idle();
        assertEquals(13 * S, context.window().fromNs(), 2.0 * END / ow);
        robot.doubleClickOn(screen(300, 6));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new TimeWindow(0, END), context.window());
        assertNotNull(view.lastFrame());
    }

    /** A wheel notch over the lanes at canvas x, y (the headless glass does not report modifier keys on scrolls). */
    private void wheel(FxRobot robot, double x, double y, double deltaY, boolean ctrl, boolean shift) {
        robot.interact(() -> {
            javafx.scene.Node lanes = view.canvasPane();
            Point2D sc = lanes.localToScene(x, y);
            Point2D scr = lanes.localToScreen(x, y);
            lanes.fireEvent(new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL, sc.getX(),
                    sc.getY(), scr.getX(), scr.getY(), shift, ctrl, false, false, false, false, 0, deltaY, 0, deltaY,
                    javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                    javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
        });
    }

    @Test
    void ctrlWheelZoomsAtTheMouseShiftWheelPansAndTheWheelScrollsLanes(FxRobot robot) throws Exception {
        mount(robot, archivedRun());
        robot.interact(() -> view.toggleGroup(LaneLayout.STATS));
        setWindow(robot, new TimeWindow(10 * S, 14 * S));
        double x = 500;
        double y = rowCentre(LaneRow.Kind.DENSITY);
        long under = view.lastFrame().axis.ns(x);
        wheel(robot, x, y, 120, true, false);
        idle();
        assertEquals(2 * S, context.window().spanNs(), 2.0, "a notch up zooms in ×2");
        assertEquals(x, view.lastFrame().axis.x(under), 1.0, "at the mouse");
        TimeWindow before = context.window();
        wheel(robot, x, y, -40, false, true);
        idle();
        assertEquals(before.spanNs(), context.window().spanNs());
        assertEquals(40 * view.lastFrame().axis.nsPerPixel(), context.window().fromNs() - before.fromNs(), 2.0,
                "Shift+wheel pans by the wheel's pixels");
        // a short stage so the lanes overflow, then the plain wheel scrolls them and the window stays
        robot.interact(() -> stage.setHeight(260));
        idle();
        TimeWindow w = context.window();
        wheel(robot, x, 60, -40, false, false);
        idle();
        assertEquals(w, context.window());
        assertEquals(40, view.lastFrame().scrollY, 1e-9, "lanes scrolled");
    }
}
