package dev.freezeframe.app.ui;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.freezeframe.persistence.ArchivedRun;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The archive browser: the runs of the open archive in a table, or what to do when there are none. */
public final class ArchiveBrowserView extends BorderPane {
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final TableView<ArchivedRun> table = new TableView<>();

    public ArchiveBrowserView(ArchiveBrowserModel model, String firstRunHint) {
        getStyleClass().add("archive-browser");
        setPadding(new Insets(16));

        Label title = new Label("Runs");
        title.getStyleClass().add(Styles.TITLE_3);
        Label path = new Label();
        path.setId("archivePath");
        path.getStyleClass().add(Styles.TEXT_MUTED);
        path.textProperty().bind(Bindings.createStringBinding(
                () -> model.archivePathProperty().get() == null ? "" : model.archivePathProperty().get().toString(),
                model.archivePathProperty()));
        Button refresh = new Button(null, new FontIcon(Feather.REFRESH_CW));
        refresh.setId("refreshRuns");
        refresh.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        refresh.setOnAction(e -> model.reload());
        refresh.setTooltip(new Tooltip("Reload the archive"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(12, new VBox(2, title, path), spacer, refresh);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(0, 0, 12, 0));
        setTop(header);

        table.setId("runsTable");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setItems(model.runs());
        // fixed-format columns keep their width; free text gives way when the window is narrow
        table.getColumns().add(column("ID", 60, 60, run -> Long.toString(run.id())));
        table.getColumns().add(column("Started", 165, 165, run -> STARTED.format(run.startedAt())));
        table.getColumns().add(column("Scheduler", 120, 90, ArchivedRun::scheduler));
        table.getColumns().add(column("Arguments", 120, 80, ArchivedRun::schedulerArgs));
        table.getColumns().add(column("Scenario", 140, 90, ArchivedRun::scenario));
        table.getColumns().add(column("Kernel", 200, 100, run -> run.kernelVersion().orElse(run.kernel())));
        table.getColumns().add(column("vCPUs", 70, 70, run -> Integer.toString(run.vcpus())));
        table.getColumns().add(verdictColumn());
        table.getColumns().add(column("Duration", 90, 90,
                run -> run.durationMs().map(ms -> String.format("%.1f s", ms / 1000.0)).orElse("—")));
        table.setPlaceholder(emptyState(firstRunHint));

        Message error = new Message("Cannot open the archive", "", new FontIcon(Feather.ALERT_TRIANGLE));
        error.setId("archiveError");
        error.getStyleClass().add(Styles.DANGER);
        error.descriptionProperty().bind(model.errorMessageProperty());
        error.visibleProperty().bind(model.statusProperty().isEqualTo(ArchiveBrowserModel.Status.FAILED));
        error.managedProperty().bind(error.visibleProperty());
        StackPane.setAlignment(error, Pos.TOP_CENTER);
        error.setMaxHeight(Region.USE_PREF_SIZE);

        ProgressIndicator loading = new ProgressIndicator();
        loading.setMaxSize(48, 48);
        loading.visibleProperty().bind(model.statusProperty().isEqualTo(ArchiveBrowserModel.Status.LOADING));

        table.visibleProperty().bind(model.statusProperty().isNotEqualTo(ArchiveBrowserModel.Status.FAILED));
        setCenter(new StackPane(table, loading, error));
    }

    private static Region emptyState(String firstRunHint) {
        FontIcon icon = new FontIcon(Feather.INBOX);
        icon.getStyleClass().add(Styles.TEXT_MUTED);
        // Scaled rather than sized: the theme's inherited font size resets a FontIcon's icon size.
        icon.setScaleX(3);
        icon.setScaleY(3);
        javafx.scene.Group bigIcon = new javafx.scene.Group(icon);
        Label heading = new Label("No runs yet");
        heading.setId("emptyArchiveHeading");
        heading.getStyleClass().add(Styles.TITLE_4);
        Label body = new Label("Every run you start is recorded here: configuration, console, events, snapshots "
                + "and verdict.");
        body.setWrapText(true);
        body.getStyleClass().add(Styles.TEXT_MUTED);
        int colon = firstRunHint.indexOf(": ");
        Label how = new Label(colon < 0 ? firstRunHint : firstRunHint.substring(0, colon + 1));
        how.setId("firstRunHint");
        how.setWrapText(true);
        VBox box = new VBox(10, bigIcon, heading, body, how);
        if (colon >= 0) {
            // A read-only text field so the command can be selected and copied.
            TextField command = new TextField(firstRunHint.substring(colon + 2));
            command.setId("firstRunCommand");
            command.setEditable(false);
            command.getStyleClass().add("monospace");
            command.setStyle("-fx-font-family: monospace;");
            command.setPrefColumnCount(command.getText().length());
            box.getChildren().add(command);
        }
        box.setAlignment(Pos.CENTER);
        box.setMaxWidth(560);
        box.setFillWidth(false);
        body.setMaxWidth(520);
        return box;
    }

    private static TableColumn<ArchivedRun, String> column(String name, double width, double minWidth,
                                                           Function<ArchivedRun, String> value) {
        TableColumn<ArchivedRun, String> column = new TableColumn<>(name);
        column.setPrefWidth(width);
        column.setMinWidth(minWidth);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        return column;
    }

    private static FontIcon warningSign() {
        FontIcon sign = new FontIcon(Feather.ALERT_TRIANGLE);
        sign.getStyleClass().add(Styles.WARNING);
        return sign;
    }

    private static Tooltip noteTooltip(String note) {
        Tooltip tooltip = new Tooltip(note);
        tooltip.setWrapText(true);
        tooltip.setMaxWidth(480);
        return tooltip;
    }

    private static TableColumn<ArchivedRun, String> verdictColumn() {
        TableColumn<ArchivedRun, String> column = column("Verdict", 160, 160, ArchivedRun::verdictLabel);
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String verdict, boolean empty) {
                super.updateItem(verdict, empty);
                if (empty || verdict == null) {
                    setText(null);
                    setStyle(null);
                    setTooltip(null);
                    setGraphic(null);
                    return;
                }
                setText(verdict.replace('_', ' '));
                // an incomplete record (e.g. a cut-off import) gets a warning sign; its note is one hover away
                Optional<String> note = Optional.ofNullable(getTableRow().getItem())
                        .flatMap(ArchivedRun::archiveNote);
                setTooltip(note.map(ArchiveBrowserView::noteTooltip).orElse(null));
                setGraphic(note.map(n -> (Node) warningSign()).orElse(null));
                setContentDisplay(ContentDisplay.RIGHT);
                // theme colour variables, so the verdict reads right in both the light and the dark theme
                String colour = switch (verdict) {
                    case "passed" -> "-color-success-fg";
                    case "scheduler_failed", "error" -> "-color-danger-fg";
                    case "running" -> "-color-accent-fg";
                    default -> "-color-warning-fg";
                };
                setStyle("-fx-text-fill: " + colour + "; -fx-font-weight: bold;");
            }
        });
        return column;
    }
}
