package dev.freezeframe.app.ui.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.source.RunEventSource;
import dev.freezeframe.app.ui.source.TestRunArchives;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimeWindow;
import dev.freezeframe.timeline.TimelineSelection;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextField;
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

/** The events drawer over real archives: a 1 M-event run (E1), filters (E2), shared selection, live growth. */
@ExtendWith(ApplicationExtension.class)
class EventsTableViewTest {
    private static final int EVENTS = 1_000_000;

    @TempDir
    static Path shared;
    static Path db;
    static long run;

    @TempDir
    Path dir;
    private Stage stage;
    private EventsTableView view;

    @BeforeAll
    static void recordAMillionEvents() {
        db = shared.resolve("events.db");
        run = TestRunArchives.finishedMixedRun(db, EVENTS);
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

    private void mount(FxRobot robot, RunContext context, RunEventSource source) {
        robot.interact(() -> {
            view = new EventsTableView(context, source);
            stage.getScene().setRoot(view);
        });
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> onFx(condition));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private RunEvent loaded(int row) {
        EventRow r = view.rows().peek(row);
        return r == null ? null : r.event();
    }

    /** The event a visible table row shows, or null when the row is not on screen or still a placeholder. */
    private RunEvent shownInRow(FxRobot robot, int row) {
        return onFx(() -> robot.lookup(".table-row-cell").queryAll().stream()
                .map(n -> (TableRow<?>) n)
                .filter(r -> r.isVisible() && r.getItem() instanceof EventRow e && e.index() == row)
                .map(r -> ((EventRow) r.getItem()).event())
                .filter(java.util.Objects::nonNull)
                .findFirst().orElse(null));
    }

    private static RunContext context() {
        return new RunContext(new TimeWindow(0, EVENTS * TestRunArchives.NS_PER_EVENT));
    }

    @Test
    void e1AMillionEventsOpenWithTheRightCountAndCtrlEndShowsTheLastRow(FxRobot robot) throws Exception {
        RunContext context = context();
        mount(robot, context, RunEventSource.archived(db, run));
        await("the rows are counted", () -> view.rowCount() == EVENTS);
        await("the first rows are shown", () -> TestRunArchives.mixed(0).equals(shownInRow(robot, 0)));
        assertEquals("1,000,000 events", onFx(() -> robot.lookup("#eventsCount").queryAs(Label.class).getText()));

        robot.clickOn(robot.lookup(".table-row-cell").nth(1).queryAs(Node.class));
        robot.press(KeyCode.CONTROL).type(KeyCode.END).release(KeyCode.CONTROL);
        RunEvent last = TestRunArchives.mixed(EVENTS - 1);
        await("the last row is shown", () -> last.equals(shownInRow(robot, EVENTS - 1)));
        assertEquals(EVENTS - 1, (int) onFx(() -> view.selectedRow()));
        assertEquals(last, loaded(EVENTS - 1));
        // selecting the row moved the tab's cursor to its event
        await("the context follows", () -> context.cursor() == last.atNanos());
        assertEquals(new TimelineSelection.Event(last.seq(), last.atNanos(), last.lane()), onFx(context::selection));
        assertTrue(onFx(() -> view.table().getItems().size()) <= LazyEventList.WINDOW, "the table holds a window");

        // scrolling to the top of the window moves the window back, keeping the same rows on screen
        int offset = onFx(() -> view.window().offset());
        assertTrue(offset > 0);
        robot.interact(() -> ((javafx.scene.control.skin.VirtualFlow<?>) view.table().lookup(".virtual-flow"))
                .setPosition(0));
        await("the window moved back", () -> view.window().offset() < offset);
        await("the rows at the old window's top are on screen",
                () -> TestRunArchives.mixed(offset).equals(shownInRow(robot, offset)));
    }

    @Test
    void e2LaneAndKindFilterShowsExactlyThoseRowsAndABadLaneIsTinted(FxRobot robot) throws Exception {
        RunContext context = context();
        mount(robot, context, RunEventSource.archived(db, run));
        await("the rows are counted", () -> view.rowCount() == EVENTS);
        int hits = 0;
        for (long seq = 0; seq < EVENTS; seq++) {
            RunEvent e = TestRunArchives.mixed(seq);
            if (e.lane() == Lane.WATCHPOINTS && e.kind().equals("hit")) hits++;
        }
        int expected = hits;

        robot.clickOn("#eventsFilter").write("lane:watchpoints kind:hit").type(KeyCode.ENTER);
        await("the filter applied", () -> view.rowCount() == expected);
        await("the first filtered rows are shown", () -> loaded(0) != null && loaded(30) != null);
        for (int row = 0; row < 30; row++) {
            RunEvent e = loaded(row);
            assertEquals(TestRunArchives.mixed(13 + 50L * row), e);
        }
        TextField field = robot.lookup("#eventsFilter").queryAs(TextField.class);
        assertTrue(onFx(() -> field.getPseudoClassStates().contains(Styles.STATE_SUCCESS)));
        assertEquals(String.format("%,d shown of %,d", expected, EVENTS),
                onFx(() -> robot.lookup("#eventsCount").queryAs(Label.class).getText()));

        // a selection elsewhere selects the last matching row at or before it
        RunEvent console = TestRunArchives.mixed(500_021);
        assertEquals(Lane.CONSOLE, console.lane());
        robot.interact(() -> context.setCursor(console.atNanos()));
        await("the last hit before the cursor is selected",
                () -> view.selectedRow() == 500_013 / 50);

        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write("lane:(");
        Label message = robot.lookup("#eventsFilterMessage").queryAs(Label.class);
        await("the bad lane is tinted", () -> field.getPseudoClassStates().contains(Styles.STATE_DANGER));
        assertTrue(onFx(message::isVisible));
        assertTrue(onFx(message::getText).startsWith("There is no lane '('; lanes are lifecycle, steps"),
                onFx(message::getText));
        assertTrue(onFx(message::getText).endsWith("(at character 6)"), onFx(message::getText));
        robot.type(KeyCode.ENTER);
        assertEquals(expected, (int) onFx(() -> view.rowCount()), "an invalid filter changes nothing");
    }

    @Test
    void selectingARowMovesTheCursorAndAContextSelectionMovesTheTable(FxRobot robot) throws Exception {
        RunContext context = context();
        mount(robot, context, RunEventSource.archived(db, run));
        await("the rows are counted", () -> view.rowCount() == EVENTS);

        RunEvent target = TestRunArchives.mixed(700_123);
        robot.interact(() -> context.select(new TimelineSelection.Event(target.seq(), target.atNanos(),
                target.lane())));
        await("the table selects the event's row", () -> view.selectedRow() == 700_123);
        await("the row is on screen", () -> target.equals(shownInRow(robot, 700_123)));

        // a snapshot's time (between events) selects the last row at or before it
        robot.interact(() -> context.select(new TimelineSelection.Snapshot(1, "periodic_003",
                TestRunArchives.mixed(250_000).atNanos() + 500)));
        await("the row at or before the snapshot", () -> view.selectedRow() == 250_000);

        // the user's selection goes to the context
        robot.interact(() -> view.table().getSelectionModel().clearAndSelect(250_002 - view.window().offset()));
        RunEvent chosen = TestRunArchives.mixed(250_002);
        await("the cursor moved", () -> context.cursor() == chosen.atNanos());
        assertEquals(new TimelineSelection.Event(chosen.seq(), chosen.atNanos(), chosen.lane()),
                onFx(context::selection));
    }

    @Test
    void aLiveRunGrowsAsTheArchiveCommits(FxRobot robot) throws Exception {
        Path live = dir.resolve("live.db");
        AtomicLong committed = new AtomicLong(-1);
        try (Archive archive = Archive.open(live)) {
            long id = archive.createRun(TestRunArchives.config(), Instant.now(), Optional.empty());
            mount(robot, context(), RunEventSource.live(live, id, committed::get));
            Label empty = onFx(() -> (Label) view.table().getPlaceholder());
            await("empty", () -> empty.getText().startsWith("No events yet"));
            try (EventIngest ingest = archive.startIngest(id)) {
                for (int seq = 0; seq < 3_000; seq++) ingest.append(TestRunArchives.mixed(seq));
                ingest.flush();
                committed.set(2_999);
                await("3 000 rows", () -> view.rowCount() == 3_000);
                robot.interact(view::goToLastRow);
                await("the last row is shown", () -> TestRunArchives.mixed(2_999).equals(shownInRow(robot, 2_999)));
                for (int seq = 3_000; seq < 5_000; seq++) ingest.append(TestRunArchives.mixed(seq));
                ingest.flush();
                committed.set(4_999);
                await("5 000 rows, the newest in view",
                        () -> TestRunArchives.mixed(4_999).equals(shownInRow(robot, 4_999)));
                // a filter on a live run grows too
                robot.interact(() -> {
                    TextField f = (TextField) view.lookup("#eventsFilter");
                    f.setText("kind:armed");
                    f.fireEvent(new javafx.event.ActionEvent());
                });
                await("the armed rows", () -> view.rowCount() == 100);
                for (int seq = 5_000; seq < 6_000; seq++) ingest.append(TestRunArchives.mixed(seq));
                ingest.flush();
                committed.set(5_999);
                await("the armed rows of the new events", () -> view.rowCount() == 120);
            }
            assertFalse(onFx(() -> view.rows().rows() instanceof RowSet.All));
        }
    }
}
