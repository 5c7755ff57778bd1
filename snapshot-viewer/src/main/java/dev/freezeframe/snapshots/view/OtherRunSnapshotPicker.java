package dev.freezeframe.snapshots.view;

import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.ArchiveAccess;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * "Diff against a snapshot of another run…": the archive's other runs, and the readable snapshots of the one picked;
 * the result is the base to diff the shown snapshot against. Lists are read off the FX thread.
 */
final class OtherRunSnapshotPicker extends Dialog<SnapshotViewer.Base.Chosen> {
    static final ButtonType DIFF = new ButtonType("Diff", ButtonBar.ButtonData.OK_DONE);

    private final ArchiveAccess archive;
    private final ListView<ArchivedRun> runs = new ListView<>();
    private final ListView<SnapshotInfo> snapshots = new ListView<>();
    private final Label status = new Label("reading the archive…");
    private final AtomicLong generation = new AtomicLong();

    OtherRunSnapshotPicker(ArchiveAccess archive, long thisRun, String shownTag) {
        this.archive = archive;
        setTitle("Diff against a snapshot of another run");
        setHeaderText("Diff " + shownTag + " against a snapshot of another run");
        runs.setId("pickRun");
        snapshots.setId("pickSnapshot");
        runs.setPrefSize(280, 320);
        snapshots.setPrefSize(300, 320);
        runs.setCellFactory(v -> cell(r -> "#" + r.id() + "  " + (r.scheduler() + " " + r.schedulerArgs()).strip()
                + " · " + r.scenario() + " · " + r.verdictLabel().replace('_', ' ')));
        snapshots.setCellFactory(v -> cell(s -> s.tag() + "  " + SnapshotViewer.relative(s.atNanos())));
        status.setId("pickStatus");
        status.getStyleClass().add("text-muted");
        runs.getSelectionModel().selectedItemProperty().addListener((o, was, run) -> listSnapshots(run));
        VBox left = new VBox(4, new Label("Run"), runs);
        VBox right = new VBox(4, new Label("Snapshot"), snapshots);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        VBox content = new VBox(8, new HBox(10, left, right), status);
        content.setPadding(new Insets(10));
        getDialogPane().setContent(content);
        getDialogPane().getButtonTypes().setAll(DIFF, ButtonType.CANCEL);
        Node diff = getDialogPane().lookupButton(DIFF);
        diff.setId("pickDiff");
        diff.disableProperty().bind(snapshots.getSelectionModel().selectedItemProperty().isNull());
        setResultConverter(button -> {
            ArchivedRun run = runs.getSelectionModel().getSelectedItem();
            SnapshotInfo s = snapshots.getSelectionModel().getSelectedItem();
            if (button != DIFF || run == null || s == null) return null;
            return new SnapshotViewer.Base.Chosen(s.id(), run.id(), "#" + run.id() + " " + s.tag());
        });
        archive.read(a -> a.listRuns().stream().filter(r -> r.id() != thisRun).toList())
                .whenComplete((list, failure) -> Platform.runLater(() -> {
                    if (failure != null) {
                        status.setText("The archive cannot be read: " + EntryMarks.rootMessage(failure));
                        return;
                    }
                    runs.getItems().setAll(list);
                    status.setText(list.isEmpty() ? "The archive holds no other run." : "Pick a run, then one of its"
                            + " snapshots.");
                }));
    }

    private void listSnapshots(ArchivedRun run) {
        long mine = generation.incrementAndGet();
        snapshots.getItems().clear();
        if (run == null) return;
        archive.read(a -> a.runs().snapshots(run.id()).stream().filter(s -> !s.placeholder()).toList())
                .whenComplete((list, failure) -> Platform.runLater(() -> {
                    if (mine != generation.get()) return;
                    if (failure != null) {
                        status.setText("The snapshots of run " + run.id() + " cannot be listed: "
                                + EntryMarks.rootMessage(failure));
                        return;
                    }
                    snapshots.getItems().setAll(list);
                    status.setText(list.isEmpty() ? "Run " + run.id() + " has no readable snapshot." : "");
                }));
    }

    private static <T> ListCell<T> cell(java.util.function.Function<T, String> text) {
        return new ListCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        };
    }
}
