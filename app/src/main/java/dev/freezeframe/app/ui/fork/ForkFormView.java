package dev.freezeframe.app.ui.fork;

import atlantafx.base.theme.Styles;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The "Fork from here" form over a {@link ForkFormModel}: another scenario (or the parent's going on), watches, periodic
 * snapshots, forkable, the problem in words
 * when there is one, the equivalent command line (copyable), Start fork and Cancel.
 */
public final class ForkFormView extends VBox {
    private final Button start = new Button("Start fork", new FontIcon(Feather.GIT_BRANCH));
    private final Button cancel = new Button("Cancel");

    /**
     * @param onStart told the request when Start fork is pressed on a valid form
     * @param onClose told when the form is done (started or cancelled)
     */
    public ForkFormView(ForkFormModel model, Consumer<ForkRequest> onStart, Runnable onClose) {
        setId("forkForm");
        setSpacing(10);
        setPadding(new Insets(16));
        setPrefWidth(620);

        Label title = new Label(model.title());
        title.setId("forkTitle");
        title.getStyleClass().add(Styles.TITLE_4);
        Label keeps = new Label(model.keeps());
        keeps.setWrapText(true);
        keeps.getStyleClass().add(Styles.TEXT_MUTED);
        keeps.setMinHeight(Region.USE_PREF_SIZE);

        TextField watches = new TextField(model.watchesProperty().get());
        watches.setId("forkWatches");
        watches.setPromptText("SYMBOL[+OFF][:SIZE][@LABEL] … up to 3, separated by spaces");
        watches.textProperty().addListener((obs, was, now) -> model.setWatches(now));
        ComboBox<String> scenario = new ComboBox<>(FXCollections.observableArrayList(ScenarioLoader.BUILT_INS));
        scenario.setId("forkScenario");
        scenario.setEditable(true);
        scenario.setPromptText("the parent's, going on where it was (or a built-in name or scenario file)");
        scenario.setMaxWidth(Double.MAX_VALUE);
        scenario.setTooltip(new Tooltip("Run another scenario from the fork instant: the step that runs is cut short"));
        scenario.getEditor().textProperty().addListener((obs, was, now) -> model.setScenario(now));
        TextField snapshots = new TextField(model.snapshotsProperty().get());
        snapshots.setId("forkSnapshots");
        snapshots.setPrefColumnCount(5);
        snapshots.setTooltip(new Tooltip("Periodic snapshots spread over the scenario, counted from the fork"));
        snapshots.textProperty().addListener((obs, was, now) -> model.setSnapshots(now));
        CheckBox forkable = new CheckBox("Keep the fork's snapshots forkable too");
        forkable.setId("forkForkable");
        forkable.setSelected(model.forkableProperty().get());
        forkable.selectedProperty().addListener((obs, was, now) -> model.setForkable(now));

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.addRow(0, new Label("Scenario"), scenario);
        grid.addRow(1, new Label("Watches"), watches);
        grid.addRow(2, new Label("Periodic snapshots"), snapshots);
        grid.add(forkable, 1, 3);
        GridPane.setHgrow(watches, Priority.ALWAYS);
        GridPane.setHgrow(scenario, Priority.ALWAYS);

        Label problem = new Label();
        problem.setId("forkProblem");
        problem.setWrapText(true);
        problem.getStyleClass().add(Styles.DANGER);
        problem.textProperty().bind(model.problemProperty());
        problem.visibleProperty().bind(model.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());

        TextField command = new TextField();
        command.setId("forkCommand");
        command.setEditable(false);
        command.textProperty().bind(model.commandLineProperty());
        command.getStyleClass().add("monospace");
        Button copy = new Button(null, new FontIcon(Feather.COPY));
        copy.setId("forkCopy");
        copy.setTooltip(new Tooltip("Copy the command line"));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(command.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        HBox commandRow = new HBox(6, command, copy);
        HBox.setHgrow(command, Priority.ALWAYS);
        Label commandLabel = new Label("The same from a terminal:");
        commandLabel.getStyleClass().add(Styles.TEXT_MUTED);

        start.setId("forkStart");
        start.setDefaultButton(true);
        start.getStyleClass().add(Styles.ACCENT);
        start.disableProperty().bind(model.problemProperty().isNotEmpty());
        start.setOnAction(e -> model.request().ifPresent(r -> {
            onStart.accept(r);
            onClose.run();
        }));
        cancel.setId("forkCancel");
        cancel.setCancelButton(true);
        cancel.setOnAction(e -> onClose.run());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, gap, cancel, start);
        buttons.setAlignment(Pos.CENTER_RIGHT);

        getChildren().addAll(title, keeps, grid, problem, commandLabel, commandRow, buttons);
    }

    public Button startButton() {
        return start;
    }
}
