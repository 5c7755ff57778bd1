package dev.freezeframe.app.ui.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.freezeframe.app.ui.TestArchives;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import dev.freezeframe.snapshots.model.ValueText;
import dev.freezeframe.snapshots.view.SnapshotDiffPane;
import dev.freezeframe.timeline.TimeAxis;
import dev.freezeframe.timeline.TimeWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TreeItem;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Compare tab's aligned timelines, lockstep zoom, cross-run snapshot diff and group metric table over an archive
 * of four runs: two of scx_simple (side A) and two of scx_qmap (side B) whose scheduler was enabled at different
 * times and whose probe's p99 wake-up delay is three times longer.
 */
@ExtendWith(ApplicationExtension.class)
class AlignedCompareTest {
    private static final long S = 1_000_000_000L;

    @TempDir
    static Path dir;

    private Path db;
    private CompareModel model;
    private CompareView view;
    private Stage stage;
    private final ExecutorService io = Executors.newSingleThreadExecutor();

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        db = Files.createTempDirectory(dir, "a").resolve("archive.db");
        CompareArchive.write(db);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        model = new CompareModel(db, io, Platform::runLater, db.resolveSibling("log"));
        view = new CompareView(model);
        stage.setScene(new Scene(view, 1280, 800));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> view.close()).get(10, TimeUnit.SECONDS);
        io.shutdownNow();
    }

    private void awaitTimelines(int count) throws Exception {
        // generous: four archive readers on a loaded machine; the message says which state was missing
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            boolean settled = WaitForAsyncUtils.asyncFx(() -> model.statusProperty().get()
                    == CompareModel.Status.READY && view.timelines().shown().size() == count
                    && view.timelines().shown().stream().allMatch(a -> a.view().getWidth() > 0))
                    .get(30, TimeUnit.SECONDS);
            if (settled) break;
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the compare tab did not settle: " + WaitForAsyncUtils.asyncFx(() ->
                        model.statusProperty().get() + ", " + model.runsProperty().get() + ", "
                        + view.timelines().shown().size() + " timelines").get(30, TimeUnit.SECONDS));
            }
            Thread.sleep(100);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Where a timeline draws its alignment point, in its own pixels. */
    private double alignmentX(AlignedTimelines.Aligned a) {
        return TimeAxis.of(a.context().window(), a.view().getWidth()).x(view.timelines().offset(a));
    }

    @Test
    void theAlignmentPointSitsAtTheSameXInBothTimelinesForEveryChoice(FxRobot robot) throws Exception {
        robot.interact(() -> model.compare(1, 2));
        awaitTimelines(2);
        AlignedTimelines timelines = view.timelines();
        assertEquals(List.of("scheduler enabled", "step warm", "step probe", "run start"), timelines.choices());
        List<AlignedTimelines.Aligned> shown = timelines.shown();
        assertEquals(2 * S, timelines.offset(shown.get(0)));
        assertEquals(5 * S, timelines.offset(shown.get(1)));
        assertEquals(shown.get(0).view().getWidth(), shown.get(1).view().getWidth());
        assertEquals(alignmentX(shown.get(0)), alignmentX(shown.get(1)), 0.5);
        // the cursor marks each run's own alignment point
        assertEquals(2 * S, shown.get(0).context().cursor());
        assertEquals(5 * S, shown.get(1).context().cursor());
        // each ruler reads 0 at its run's alignment point
        assertEquals(2 * S, shown.get(0).view().rulerOrigin());
        assertEquals(5 * S, shown.get(1).view().rulerOrigin());

        robot.interact(() -> timelines.alignOn("step probe"));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(5 * S, timelines.offset(shown.get(0)));
        assertEquals(8 * S, timelines.offset(shown.get(1)));
        assertEquals(5 * S, shown.get(0).view().rulerOrigin());
        assertEquals(8 * S, shown.get(1).view().rulerOrigin());
        assertEquals(alignmentX(shown.get(0)), alignmentX(shown.get(1)), 0.5);
        assertTrue(robot.lookup("#alignedWindow").queryAs(Label.class).getText().contains("from step probe"));
    }

    @Test
    void zoomingOneTimelineZoomsTheOtherAroundTheSameRelativeTime(FxRobot robot) throws Exception {
        robot.interact(() -> model.compare(1, 2));
        awaitTimelines(2);
        List<AlignedTimelines.Aligned> shown = view.timelines().shown();
        TimeWindow before = shown.get(1).context().window();
        // W over the first timeline zooms in at the mouse, as a user zooms
        robot.moveTo(shown.get(0).view());
        robot.interact(() -> shown.get(0).view().requestFocus());
        robot.type(KeyCode.W);
        WaitForAsyncUtils.waitForFxEvents();
        TimeWindow a = shown.get(0).context().window();
        TimeWindow b = shown.get(1).context().window();
        assertNotEquals(before, b, "the second timeline followed the zoom");
        assertTrue(b.spanNs() < before.spanNs(), "zoomed in: " + b + " was " + before);
        assertEquals(a.spanNs(), b.spanNs());
        assertEquals(a.fromNs() - 2 * S, b.fromNs() - 5 * S, "same span relative to scheduler enabled");
        assertEquals(alignmentX(shown.get(0)), alignmentX(shown.get(1)), 0.5);

        // and back the other way: panning the second moves the first
        robot.interact(() -> shown.get(1).context().setWindow(b.startingAt(b.fromNs() + S)));
        assertEquals(shown.get(1).context().window().fromNs() - 5 * S,
                shown.get(0).context().window().fromNs() - 2 * S);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSnapshotDiffAcrossRunsShowsTheChangedField(FxRobot robot) throws Exception {
        robot.interact(() -> model.compare(1, 2));
        awaitTimelines(2);
        TableView<FieldDeltaRow> table = robot.lookup("#compareDeltas").queryAs(TableView.class);
        FieldDeltaRow queued = table.getItems().stream().filter(r -> r.field().equals("nr_queued")).findFirst()
                .orElseThrow();
        assertEquals(10.0, queued.a().getAsDouble());
        assertEquals(25.0, queued.b().getAsDouble());
        assertEquals(-15.0, queued.aMinusB().getAsDouble());
        assertTrue(table.getItems().stream().noneMatch(r -> r.field().equals("nr_dispatched")), "equal: not listed");
    }

    /** Waits until the tree diff shows {@code header} and has its diff. */
    private SnapshotDiff awaitTreeDiff(String header) throws Exception {
        SnapshotDiffPane pane = view.treeDiff().pane();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!WaitForAsyncUtils.asyncFx(() -> pane.baseTextProperty().get().equals(header)
                && !pane.loadingProperty().get() && pane.currentDiff().isPresent()).get(30, TimeUnit.SECONDS)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the tree diff did not show " + header + ": " + WaitForAsyncUtils.asyncFx(
                        () -> pane.baseTextProperty().get() + " / " + pane.messageProperty().get() + " / "
                                + pane.emptyText()).get(30, TimeUnit.SECONDS));
            }
            Thread.sleep(50);
        }
        WaitForAsyncUtils.waitForFxEvents();
        return WaitForAsyncUtils.asyncFx(() -> pane.currentDiff().orElseThrow()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void theSnapshotTreeOfBIsDiffedAgainstAsAcrossRunsWithAddedFieldsAndChangedOnly(FxRobot robot)
            throws Exception {
        robot.interact(() -> model.compareGroups(List.of(1L, 3L), List.of(2L, 4L)));
        awaitTimelines(4);
        // each side starts at its first run's last snapshot with data: B #2 against A #1
        SnapshotDiff first = awaitTreeDiff("B #2 periodic_000 against A #1 periodic_000");
        assertEquals(SnapshotDiff.State.CHANGED, first.state("scx_qmap.bss:nr_queued"));
        assertEquals("▲ +15", first.change("scx_qmap.bss:nr_queued").flatMap(SnapshotDiff.Change::delta)
                .map(ValueText::delta).orElseThrow());
        assertEquals(SnapshotDiff.State.SAME, first.state("scx_qmap.bss:nr_dispatched"));
        assertEquals(1, first.changeCount());

        // B's other run has nr_reenqueued, which A's runs lack: added
        robot.interact(() -> assertTrue(view.treeDiff().choose("B", 4, "periodic_000")));
        SnapshotDiff added = awaitTreeDiff("B #4 periodic_000 against A #1 periodic_000");
        assertEquals(SnapshotDiff.State.ADDED, added.state("scx_qmap.bss:nr_reenqueued"));
        SnapshotDiffPane pane = view.treeDiff().pane();
        robot.interact(() -> pane.setChangedOnly(true));
        WaitForAsyncUtils.waitForFxEvents();
        List<String> shownLeaves = WaitForAsyncUtils.asyncFx(() -> leaves(pane.tree().getRoot())).get(30,
                TimeUnit.SECONDS);
        assertTrue(shownLeaves.contains("scx_qmap.bss:nr_reenqueued"), shownLeaves.toString());
        assertTrue(shownLeaves.contains("scx_qmap.bss:nr_queued"), shownLeaves.toString());
        assertFalse(shownLeaves.contains("scx_qmap.bss:nr_dispatched"), "equal: hidden under changed only");

        // swapped, A's run 4 is the base: the field is removed in B
        robot.interact(() -> model.swap());
        SnapshotDiff removed = awaitTreeDiff("B #1 periodic_000 against A #2 periodic_000");
        assertEquals(SnapshotDiff.State.CHANGED, removed.state("scx_qmap.bss:nr_queued"));
        robot.interact(() -> assertTrue(view.treeDiff().choose("A", 4, "periodic_000")));
        SnapshotDiff gone = awaitTreeDiff("B #1 periodic_000 against A #4 periodic_000");
        assertEquals(SnapshotDiff.State.REMOVED, gone.state("scx_qmap.bss:nr_reenqueued"));
        assertEquals("▼ −15", gone.change("scx_qmap.bss:nr_queued").flatMap(SnapshotDiff.Change::delta)
                .map(ValueText::delta).orElseThrow());
    }

    /** Paths of the tree's rows without children (expanding as it goes). */
    private static List<String> leaves(TreeItem<FieldNode> item) {
        List<String> out = new java.util.ArrayList<>();
        for (TreeItem<FieldNode> c : item.getChildren()) {
            c.setExpanded(true);
            if (c.getChildren().isEmpty() && c.getValue() != null) out.add(c.getValue().path());
            else out.addAll(leaves(c));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void twoGroupsOfRunsAreComparedInTheMetricTable(FxRobot robot) throws Exception {
        robot.interact(() -> model.compare(1, 2));
        awaitTimelines(2);
        robot.interact(() -> {
            robot.lookup("#groupA").queryAs(TextField.class).setText("1, #3");
            robot.lookup("#groupB").queryAs(TextField.class).setText("2 4");
        });
        robot.clickOn("#compareGroups");
        awaitTimelines(4);
        assertEquals(List.of(1L, 3L), model.runsProperty().get().groupA());
        TableView<MetricComparison.Row> metrics = robot.lookup("#compareMetricTable").queryAs(TableView.class);
        MetricComparison.Row p99 = MetricComparison.find(List.copyOf(metrics.getItems()), "probe/latency/wake_p99_us")
                .orElseThrow();
        assertEquals(2, p99.a().length);
        assertEquals(2, p99.b().length);
        assertEquals(105.0, p99.meanA(), 1e-9);
        assertEquals(310.0, p99.meanB(), 1e-9);
        assertEquals(MetricComparison.Verdict.WORSE, p99.verdict());
        assertEquals(MetricComparison.Verdict.NO_CHANGE, MetricComparison.find(List.copyOf(metrics.getItems()),
                "warm/cpu/rate").orElseThrow().verdict());
        assertTrue(robot.lookup("#compareMetricsHeading").queryAs(Label.class).getText()
                .startsWith("Workload metrics, 2 vs 2 run(s): 2 compared, 1 worse"));
        // all four timelines aligned: scheduler enabled at the same x in each
        List<AlignedTimelines.Aligned> shown = view.timelines().shown();
        for (AlignedTimelines.Aligned a : shown) assertEquals(alignmentX(shown.get(0)), alignmentX(a), 0.5);

        // a mistyped id is said in words and changes nothing
        robot.interact(() -> robot.lookup("#groupB").queryAs(TextField.class).setText("2 four"));
        robot.clickOn("#compareGroups");
        assertEquals("'four' in B is not a run id (a number from the Runs list).",
                robot.lookup("#groupError").queryAs(Label.class).getText());
        assertEquals(List.of(2L, 4L), model.runsProperty().get().groupB());
    }
}
