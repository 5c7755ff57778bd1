package dev.freezeframe.app.ui.launch;

import atlantafx.base.theme.Styles;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.watch.WatchSlots;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The launch form's right side: what the chosen scenario will do (steps with workload and duration, drawn to scale
 * and listed), what will be captured, and the equivalent command line with a Copy button.
 */
final class PreviewPane extends VBox {
    /** Boot and scheduler start shown before the steps: a rough share of the bar, not a measured time. */
    private static final double SETUP_SHARE = 0.12;

    private final LaunchFormModel model;
    private final Label headline = new Label();
    private final Label description = new Label();
    private final HBox stepBar = new HBox();
    private final GridPane steps = new GridPane();
    private final VBox captures = new VBox(3);
    private final VBox scenarioBox;

    PreviewPane(LaunchFormModel model) {
        super(10);
        this.model = model;
        getStyleClass().add("preview-area");
        setMinWidth(340);
        setPrefWidth(440);

        Label title = new Label("Preview");
        title.getStyleClass().add(Styles.TITLE_4);

        headline.setId("scenarioHeadline");
        headline.getStyleClass().add(Styles.TEXT_BOLD);
        description.getStyleClass().add(Styles.TEXT_MUTED);
        description.setWrapText(true);
        stepBar.getStyleClass().add("step-bar");
        stepBar.setId("stepBar");
        stepBar.setMinHeight(22);
        stepBar.setPrefHeight(22);
        stepBar.setMaxHeight(22);
        steps.getStyleClass().add("step-table");
        steps.setHgap(10);
        steps.setVgap(3);
        ColumnConstraints number = new ColumnConstraints();
        ColumnConstraints name = new ColumnConstraints();
        name.setHgrow(Priority.SOMETIMES);
        ColumnConstraints workload = new ColumnConstraints();
        workload.setHgrow(Priority.ALWAYS);
        ColumnConstraints duration = new ColumnConstraints();
        duration.setHalignment(javafx.geometry.HPos.RIGHT);
        duration.setMinWidth(Region.USE_PREF_SIZE);
        steps.getColumnConstraints().setAll(number, name, workload, duration);
        scenarioBox = new VBox(8, headline, description, stepBar, steps);
        scenarioBox.setId("scenarioPreview");

        captures.setId("capturePreview");

        Label commandTitle = new Label("Command line");
        commandTitle.getStyleClass().add("preview-heading");
        Button copy = new Button("Copy", new FontIcon(Feather.COPY));
        copy.setId("copyCommandLine");
        copy.getStyleClass().addAll(Styles.SMALL, Styles.BUTTON_OUTLINED);
        copy.setTooltip(new Tooltip("Copy the command to the clipboard: it starts the same run headless"));
        copy.setOnAction(e -> copyCommandLine());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox commandHeader = new HBox(8, commandTitle, gap, copy);
        commandHeader.setAlignment(Pos.CENTER_LEFT);
        TextArea commandLine = new TextArea();
        commandLine.setId("commandLine");
        commandLine.getStyleClass().add("command-line");
        commandLine.setEditable(false);
        commandLine.setWrapText(true);
        commandLine.setPrefRowCount(5);
        commandLine.setMinHeight(Region.USE_PREF_SIZE);
        commandLine.textProperty().bind(model.commandLineProperty());

        Label scenarioTitle = new Label("Scenario");
        scenarioTitle.getStyleClass().add("preview-heading");
        Label capturesTitle = new Label("Captures");
        capturesTitle.getStyleClass().add("preview-heading");
        Region push = new Region();
        VBox.setVgrow(push, Priority.ALWAYS);
        getChildren().addAll(title, scenarioTitle, scenarioBox, capturesTitle, captures, push, commandHeader,
                commandLine);

        model.previewProperty().addListener((obs, was, now) -> showScenario(now));
        model.configProperty().addListener((obs, was, now) -> showCaptures());
        model.snapshotsProperty().addListener((obs, was, now) -> showCaptures());
        model.freezeOnEnableProperty().addListener((obs, was, now) -> showCaptures());
        model.watches().addListener((javafx.collections.ListChangeListener<String>) c -> showCaptures());
        showScenario(model.previewProperty().get());
        showCaptures();
    }

    private void copyCommandLine() {
        ClipboardContent content = new ClipboardContent();
        content.putString(model.commandLineProperty().get());
        Clipboard.getSystemClipboard().setContent(content);
    }

