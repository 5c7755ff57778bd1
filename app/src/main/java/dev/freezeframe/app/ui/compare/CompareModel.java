package dev.freezeframe.app.ui.compare;

import dev.freezeframe.app.UserMessages;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.metrics.WholeRunMetrics;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.RunComparison;
import dev.freezeframe.persistence.SnapshotInfo;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * run's last snapshot with data). {@code groupA} and {@code groupB} are every run of each side (their first runs
     * are {@code a} and {@code b}): the metric table compares the groups, the timelines show every run.
     */
    public record Pair(long a, long b, Optional<String> tagA, Optional<String> tagB, List<Long> groupA,
                       List<Long> groupB) {
        public Pair {
            groupA = List.copyOf(groupA);
            groupB = List.copyOf(groupB);
            if (groupA.isEmpty() || groupA.getFirst() != a || groupB.isEmpty() || groupB.getFirst() != b) {
                throw new IllegalArgumentException("a group must start with its side's run");
            }
        }

        Pair(long a, long b, Optional<String> tagA, Optional<String> tagB) {
            this(a, b, tagA, tagB, List.of(a), List.of(b));
        }

        public Pair swapped() {
            return new Pair(b, a, tagB, tagA, groupB, groupA);
        }

        Pair withTags(Optional<String> newA, Optional<String> newB) {
            return new Pair(a, b, newA, newB, groupA, groupB);
        }

        /** Every run of both sides, A's first. */
        public List<Long> allRuns() {
            List<Long> all = new java.util.ArrayList<>(groupA);
            all.addAll(groupB);
            return all;
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
    private final ObservableList<RunMoments> moments = FXCollections.observableArrayList();
    private final ObservableList<RunMoments> momentsView = FXCollections.unmodifiableObservableList(moments);
    private final javafx.beans.property.ReadOnlyBooleanWrapper foldedToWholeRun =
            new javafx.beans.property.ReadOnlyBooleanWrapper(this, "foldedToWholeRun");
    private final ReadOnlyObjectWrapper<Map<Long, List<SnapshotInfo>>> snapshotsByRun =
            new ReadOnlyObjectWrapper<>(this, "snapshotsByRun", Map.of());
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

    /**
     * Compares two groups of runs: the metric table over the groups (Welch's test from three runs a side), the
     * summary and map fields between the first run of each.
     */
    public void compareGroups(List<Long> a, List<Long> b) {
        if (a.isEmpty() || b.isEmpty()) throw new IllegalArgumentException("each side needs a run");
        compare(new Pair(a.getFirst(), b.getFirst(), Optional.empty(), Optional.empty(), a, b));
    }

    /** Compares the map fields at other snapshots of the same two runs (by tag; empty: the last with data). */
    public void compareSnapshots(Optional<String> tagA, Optional<String> tagB) {
        Pair pair = runs.get();
        if (pair == null || pair.tagA().equals(tagA) && pair.tagB().equals(tagB)) return;
        compare(pair.withTags(tagA, tagB));
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
                Map<Long, List<SnapshotInfo>> readable = new LinkedHashMap<>();
                for (long id : pair.allRuns()) readable.put(id, readableSnapshots(archive, id));
                List<List<WorkloadMetric>> measuredA = pair.groupA().stream().map(archive.runs()::metrics).toList();
                List<List<WorkloadMetric>> measuredB = pair.groupB().stream().map(archive.runs()::metrics).toList();
                // a run imported from ktstr has whole-run figures only: then every run is compared on those
                WholeRunMetrics.Sides sides = WholeRunMetrics.forComparison(measuredA, measuredB);
                List<MetricComparison.Row> metrics = MetricComparison.compare(sides.a(), sides.b(),
                        MetricComparison.Thresholds.DEFAULT);
                List<RunMoments> runMoments = new java.util.ArrayList<>();
                for (long id : pair.allRuns()) runMoments.add(RunMoments.read(archive, id, pair.groupA().contains(id)
                        ? "A" : "B"));
                fxThread.accept(() -> {
                    if (mine != generation.get()) return;
                    moments.setAll(runMoments);
                    foldedToWholeRun.set(sides.folded());
                    metricRows.setAll(metrics);
                    tagsA.setAll(snapshotsA);
                    tagsB.setAll(snapshotsB);
                    snapshotsByRun.set(Collections.unmodifiableMap(readable));
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
                    moments.clear();
                    snapshotsByRun.set(Map.of());
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

    /** A run's snapshots that hold data, in time order. */
    private static List<SnapshotInfo> readableSnapshots(Archive archive, long runId) {
        return archive.runs().snapshots(runId).stream().filter(s -> !s.placeholder()).toList();
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
     * The two sides' workload metrics compared (with one run a side the verdict rests on the size of the change alone
     * and the ranges; from three a side on Welch's test), in step, group and metric order.
     */
    public ObservableList<MetricComparison.Row> metricRows() {
        return metricRowsView;
    }

    /** Every compared run (A's first) with the moments its timeline can be aligned on. */
    public ObservableList<RunMoments> moments() {
        return momentsView;
    }

    /** True when a run imported from ktstr made the metric table compare whole-run values. */
    public javafx.beans.property.ReadOnlyBooleanProperty foldedToWholeRunProperty() {
        return foldedToWholeRun.getReadOnlyProperty();
    }

    /** Every compared run's snapshots that hold data (A's runs first), for the cross-run snapshot tree diff. */
    public ReadOnlyObjectProperty<Map<Long, List<SnapshotInfo>>> snapshotsByRunProperty() {
        return snapshotsByRun.getReadOnlyProperty();
    }

    public Path archivePath() {
        return archivePath;
    }
}
