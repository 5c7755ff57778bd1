package dev.freezeframe.app.ui.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.ui.source.RunEventSource;
import dev.freezeframe.app.ui.source.TestRunArchives;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimeWindow;
import dev.freezeframe.timeline.TimelineSelection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The console drawer over real archives: live tail windowing (C1), jumps (C2), search (C3), shared selection. */
@ExtendWith(ApplicationExtension.class)
class ConsoleViewTest {
    /** About a million console-lane lines (console and scheduler) among 1.3 M events. */
    private static final long BIG_EVENTS = 1_300_000;

    @TempDir
    static Path shared;
    static Path bigDb;
    static long bigRun;

    @TempDir
    Path dir;
    private Stage stage;
    private ConsoleView view;

    @BeforeAll
    static void recordABigRun() {
        bigDb = shared.resolve("big.db");
        bigRun = TestRunArchives.finishedMixedRun(bigDb, BIG_EVENTS);
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet());
        stage.setScene(new Scene(new Label("loading"), 1000, 400));
        stage.show();
    }

    @AfterEach
    void closeView(FxRobot robot) {
        if (view != null) robot.interact(view::close);
    }

    private ConsoleView mount(FxRobot robot, RunContext context, RunEventSource source) {
        robot.interact(() -> {
            view = new ConsoleView(context, source);
            stage.getScene().setRoot(view);
        });
        return view;
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        try {
            // the condition reads the area's layout, which only the FX thread may touch
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(condition));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The row the canvas last painted for line {@code i} (waits until a redraw shows it). */
    private static ConsoleCanvas.Row painted(ConsoleWindow w, int i) throws Exception {
        await("line " + i + " is painted", () -> {
            int row = i - w.canvas().lastFrameTop();
            return row >= 0 && row < w.canvas().lastFrame().size();
        });
        return onFx(() -> w.canvas().lastFrame().get(i - w.canvas().lastFrameTop()));
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void c1LiveLinesStayWithinTenThousandParagraphsAndTheTailStaysVisible(FxRobot robot) throws Exception {
        Path db = dir.resolve("live.db");
        AtomicLong committed = new AtomicLong(-1);
        try (Archive archive = Archive.open(db)) {
            long run = archive.createRun(TestRunArchives.config(), Instant.now(), Optional.empty());
            RunContext context = new RunContext(new TimeWindow(0, 1_000_000));
            robot.interact(() -> context.setFollowTail(true));
            mount(robot, context, RunEventSource.live(db, run, committed::get));
            AtomicInteger most = new AtomicInteger();
            // every redraw: the lines the window holds at that moment
            robot.interact(() -> view.window().canvas().topProperty().addListener(
                    o -> most.accumulateAndGet(view.window().size(), Math::max)));
            javafx.animation.AnimationTimer peak = new javafx.animation.AnimationTimer() {
                @Override
                public void handle(long now) {
                    most.accumulateAndGet(view.window().size(), Math::max);
                }
            };
            robot.interact(peak::start);
            assertTrue(onFx(() -> robot.lookup("#consoleEmpty").queryAs(Label.class).isVisible()));

            int total = 100_000;
            try (EventIngest ingest = archive.startIngest(run)) {
                for (int seq = 0; seq < total; seq++) {
                    ingest.append(TestRunArchives.consoleLine(seq));
                    if (seq % 2_500 == 2_499) {
                        ingest.flush();
                        committed.set(seq);
                    }
                }
            }
            String lastLine = ConsoleFormat.paragraph(TestRunArchives.consoleLine(total - 1));
            await("the last line is shown", () -> {
                ConsoleWindow w = view.window();
                return !w.isEmpty() && w.last().seq() == total - 1
                        && w.isVisible(w.size() - 1);
            });
            ConsoleWindow w = view.window();
            assertTrue(most.get() <= ConsoleWindow.MAX_PARAGRAPHS, "paragraphs peaked at " + most.get());
            // 2 500 lines a flush is a flood (more than TAIL_JUMP behind): the window jumps to the tail's last lines
            assertTrue(most.get() >= ConsoleView.LIVE_TAIL_LINES, "the window shows the tail: " + most.get());
            robot.interact(peak::stop);
            await("the tail is painted", () -> {
                List<ConsoleCanvas.Row> frame = w.canvas().lastFrame();
                return !frame.isEmpty() && frame.getLast().text().equals(lastLine);
            });
            assertEquals(w.size() - 1, (int) onFx(() -> w.canvas().lastVisible()));
            assertTrue(view.isFollowing());
            assertTrue(!onFx(() -> robot.lookup("#consoleEmpty").queryAs(Label.class).isVisible()));
        }
    }

    @Test
    void c2CursorToTheMiddleOfAMillionLinesShowsAndBandsThatLine(FxRobot robot) throws Exception {
        RunContext context = new RunContext(new TimeWindow(0, BIG_EVENTS * TestRunArchives.NS_PER_EVENT));
        mount(robot, context, RunEventSource.archived(bigDb, bigRun));
        await("the first page", () -> !view.window().isEmpty());
        assertEquals(0, view.window().first().seq(), "an archived run opens at the cursor, its start");

        long middle = BIG_EVENTS / 2 + 1; // seq 650 001: a console line
        RunEvent line = TestRunArchives.mixed(middle);
        assertEquals(dev.freezeframe.coordinator.model.Lane.CONSOLE, line.lane());
        robot.interact(() -> context.setCursor(line.atNanos()));
        await("the middle line is banded and visible", () -> {
            ConsoleWindow w = view.window();
            int at = w.indexOfSeq(middle);
            return w.bandSeq() == middle && at >= 0 && w.isVisible(at);
        });
        ConsoleWindow w = view.window();
        int at = w.indexOfSeq(middle);
        assertEquals("   +0.650 console console line 650001", painted(w, at).text());
        assertEquals(at, (int) onFx(w::bandIndex));
        assertTrue(w.size() <= ConsoleWindow.MAX_PARAGRAPHS);
        // scheduler stderr lines are tagged sched and styled apart
        int stderr = at + 1; // seq 650 002 is a scheduler stderr line
        assertEquals(dev.freezeframe.coordinator.model.Lane.SCHEDULER, w.lines().get(stderr).lane());
        assertEquals("   +0.650 sched   scx_qmap: tick 650002", painted(w, stderr).text());
        Object stderrFill = onFx(() -> w.canvas().fillOf(ConsoleFormat.Style.STDERR));
        assertEquals(stderrFill, painted(w, stderr).textFill());
        assertTrue(!stderrFill.equals(painted(w, at).textFill()), "a console line is not painted as stderr");

        // a time between two lines bands the last line before it
        RunEvent stats = TestRunArchives.mixed(middle + 3);
        assertEquals(dev.freezeframe.coordinator.model.Lane.STATS, stats.lane());
        robot.interact(() -> context.setCursor(stats.atNanos()));
        await("the line before the stats sample is banded", () -> view.window().bandSeq() == middle + 2);

        // scrolling to the top of the window pages earlier lines in; the window stays bounded
        long firstBefore = w.first().seq();
        robot.interact(() -> w.canvas().showAtTop(0));
        await("earlier lines paged in", () -> view.window().first().seq() < firstBefore);
        assertTrue(w.size() <= ConsoleWindow.MAX_PARAGRAPHS);
    }

    @Test
    void c3SearchCountsTheArchiveMatchesAndEnterCycles(FxRobot robot) throws Exception {
        List<RunEvent> expected;
        try (Archive archive = Archive.open(bigDb)) {
            expected = archive.runs().search(bigRun, "stall", ConsoleFormat.LANES, Integer.MAX_VALUE);
        }
        assertTrue(expected.size() > 100, "the run has stall lines: " + expected.size());
        RunContext context = new RunContext(new TimeWindow(0, BIG_EVENTS * TestRunArchives.NS_PER_EVENT));
        mount(robot, context, RunEventSource.archived(bigDb, bigRun));
        await("the first page", () -> !view.window().isEmpty());

        robot.clickOn(view.window().canvas());
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        robot.write("stall").type(KeyCode.ENTER);
        await("the search answered", () -> view.matchCount() > 0);
        assertEquals(expected.size(), view.matchCount());
        Label count = robot.lookup("#consoleSearchCount").queryAs(Label.class);
        long clicked = onFx(() -> view.window().bandSeq());
        int first = view.currentMatch();
        assertTrue(expected.get(first).seq() >= clicked, "search starts at the selected line");
        assertEquals((first + 1) + " of " + expected.size(), onFx(count::getText));
        await("the first match is selected", () -> view.window().bandSeq() == expected.get(first).seq());

        robot.type(KeyCode.ENTER);
        await("Enter goes to the next match", () -> view.window().bandSeq() == expected.get(first + 1).seq());
        assertEquals((first + 2) + " of " + expected.size(), onFx(count::getText));
        TimelineSelection selected = onFx(context::selection);
        assertEquals(new TimelineSelection.ConsoleLine(expected.get(first + 1).seq(),
                expected.get(first + 1).atNanos()), selected);

        robot.press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT);
        await("Shift+Enter goes back", () -> view.window().bandSeq() == expected.get(first).seq());

        // far matches page the window: the last one (Shift+Enter from the first wraps when it is match 0)
        for (int i = 0; i <= first; i++) robot.press(KeyCode.SHIFT).type(KeyCode.ENTER).release(KeyCode.SHIFT);
        RunEvent last = expected.getLast();
        await("wrapped to the last match", () -> view.window().bandSeq() == last.seq());
        int at = view.window().indexOfSeq(last.seq());
        assertTrue(painted(view.window(), at).text().endsWith("runnable task stall"));
    }

    @Test
    void clickingALineSelectsItAndMovesTheCursor(FxRobot robot) throws Exception {
        RunContext context = new RunContext(new TimeWindow(0, BIG_EVENTS * TestRunArchives.NS_PER_EVENT));
        mount(robot, context, RunEventSource.archived(bigDb, bigRun));
        await("the first page", () -> !view.window().isEmpty() && view.window().isVisible(3));
        AtomicReference<TimelineSelection> seen = new AtomicReference<>();
        robot.interact(() -> context.selectionProperty().addListener((o, was, now) -> seen.set(now)));
        javafx.geometry.Bounds bounds = onFx(() -> view.window().canvas().rowBoundsOnScreen(3));
        robot.clickOn(bounds.getMinX() + 40, (bounds.getMinY() + bounds.getMaxY()) / 2);
        await("the click selected a line", () -> seen.get() != null);
        RunEvent expected = view.window().lines().get(3);
        assertInstanceOf(TimelineSelection.ConsoleLine.class, seen.get());
        assertEquals(new TimelineSelection.ConsoleLine(expected.seq(), expected.atNanos()), seen.get());
        assertEquals(expected.atNanos(), (long) onFx(context::cursor));
        assertEquals(expected.seq(), view.window().bandSeq());
    }

    @Test
    void theMinimapDrawsTheWholeRunAndAPressThereShowsThoseLines(FxRobot robot) throws Exception {
        RunContext context = new RunContext(new TimeWindow(0, BIG_EVENTS * TestRunArchives.NS_PER_EVENT));
        mount(robot, context, RunEventSource.archived(bigDb, bigRun));
        await("the first page", () -> !view.window().isEmpty());
        ConsoleMinimap minimap = robot.lookup("#consoleMinimap").queryAs(ConsoleMinimap.class);
        await("the densities arrived", () -> java.util.Arrays.stream(minimap.consoleRows()).sum() > 0);
        long console = java.util.Arrays.stream(minimap.consoleRows()).sum();
        long scheduler = java.util.Arrays.stream(minimap.schedulerRows()).sum();
        long[] expected = new long[2];
        for (long seq = 0; seq < BIG_EVENTS; seq++) {
            var lane = TestRunArchives.mixed(seq).lane();
            if (lane == dev.freezeframe.coordinator.model.Lane.CONSOLE) expected[0]++;
            else if (lane == dev.freezeframe.coordinator.model.Lane.SCHEDULER) expected[1]++;
        }
        assertEquals(expected[0], console, "every console line of the run is counted once");
        assertEquals(expected[1], scheduler, "every scheduler line of the run is counted once");

        // a press three quarters down shows the lines three quarters into the run
        javafx.geometry.Bounds b = onFx(() -> minimap.localToScreen(minimap.getLayoutBounds()));
        robot.moveTo(new javafx.geometry.Point2D((b.getMinX() + b.getMaxX()) / 2,
                b.getMinY() + b.getHeight() * 0.75)).press(javafx.scene.input.MouseButton.PRIMARY)
                .release(javafx.scene.input.MouseButton.PRIMARY);
        long quarterToEnd = BIG_EVENTS * 3 / 4;
        await("the window moved three quarters in", () -> {
            ConsoleWindow w = view.window();
            return !w.isEmpty() && w.first().seq() < quarterToEnd + BIG_EVENTS / 50
                    && w.last().seq() > quarterToEnd - BIG_EVENTS / 50 && w.first().seq() > BIG_EVENTS / 2;
        });
    }

    @Test
    void aRunWithoutConsoleOutputSaysSo(FxRobot robot) throws Exception {
        Path db = dir.resolve("quiet.db");
        long run;
        try (Archive archive = Archive.open(db)) {
            run = archive.createRun(TestRunArchives.config(), Instant.now(), Optional.empty());
        }
        mount(robot, new RunContext(new TimeWindow(0, 1000)), RunEventSource.archived(db, run));
        Label empty = robot.lookup("#consoleEmpty").queryAs(Label.class);
        await("loaded", () -> empty.isVisible());
        assertEquals("This run recorded no console output.", onFx(empty::getText));
    }
}