    private void showScenario(ScenarioPreview preview) {
        steps.getChildren().clear();
        stepBar.getChildren().clear();
        if (preview == null) {
            headline.setText("No scenario to preview");
            description.setText("Choose a built-in scenario or a scenario file to see its steps.");
            stepBar.setVisible(false);
            return;
        }
        stepBar.setVisible(true);
        headline.setText(preview.headline());
        description.setText(preview.description());
        description.setVisible(!preview.description().isEmpty());
        description.setManaged(description.isVisible());

        stepBar.getChildren().add(segment("boot", SETUP_SHARE, "setup", "Boot the guest and enable the"
                + " scheduler (time depends on the host)"));
        double total = Math.max(1, preview.totalMs());
        List<ScenarioPreview.StepRow> rows = preview.steps();
        for (int i = 0; i < rows.size(); i++) {
            ScenarioPreview.StepRow row = rows.get(i);
            double share = (1 - SETUP_SHARE) * row.durationMs() / total;
            stepBar.getChildren().add(segment(row.name(), share, i % 2 == 0 ? "even" : "odd", (i + 1) + ". "
                    + row.name() + " — " + row.workload() + ", " + ScenarioPreview.duration(row.durationMs())));

            Label number = cell((i + 1) + ".", "step-number");
            Label name = cell(row.name(), "step-name");
            Label workload = cell(row.workload() + (row.actions().isEmpty() ? "" : " · " + row.actions()),
                    "step-workload");
            Label duration = cell(ScenarioPreview.duration(row.durationMs()), "step-duration");
            steps.addRow(i, number, name, workload, duration);
        }
        Label totalLabel = cell("total", "step-number");
        Label totalDuration = cell(ScenarioPreview.duration(preview.totalMs()), "step-duration");
        totalDuration.getStyleClass().add(Styles.TEXT_BOLD);
        totalDuration.setId("scenarioTotal");
        steps.add(totalLabel, 1, rows.size());
        steps.add(totalDuration, 3, rows.size());
    }

    private StackPane segment(String text, double share, String kind, String tip) {
        Label label = new Label(text);
        label.setTextOverrun(OverrunStyle.CLIP);
        label.setMinWidth(0);
        StackPane segment = new StackPane(label);
        segment.getStyleClass().addAll("step-segment", kind);
        segment.setMinWidth(3);
        segment.setAlignment(Pos.CENTER_LEFT);
        // widths follow the bar's width, each step its share of the workload
        segment.prefWidthProperty().bind(stepBar.widthProperty().multiply(share));
        Tooltip.install(segment, new Tooltip(tip));
        return segment;
    }

    private static Label cell(String text, String styleClass) {
        Label label = new Label(text);
        label.getStyleClass().add(styleClass);
        label.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        label.setMinWidth(Region.USE_PREF_SIZE);
        if (styleClass.equals("step-workload")) label.setMinWidth(40);
        return label;
    }

    private void showCaptures() {
        captures.getChildren().clear();
        RunConfig config = model.configProperty().get();
        String snapshotsText = model.snapshotsProperty().get().strip();
        int periodic = config != null ? config.snapshots() : snapshotsText.matches("\\d{1,4}")
                ? Integer.parseInt(snapshotsText) : 0;
        captures.getChildren().add(captureLine(periodic == 0 ? "◇ no periodic snapshots"
                : "◆ " + periodic + " periodic snapshot" + (periodic == 1 ? "" : "s") + " over the workload"));
        List<String> watches = model.watches();
        for (int i = 0; i < watches.size(); i++) {
            String slot = i < WatchSlots.USER_SLOTS ? "slot " + (i + 1) : "no free slot";
            captures.getChildren().add(captureLine("▲ " + watches.get(i) + " (" + slot + ")"));
        }
        captures.getChildren().add(captureLine("✖ error capture always on (slot 0)"));
        if (model.freezeOnEnableProperty().get()) {
            captures.getChildren().add(captureLine("❄ freezes when the scheduler is enabled; resume with F5"));
        }
    }

    private static Label captureLine(String text) {
        Label line = new Label(text);
        line.getStyleClass().add("capture-line");
        line.setWrapText(true);
        line.setPadding(new Insets(0, 0, 0, 2));
        return line;
    }
}
