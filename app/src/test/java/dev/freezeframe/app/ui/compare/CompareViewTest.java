package dev.freezeframe.app.ui.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerLight;
import dev.freezeframe.app.ui.TestArchives;
import dev.freezeframe.app.ui.UiSnapshotsAccess;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.RunComparison;
import java.nio.file.Files;
import java.nio.file.Path;
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
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The compare view shows {@link RunComparison}'s output for two archived runs (check X2). */
@ExtendWith(ApplicationExtension.class)
class CompareViewTest {
    @TempDir
    static Path dir;

    private Path db;
    private CompareModel model;
    private Stage stage;
    private final ExecutorService io = Executors.newSingleThreadExecutor();

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        db = Files.createTempDirectory(dir, "c").resolve("archive.db");
        TestArchives.fourRuns(db);
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        model = new CompareModel(db, io, Platform::runLater, db.resolveSibling("log"));
        stage.setScene(new Scene(new CompareView(model), 1280, 800));
        stage.show();
    }

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private TableView<FieldDeltaRow> table(FxRobot robot) {
        return robot.lookup("#compareDeltas").queryAs(TableView.class);
    }

    private void awaitReady(long a) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.statusProperty().get()
                == CompareModel.Status.READY && model.resultProperty().get().map(r -> r.a().run().id() == a)
                .orElse(false));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void theDeltaRowsAreRunComparisonsOutputSortedByMagnitude(FxRobot robot) throws Exception {
        robot.interact(() -> model.compare(2, 3));
        awaitReady(2);
        RunComparison.Result expected;
        try (Archive archive = Archive.open(db)) {
            expected = new RunComparison(archive).compare(2, 3, Optional.empty(), Optional.empty());
        }
        TableView<FieldDeltaRow> table = table(robot);
        List<FieldDeltaRow> shown = List.copyOf(table.getItems());
        assertEquals(expected.fieldDeltas().size(), shown.size());
        assertTrue(shown.containsAll(expected.fieldDeltas().stream().map(FieldDeltaRow::of).toList()));
        // nr_queued 40 vs 12 (A − B = +28) first; nr_reenqueued exists only in A, so it has no difference
        assertEquals("nr_queued", shown.get(0).field());
        assertEquals(28.0, shown.get(0).aMinusB().getAsDouble());
        assertEquals(40.0 / 12.0, shown.get(0).ratio().getAsDouble(), 1e-9);
        assertEquals("nr_reenqueued", shown.get(1).field());
        assertTrue(shown.get(1).b().isEmpty());
        assertEquals("+28", Numbers.signed(shown.get(0).aMinusB()));
        assertEquals("3.33×", Numbers.ratio(shown.get(0).ratio()));
        assertEquals("'error' of A vs 'error' of B: 2 fields differ, 1 equal.",
                robot.lookup("#compareDeltaHeading").queryAs(Label.class).getText());
        assertTrue(expected.sameVerdict(), "both runs failed");
        assertTrue(robot.lookup("#compareSentence").queryAs(Label.class).getText()
                .startsWith("Same verdict. B ran 4.0 s longer."));
        // config differences list only differing keys: scheduler, arguments, scenario, vCPUs
        List<String> keys = expected.config().stream().map(RunComparison.ConfigDifference::key).toList();
        assertTrue(keys.contains("scheduler") && keys.contains("vcpus") && !keys.contains("memoryMib"), keys.toString());
        for (String key : keys) {
            assertTrue(robot.lookup("#compareConfig").lookup(key).tryQuery().isPresent(), key);
        }
        assertTrue(robot.lookup("#compareA").queryAs(Label.class).getText().startsWith("A  #2 scx_simple ✖"));
        Files.createDirectories(Path.of("target"));
        robot.interact(() -> UiSnapshotsAccess.writePng(stage.getScene(), Path.of("target", "compare-view.png")));

        // another snapshot of B: run 3's periodic_000 holds the same fields as run 2's error snapshot
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> snapshotB = robot.lookup("#snapshotB").queryAs(
                javafx.scene.control.ComboBox.class);
        assertEquals(List.of("last with data", "periodic_000", "error"), snapshotB.getItems());
        robot.interact(() -> snapshotB.setValue("periodic_000"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.statusProperty().get()
                == CompareModel.Status.READY && model.runsProperty().get().tagB().equals(Optional.of("periodic_000")));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("'error' of A vs 'periodic_000' of B: 0 fields differ, 3 equal.",
                robot.lookup("#compareDeltaHeading").queryAs(Label.class).getText());
        assertTrue(table.getItems().isEmpty());
        robot.interact(() -> snapshotB.setValue("last with data"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> model.statusProperty().get()
                == CompareModel.Status.READY && model.runsProperty().get().tagB().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, table.getItems().size());

        robot.clickOn("#swapRuns");
        awaitReady(3);
        assertTrue(robot.lookup("#compareA").queryAs(Label.class).getText().startsWith("A  #3 scx_qmap -e 50 ✖"));
        assertEquals(-28.0, table.getItems().get(0).aMinusB().getAsDouble());
        assertEquals("-28", Numbers.signed(table.getItems().get(0).aMinusB()));
        assertTrue(table.getItems().stream().anyMatch(r -> r.field().equals("nr_reenqueued") && r.a().isEmpty()));
    }

    @Test
    void anUnknownRunIsASentence(FxRobot robot) throws Exception {
        robot.interact(() -> model.compare(2, 99));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> model.statusProperty().get() == CompareModel.Status.FAILED);
        assertTrue(model.errorMessageProperty().get().startsWith("There is no run 99 in "),
                model.errorMessageProperty().get());
        assertTrue(table(robot).getItems().isEmpty());
    }

    @Test
    void theWorkloadMetricsOfBothRunsAreComparedWithAVerdictPerMetric(FxRobot robot) throws Exception {
        try (Archive archive = Archive.open(db)) {
            archive.recordMetrics(2, List.of(
                    new WorkloadMetric(1, "load", "cpu", MetricName.RATE, 1000),
                    new WorkloadMetric(1, "load", "latency", MetricName.WAKE_P99, 500)));
            archive.recordMetrics(3, List.of(
                    new WorkloadMetric(1, "load", "cpu", MetricName.RATE, 1010),
                    new WorkloadMetric(1, "load", "latency", MetricName.WAKE_P99, 900)));
        }
        robot.interact(() -> model.compare(2, 3));
        awaitReady(2);
        @SuppressWarnings("unchecked")
        TableView<MetricComparison.Row> metrics = robot.lookup("#compareMetricTable").queryAs(TableView.class);
        assertEquals(List.of("load/cpu/rate no change", "load/latency/wake_p99_us worse"), metrics.getItems().stream()
                .map(r -> r.key() + " " + r.verdict().label()).toList());
        assertTrue(robot.lookup("#compareMetricsHeading").queryAs(Label.class).getText()
                .startsWith("Workload metrics, 1 vs 1 run(s): 2 compared, 1 worse and 0 better"));
        Files.createDirectories(Path.of("target"));
        robot.interact(() -> UiSnapshotsAccess.writePng(stage.getScene(), Path.of("target", "compare-metrics.png")));
    }
}
