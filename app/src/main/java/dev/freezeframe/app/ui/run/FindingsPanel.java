package dev.freezeframe.app.ui.run;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.run.RunFindings;
import dev.freezeframe.app.ui.shell.TimeText;
import dev.freezeframe.coordinator.findings.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The drawer's Findings tab: what the run's snapshots say went wrong (the same rules as {@code freezeframe findings}:
 * the scheduler's error with its source line, stalls and what ran instead, DSQs that only grow, CPUs out of balance,
 * hot watches, failed captures), worst first, each with its evidence; Enter or a double-click goes to the snapshot
 * that shows it. Read off the FX thread when the tab opens an archived run and again when a live run ends; Refresh
 * reads it again (a live run's findings so far).
 */
public final class FindingsPanel extends BorderPane {
    private final RunArchiveReader reader;
    private final long runId;
    private final Consumer<Finding> show;
    private final ListView<Finding> list = new ListView<>();
    private final Label header = new Label();
    private final AtomicLong generation = new AtomicLong();
    private final ReadOnlyObjectWrapper<List<Finding>> findings = new ReadOnlyObjectWrapper<>();

    /** @param show goes to a finding's snapshot (or time) */
    public FindingsPanel(RunTabModel model, RunArchiveReader reader, Consumer<Finding> show) {
        this.reader = reader;
        this.runId = model.runId();
        this.show = show;
        setId("findingsPanel");
        header.setId("findingsHeader");
        header.setWrapText(true);
        header.setMinHeight(Region.USE_PREF_SIZE);
        Button refresh = new Button("Refresh", new FontIcon(Feather.REFRESH_CW));
        refresh.setId("findingsRefresh");
        refresh.getStyleClass().add(Styles.SMALL);
        refresh.setOnAction(e -> reload());
        HBox top = new HBox(10, header, refresh);
        HBox.setHgrow(header, Priority.ALWAYS);
        header.setMaxWidth(Double.MAX_VALUE);
        top.setAlignment(Pos.CENTER_LEFT);
        top.setPadding(new Insets(6, 10, 6, 10));
        setTop(top);

        list.setId("findingsList");
        list.setCellFactory(v -> new FindingCell());
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) goToSelected();
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) goToSelected();
        });
        list.setPlaceholder(new Label(""));
        setCenter(list);
        // a live run's findings are complete when it ends; until then Refresh reads them so far
        model.verdictProperty().addListener((obs, was, now) -> {
            if (!now.isEmpty()) reload();
        });
        reload();
    }

    /** The findings shown now (null while reading). */
    public ReadOnlyObjectProperty<List<Finding>> findingsProperty() {
        return findings.getReadOnlyProperty();
    }

    public void reload() {
        long mine = generation.incrementAndGet();
        header.setText("Reading the run's snapshots…");
        findings.set(null);
        reader.read(a -> {
            try {
                return RunFindings.of(a, runId);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).whenComplete((found, failure) -> Platform.runLater(() -> {
            if (mine != generation.get()) return;
            if (failure != null) {
                list.getItems().clear();
                header.setText("The findings could not be read: " + RunTabView.message(failure));
                return;
            }
            findings.set(found);
            list.getItems().setAll(found);
            if (!list.getItems().isEmpty()) list.getSelectionModel().select(0);
            long critical = found.stream().filter(f -> f.severity() == Finding.Severity.CRITICAL).count();
            header.setText(found.isEmpty()
                    ? "Nothing in this run's snapshots looks wrong to the rules (scheduler errors, stalls, growing"
                    + " queues, imbalance, hot watches, failed captures)."
                    : found.size() + (found.size() == 1 ? " finding" : " findings") + (critical > 0 ? ", " + critical
                    + " critical" : "") + " — Enter or a double-click goes to its snapshot.");
        }));
    }

    private void goToSelected() {
        Finding f = list.getSelectionModel().getSelectedItem();
        if (f != null) show.accept(f);
    }

    private static final class FindingCell extends ListCell<Finding> {
        private final Label severity = new Label();
        private final Label title = new Label();
        private final Label where = new Label();
        private final Label detail = new Label();
        private final VBox box;

        FindingCell() {
            title.setWrapText(true);
            title.getStyleClass().add(Styles.TEXT_BOLD);
            detail.setWrapText(true);
            detail.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            where.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            severity.setMinWidth(Region.USE_PREF_SIZE);
            HBox line = new HBox(8, severity, title);
            line.setAlignment(Pos.TOP_LEFT);
            box = new VBox(2, line, where, detail);
            box.setMinWidth(0);
            setPrefWidth(0); // wrap to the list's width instead of widening it
        }

        @Override
        protected void updateItem(Finding f, boolean empty) {
            super.updateItem(f, empty);
            if (empty || f == null) {
                setGraphic(null);
                return;
            }
            severity.setText(f.severity().word());
            severity.setGraphic(new FontIcon(switch (f.severity()) {
                case CRITICAL -> Feather.ALERT_OCTAGON;
                case WARNING -> Feather.ALERT_TRIANGLE;
                case INFO -> Feather.INFO;
            }));
            severity.getStyleClass().removeAll(Styles.DANGER, Styles.WARNING, Styles.ACCENT);
            severity.getStyleClass().add(switch (f.severity()) {
                case CRITICAL -> Styles.DANGER;
                case WARNING -> Styles.WARNING;
                case INFO -> Styles.ACCENT;
            });
            title.setText(f.title());
            where.setText(f.rule() + (f.snapshot() == null ? "" : " · snapshot " + f.snapshot())
                    + (f.atMs() < 0 ? "" : " · " + TimeText.relative(f.atMs() * 1_000_000)));
            detail.setText(f.detail() == null ? "" : f.detail());
            detail.setVisible(f.detail() != null && !f.detail().isBlank());
            detail.setManaged(detail.isVisible());
            setGraphic(box);
        }
    }
}
