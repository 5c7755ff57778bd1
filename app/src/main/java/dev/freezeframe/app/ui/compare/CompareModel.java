package dev.freezeframe.app.ui.compare;

import dev.freezeframe.app.UserMessages;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.RunComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compare view's state: two runs of one archive and {@link RunComparison}'s result for them, computed off the FX
 * thread (the newest request wins). Properties change on the FX thread.
 */
public final class CompareModel {
    public enum Status { LOADING, READY, FAILED }

    /**
     * The two runs compared, A first, and the snapshot of each whose map fields are compared (by tag; empty: the
     * run's last snapshot with data).
     */
    public record Pair(long a, long b, Optional<String> tagA, Optional<String> tagB) {
        public Pair swapped() {
            return new Pair(b, a, tagB, tagA);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CompareModel.class);

    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.LOADING);
    private final ReadOnlyStringWrapper errorMessage = new ReadOnlyStringWrapper(this, "errorMessage", "");
    private final ReadOnlyObjectWrapper<Pair> runs = new ReadOnlyObjectWrapper<>(this, "runs");
    private final ReadOnlyObjectWrapper<Optional<RunComparison.Result>> result =
            new ReadOnlyObjectWrapper<>(this, "result", Optional.empty());
    private final ObservableList<String> tagsA = FXCollections.observableArrayList();
    private final ObservableList<String> tagsB = FXCollections.observableArrayList();
    private final ObservableList<String> tagsAView = FXCollections.unmodifiableObservableList(tagsA);
    private final ObservableList<String> tagsBView = FXCollections.unmodifiableObservableList(tagsB);
    private final ObservableList<FieldDeltaRow> rows = FXCollections.observableArrayList();
    private final ObservableList<FieldDeltaRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ObservableList<MetricComparison.Row> metricRows = FXCollections.observableArrayList();
    private final ObservableList<MetricComparison.Row> metricRowsView =
            FXCollections.unmodifiableObservableList(metricRows);
    private final AtomicLong generation = new AtomicLong();
    private final Path archivePath;
    private final Executor background;
    private final Consumer<Runnable> fxThread;
    private final Path logFile;

    /**
     * @param archivePath the archive holding both runs
     * @param background  where archive I/O runs
     * @param fxThread    how results get back to the FX thread ({@code Platform::runLater})
     * @param logFile     named in messages about unexpected failures
     */
    public CompareModel(Path archivePath, Executor background, Consumer<Runnable> fxThread, Path logFile) {
        this.archivePath = archivePath;
        this.background = background;
        this.fxThread = fxThread;
        this.logFile = logFile;
    }

    /** Compares run {@code a} (A) with run {@code b} (B), each at its last snapshot with data. */
    public void compare(long a, long b) {
        compare(new Pair(a, b, Optional.empty(), Optional.empty()));
    }

    /** Compares the map fields at other snapshots of the same two runs (by tag; empty: the last with data). */
    public void compareSnapshots(Optional<String> tagA, Optional<String> tagB) {
        Pair pair = runs.get();
        if (pair == null || pair.tagA().equals(tagA) && pair.tagB().equals(tagB)) return;
        compare(new Pair(pair.a(), pair.b(), tagA, tagB));
    }

    private void compare(Pair pair) {
        long a = pair.a();
        long b = pair.b();
        runs.set(pair);
        long mine = generation.incrementAndGet();
        status.set(Status.LOADING);
        background.execute(() -> {
            try (Archive archive = Archive.open(archivePath)) {
                RunComparison.Result r = new RunComparison(archive).compare(a, b, pair.tagA(), pair.tagB());
                List<FieldDeltaRow> loaded = r.fieldDeltas().stream().map(FieldDeltaRow::of).toList();
                List<String> snapshotsA = tags(archive, a);
                List<String> snapshotsB = tags(archive, b);
                List<MetricComparison.Row> metrics = MetricComparison.compare(List.of(archive.runs().metrics(a)),
                        List.of(archive.runs().metrics(b)), MetricComparison.Thresholds.DEFAULT);
                fxThread.accept(() -> {
                    if (mine != generation.get()) return;
                    metricRows.setAll(metrics);
                    tagsA.setAll(snapshotsA);
                    tagsB.setAll(snapshotsB);
                    result.set(Optional.of(r));
                    rows.setAll(loaded);
                    errorMessage.set("");
                    status.set(Status.READY);
                });
            } catch (RuntimeException e) {
                LOG.error("cannot compare runs {} and {} in {}", a, b, archivePath, e);
                String message = UserMessages.describe(e, logFile);
                fxThread.accept(() -> {
                    if (mine != generation.get()) return;
                    result.set(Optional.empty());
                    rows.clear();
                    metricRows.clear();
                    errorMessage.set(message);
                    status.set(Status.FAILED);
                });
            }
        });
    }

    /** Makes B the reference: compares B with A (with the snapshots chosen for each). */
    public void swap() {
        Pair pair = runs.get();
        if (pair != null) compare(pair.swapped());
    }

    /** The distinct tags of a run's snapshots that hold data, in time order. */
    private static List<String> tags(Archive archive, long runId) {
        return archive.runs().snapshots(runId).stream().filter(s -> !s.placeholder()).map(s -> s.tag()).distinct()
                .toList();
    }

    /** Tags of run A's snapshots with data (choices for the compared snapshot). */
    public ObservableList<String> tagsA() {
        return tagsAView;
    }

    public ObservableList<String> tagsB() {
        return tagsBView;
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorMessageProperty() {
        return errorMessage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Pair> runsProperty() {
        return runs.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Optional<RunComparison.Result>> resultProperty() {
        return result.getReadOnlyProperty();
    }

    /** The differing map fields of the compared snapshots (unsorted; the view sorts). */
    public ObservableList<FieldDeltaRow> rows() {
        return rowsView;
    }

    /**
     * The two runs' workload metrics compared (one run a side, so the verdict rests on the size of the change alone;
     * {@code freezeframe ab} repeats runs for a test), in step, group and metric order.
     */
    public ObservableList<MetricComparison.Row> metricRows() {
        return metricRowsView;
    }

    public Path archivePath() {
        return archivePath;
    }
}
