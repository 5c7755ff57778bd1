package dev.freezeframe.app.ui.compare;

import dev.freezeframe.app.ui.run.RunArchiveReader;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.view.SnapshotDiffPane;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The Compare tab's snapshot tree diff: pick a run of side A and one of its snapshots, a run of side B and one of its
 * snapshots, and see B's typed field tree diffed against A's — the snapshot viewer's diff (changed, added, removed,
 * deltas B − A, changed only). Each side starts at its first run's last snapshot with data.
 */
final class CrossRunSnapshotDiff extends VBox {
    private final CompareModel model;
    private final RunArchiveReader reader;
    private final SnapshotDiffPane pane;
    private final ComboBox<Long> runA = new ComboBox<>();
    private final ComboBox<Long> runB = new ComboBox<>();
    private final ComboBox<SnapshotInfo> snapshotA = new ComboBox<>();
    private final ComboBox<SnapshotInfo> snapshotB = new ComboBox<>();
    private boolean filling;

    CrossRunSnapshotDiff(CompareModel model) {
        super(6);
        this.model = model;
        this.reader = new RunArchiveReader(model.archivePath());
        this.pane = new SnapshotDiffPane(reader::read);
        setId("crossRunDiff");
        setPadding(new Insets(6, 0, 0, 0));
        runA.setId("treeRunA");
        runB.setId("treeRunB");
        snapshotA.setId("treeSnapshotA");
        snapshotB.setId("treeSnapshotB");
        for (ComboBox<Long> run : List.of(runA, runB)) run.setConverter(shown(id -> "#" + id));
        for (ComboBox<SnapshotInfo> s : List.of(snapshotA, snapshotB)) {
            s.setConverter(shown(CrossRunSnapshotDiff::describe));
            s.valueProperty().addListener((o, was, now) -> {
                if (!filling) diff();
            });
        }
        runA.valueProperty().addListener((o, was, now) -> {
            if (!filling) fillSnapshots(snapshotA, now);
        });
        runB.valueProperty().addListener((o, was, now) -> {
            if (!filling) fillSnapshots(snapshotB, now);
        });
        Label note = new Label("B's tree, deltas B − A");
        note.getStyleClass().add("text-muted");
        FlowPane choosers = new FlowPane(8, 4, new Label("A: run"), runA, snapshotA, new Label("→  B: run"), runB,
                snapshotB, note);
        choosers.setAlignment(Pos.CENTER_LEFT);
        VBox.setVgrow(pane, Priority.ALWAYS);
        getChildren().setAll(choosers, pane);
        model.statusProperty().addListener((o, was, now) -> {
            if (now == CompareModel.Status.READY) refill();
        });
        refill();
    }

    /** After a (re)load: the groups' runs, each side at its first run's last snapshot with data. */
    private void refill() {
        CompareModel.Pair pair = model.runsProperty().get();
        if (pair == null || model.statusProperty().get() != CompareModel.Status.READY) return;
        filling = true;
        try {
            runA.getItems().setAll(pair.groupA());
            runB.getItems().setAll(pair.groupB());
            runA.setValue(pair.a());
            runB.setValue(pair.b());
            fill(snapshotA, pair.a());
            fill(snapshotB, pair.b());
        } finally {
            filling = false;
        }
        diff();
    }

    private void fillSnapshots(ComboBox<SnapshotInfo> combo, Long runId) {
        filling = true;
        try {
            fill(combo, runId);
        } finally {
            filling = false;
        }
        diff();
    }

    private void fill(ComboBox<SnapshotInfo> combo, Long runId) {
        List<SnapshotInfo> snapshots = runId == null ? List.of() : snapshotsOf(runId);
        combo.getItems().setAll(snapshots);
        combo.setValue(snapshots.isEmpty() ? null : snapshots.getLast());
    }

    private List<SnapshotInfo> snapshotsOf(long runId) {
        Map<Long, List<SnapshotInfo>> all = model.snapshotsByRunProperty().get();
        return all.getOrDefault(runId, List.of());
    }

    private void diff() {
        SnapshotInfo a = snapshotA.getValue();
        SnapshotInfo b = snapshotB.getValue();
        if (a == null || b == null) {
            Long missing = a == null ? runA.getValue() : runB.getValue();
            pane.clear(missing == null ? "Pick a snapshot of each side."
                    : "Run " + missing + " has no snapshot with data to diff.");
            return;
        }
        pane.show(a.id(), "A #" + runA.getValue() + " " + a.tag(), b.id(), "B #" + runB.getValue() + " " + b.tag());
    }

    /** Chooses the run and snapshot (by tag) of one side, as a user would; false when that side has no such one. */
    boolean choose(String side, long runId, String tag) {
        ComboBox<Long> run = side.equals("A") ? runA : runB;
        ComboBox<SnapshotInfo> snapshot = side.equals("A") ? snapshotA : snapshotB;
        if (!run.getItems().contains(runId)) return false;
        run.setValue(runId);
        Optional<SnapshotInfo> s = snapshot.getItems().stream().filter(x -> x.tag().equals(tag)).findFirst();
        s.ifPresent(snapshot::setValue);
        return s.isPresent();
    }

    SnapshotDiffPane pane() {
        return pane;
    }

    /** Releases the archive connection. */
    void close() {
        reader.close();
    }

    private static String describe(SnapshotInfo s) {
        return s.tag() + String.format(Locale.ROOT, "  +%.3f s", s.atNanos() / 1e9);
    }

    /** Shows an item as {@code text} says (the combos are not editable: nothing is parsed back). */
    private static <T> StringConverter<T> shown(java.util.function.Function<T, String> text) {
        return new StringConverter<>() {
            @Override
            public String toString(T item) {
                return item == null ? "" : text.apply(item);
            }

            @Override
            public T fromString(String string) {
                throw new UnsupportedOperationException("not editable");
            }
        };
    }
}
