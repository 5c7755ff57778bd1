package dev.freezeframe.app.ui.launch;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.run.RunOption;
import dev.freezeframe.app.run.RunOptions;
import dev.freezeframe.coordinator.watch.WatchSlots;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The New run form (code, no FXML): the fields on the left, each with its problem under it; the scenario preview,
 * captures and the command line on the right; Start at the bottom, disabled with the first reason as its tooltip.
 * Every edit goes to {@link LaunchFormModel}; every value shown comes from it.
 */
public final class LaunchFormView extends BorderPane {
    private static final String STYLESHEET = LaunchFormView.class.getResource("launch-form.css").toExternalForm();

    private final LaunchFormModel model;
    private final KitPane kitPane;
    private final FlowPane watchChips = new FlowPane(6, 6);
    private final FlowPane includeChips = new FlowPane(6, 6);

    public LaunchFormView(LaunchFormModel model) {
        this.model = model;
        this.kitPane = new KitPane(model.kit());
        setId("launchForm");
        getStyleClass().add("launch-form");
        getStylesheets().add(STYLESHEET);

        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(12);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        labels.setHalignment(HPos.RIGHT);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        fields.setMinWidth(280);
        grid.getColumnConstraints().setAll(labels, fields);
        int row = 0;
        row = addRow(grid, row, "Kernel", kernelField());
        row = addRow(grid, row, "Scheduler", schedulerField());
        row = addRow(grid, row, "Scenario", scenarioField());
        row = addRow(grid, row, "Guest", guestField());
        row = addRow(grid, row, "Snapshots", snapshotsField());
        row = addRow(grid, row, "Watches", watchesField());
        row = addRow(grid, row, "Include files", includesField());
        row = addRow(grid, row, "Start", freezeField());
        addRow(grid, row, "Archive", archiveField());

        Label title = new Label("New run");
        title.getStyleClass().add(Styles.TITLE_3);
        // a missing kit comes first: nothing runs without it
        VBox form = new VBox(16, title, kitPane.buildBox(), grid);
        form.getStyleClass().add("form-area");
        form.setFillWidth(true);
        ScrollPane scroll = new ScrollPane(form);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add(atlantafx.base.theme.Tweaks.EDGE_TO_EDGE);

        BorderPane left = new BorderPane(scroll);
        left.setBottom(startBar());
        setCenter(left);
        setRight(new PreviewPane(model));
    }

    private static int addRow(GridPane grid, int row, String name, Node field) {
        Label label = new Label(name);
        label.getStyleClass().add("section-label");
        GridPane.setValignment(label, VPos.TOP);
        grid.add(label, 0, row);
        grid.add(field, 1, row);
        return row + 1;
    }

    private Node kernelField() {
        ToggleGroup group = new ToggleGroup();
        RadioButton kit = new RadioButton("Guest kit");
        kit.setId("kernelKit");
        kit.setToggleGroup(group);
        RadioButton custom = new RadioButton("Custom bzImage");
        custom.setId("kernelCustom");
        custom.setToggleGroup(group);
        Runnable showSource = () -> group.selectToggle(model.kernelSourceProperty().get()
                == LaunchFormModel.KernelSource.KIT ? kit : custom);
        showSource.run();
        model.kernelSourceProperty().addListener((obs, was, now) -> showSource.run());
        group.selectedToggleProperty().addListener((obs, was, now) -> {
            if (now != null) model.setKernelSource(now == kit ? LaunchFormModel.KernelSource.KIT
                    : LaunchFormModel.KernelSource.CUSTOM);
        });

        TextField path = new TextField();
        path.setId("kernelField");
        path.setPromptText("arch/x86/boot/bzImage or /boot/vmlinuz-…");
        Fields.sync(path, model.kernelPathProperty(), model::setKernelPath);
        Button browse = browseButton("browseKernel", "Choose a kernel image (bzImage)", null,
                file -> model.setKernelPath(file.toString()));
        HBox.setHgrow(path, Priority.ALWAYS);
        HBox kitRow = new HBox(10, kit, kitPane.status());
        kitRow.setAlignment(Pos.CENTER_LEFT);
        HBox customRow = new HBox(8, custom, path, browse);
        customRow.setAlignment(Pos.CENTER_LEFT);
        return Fields.withProblem(new VBox(6, kitRow, customRow), model.problemProperty(RunOption.KERNEL),
                "kernelProblem");
    }

    private Node schedulerField() {
        ComboBox<String> scheduler = new ComboBox<>(model.schedulerChoices());
        scheduler.setId("schedulerField");
        scheduler.setEditable(true);
        scheduler.setPromptText("scx_simple, or your binary's path");
        scheduler.setPrefWidth(220);
        scheduler.setMinWidth(150);
        Fields.sync(scheduler.getEditor(), model.schedulerProperty(), model::setScheduler);
        Button browse = browseButton("browseScheduler", "Choose your scheduler binary", null,
                file -> scheduler.getEditor().setText(file.toString()));
        TextField args = new TextField();
        args.setId("schedulerArgs");
        args.setPromptText("arguments, e.g. -e 50");
        args.setMinWidth(120);
        Fields.sync(args, model.schedulerArgsProperty(), model::setSchedulerArgs);
        HBox.setHgrow(args, Priority.ALWAYS);
        HBox row = new HBox(8, scheduler, browse, args);
        row.setAlignment(Pos.CENTER_LEFT);
        VBox box = Fields.withProblem(row, model.problemProperty(RunOption.SCHEDULER), "schedulerProblem");
        box.getChildren().add(Fields.hint("A kit scheduler, or the path of your own binary (copied into the guest)."
                + " Arguments are split on spaces."));
        return box;
    }

    private Node scenarioField() {
        ComboBox<String> scenario = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(
                LaunchFormModel.builtInScenarios()));
        scenario.setId("scenarioField");
        scenario.setEditable(true);
        scenario.setPromptText("built-in name or scenario file");
        scenario.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(scenario, Priority.ALWAYS);
        Fields.sync(scenario.getEditor(), model.scenarioProperty(), model::setScenario);
        Button browse = browseButton("browseScenario", "Choose a scenario file", new FileChooser.ExtensionFilter(
                "Scenario (*.json)", "*.json"), file -> scenario.getEditor().setText(file.toString()));
        HBox row = new HBox(8, scenario, browse);
        row.setAlignment(Pos.CENTER_LEFT);
        VBox box = Fields.withProblem(row, model.problemProperty(RunOption.SCENARIO), "scenarioProblem");
        box.getChildren().add(Fields.hint("Its steps are previewed on the right."));
        return box;
    }

    private Node guestField() {
        Spinner<Integer> vcpus = new Spinner<>(new SpinnerValueFactory.IntegerSpinnerValueFactory(
                RunOptions.MIN_VCPUS, RunOptions.MAX_VCPUS, RunOptions.DEFAULT_VCPUS));
        vcpus.setId("vcpusField");
        vcpus.setEditable(true);
        vcpus.setPrefWidth(96);
        vcpus.setMinWidth(Region.USE_PREF_SIZE);
        Fields.sync(vcpus, model.vcpusProperty(), model::setVcpus);
        ComboBox<String> memory = new ComboBox<>(javafx.collections.FXCollections.observableArrayList("512M", "768M",
                "1G", "2G", "4G", "8G"));
        memory.setId("memoryField");
        memory.setEditable(true);
        memory.setPrefWidth(110);
        Fields.sync(memory.getEditor(), model.memoryProperty(), model::setMemory);
        VBox vcpuBox = Fields.withProblem(labelled("vCPUs", vcpus), model.problemProperty(RunOption.VCPUS),
                "vcpusProblem");
        VBox memoryBox = Fields.withProblem(labelled("memory", memory), model.problemProperty(RunOption.MEMORY),
                "memoryProblem");
        HBox.setHgrow(memoryBox, Priority.ALWAYS);
        vcpuBox.setMaxWidth(260);
        HBox row = new HBox(24, vcpuBox, memoryBox);
        row.setAlignment(Pos.TOP_LEFT);
        return row;
    }

    private Node snapshotsField() {
        Spinner<Integer> snapshots = new Spinner<>(new SpinnerValueFactory.IntegerSpinnerValueFactory(0,
                RunOptions.MAX_SNAPSHOTS, 0));
        snapshots.setId("snapshotsField");
        snapshots.setEditable(true);
        snapshots.setPrefWidth(96);
        snapshots.setMinWidth(Region.USE_PREF_SIZE);
        Fields.sync(snapshots, model.snapshotsProperty(), model::setSnapshots);
        HBox row = new HBox(10, labelled("periodic", snapshots), Fields.hint("spread over the workload; the"
                + " scheduler erroring out is always captured"));
        row.setAlignment(Pos.CENTER_LEFT);
        return Fields.withProblem(row, model.problemProperty(RunOption.SNAPSHOTS), "snapshotsProblem");
    }

    private final javafx.scene.control.ContextMenu suggestions = new javafx.scene.control.ContextMenu();
    private SymbolCompletion completion;

    private Node watchesField() {
        TextField entry = new TextField();
        entry.setId("watchField");
        entry.setPromptText("+ symbol, e.g. total_forks or jiffies_64:8");
        entry.setPrefColumnCount(18);
        Fields.sync(entry, model.watchEntryProperty(), model::setWatchEntry);
        suggestions.setId("watchSuggestions");
        entry.textProperty().addListener((obs, was, now) -> suggest(entry, now));
        entry.focusedProperty().addListener((obs, was, focused) -> {
            if (!focused) suggestions.hide();
        });
        entry.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.addWatch();
                e.consume();
            }
        });
        Button add = new Button("Add", new FontIcon(Feather.PLUS));
        add.setId("addWatch");
        add.setOnAction(e -> model.addWatch());
        watchChips.setId("watchChips");
        watchChips.setAlignment(Pos.CENTER_LEFT);
        model.watches().addListener((ListChangeListener<String>) c -> showChips());
        showChips();
        HBox.setHgrow(entry, Priority.SOMETIMES);
        HBox entryRow = new HBox(8, entry, add);
        entryRow.setAlignment(Pos.CENTER_LEFT);
        Label slots = Fields.hint(WatchSlots.USER_SLOTS + " user slots (1–3); slot 0 is the scheduler-error trigger."
                + " Armed once the scheduler is enabled.");
        Label problem = new Label();
        problem.setId("watchProblem");
        problem.getStyleClass().add("field-problem");
        problem.setWrapText(true);
        // the entry's refusal while one is showing, else what is wrong with the list (a fourth watch)
        problem.textProperty().bind(javafx.beans.binding.Bindings.when(model.watchEntryProblemProperty().isEmpty())
                .then(model.problemProperty(RunOption.WATCHES)).otherwise(model.watchEntryProblemProperty()));
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.textProperty().addListener((obs, was, now) -> entry.pseudoClassStateChanged(Styles.STATE_DANGER,
                !now.isEmpty()));
        return new VBox(6, watchChips, entryRow, problem, slots);
    }

    /**
     * Completes the watch entry from the kernel's cached symbols once they are known (a previous run of this kernel
     * build left them); until then the entry is plain text.
     */
    public void setSymbolCompletion(SymbolCompletion completion) {
        this.completion = completion;
    }

    private void suggest(TextField entry, String typed) {
        List<String> names = completion == null || typed == null || typed.strip().length() < 2
                || typed.contains("+") || typed.contains(":") ? List.of() : completion.complete(typed, 12);
        if (names.isEmpty() || names.size() == 1 && names.getFirst().equals(typed.strip())) {
            suggestions.hide();
            return;
        }
        suggestions.getItems().setAll(names.stream().map(name -> {
            javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem(name);
            item.setOnAction(e -> {
                entry.setText(name);
                entry.positionCaret(name.length());
            });
            return item;
        }).toList());
        if (!suggestions.isShowing() && entry.isFocused() && entry.getScene() != null) {
            suggestions.show(entry, javafx.geometry.Side.BOTTOM, 0, 0);
        }
    }

    private void showChips() {
        List<String> watches = model.watches();
        watchChips.getChildren().clear();
        for (int i = 0; i < watches.size(); i++) {
            int index = i;
            Label name = new Label(watches.get(i));
            Button remove = new Button(null, new FontIcon(Feather.X));
            remove.setId("removeWatch" + i);
            remove.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
            remove.setTooltip(new Tooltip("Remove this watch"));
            remove.setOnAction(e -> model.removeWatch(index));
            HBox chip = new HBox(2, name, remove);
            chip.getStyleClass().add("watch-chip");
            if (i >= WatchSlots.USER_SLOTS) chip.getStyleClass().add("no-slot");
            chip.setAlignment(Pos.CENTER_LEFT);
            watchChips.getChildren().add(chip);
        }
        watchChips.setVisible(!watches.isEmpty());
        watchChips.setManaged(!watches.isEmpty());
    }

    /** Files shipped into the guest for the scenario's exec workloads: chips, and an entry checked when added. */
    private Node includesField() {
        TextField entry = new TextField();
        entry.setId("includeField");
        entry.setPromptText("+ a static binary or #! script, PATH[:NAME]");
        entry.setPrefColumnCount(18);
        Fields.sync(entry, model.includeEntryProperty(), model::setIncludeEntry);
        entry.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                model.addInclude();
                e.consume();
            }
        });
        Button browse = browseButton("browseInclude", "Choose a file to ship into the guest", null,
                file -> entry.setText(file.toString()));
        Button add = new Button("Add", new FontIcon(Feather.PLUS));
        add.setId("addInclude");
        add.setOnAction(e -> model.addInclude());
        includeChips.setId("includeChips");
        includeChips.setAlignment(Pos.CENTER_LEFT);
        model.includes().addListener((ListChangeListener<String>) c -> showIncludeChips());
        showIncludeChips();
        HBox.setHgrow(entry, Priority.SOMETIMES);
        HBox entryRow = new HBox(8, entry, browse, add);
        entryRow.setAlignment(Pos.CENTER_LEFT);
        Label problem = new Label();
        problem.setId("includeProblem");
        problem.getStyleClass().add("field-problem");
        problem.setWrapText(true);
        // the entry's refusal while one is showing, else what is wrong with the list (a name twice, a ninth file)
        problem.textProperty().bind(javafx.beans.binding.Bindings.when(model.includeEntryProblemProperty().isEmpty())
                .then(model.problemProperty(RunOption.INCLUDES)).otherwise(model.includeEntryProblemProperty()));
        problem.visibleProperty().bind(problem.textProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        problem.textProperty().addListener((obs, was, now) -> entry.pseudoClassStateChanged(Styles.STATE_DANGER,
                !now.isEmpty()));
        return new VBox(6, includeChips, entryRow, problem, Fields.hint("Shipped as /run.d/include/NAME for the"
                + " scenario's exec workloads (the guest has no dynamic loader: link statically)."));
    }

    private void showIncludeChips() {
        List<String> files = model.includes();
        includeChips.getChildren().clear();
        for (int i = 0; i < files.size(); i++) {
            int index = i;
            Label name = new Label(files.get(i));
            Button remove = new Button(null, new FontIcon(Feather.X));
            remove.setId("removeInclude" + i);
            remove.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
            remove.setTooltip(new Tooltip("Do not ship this file"));
            remove.setOnAction(e -> model.removeInclude(index));
            HBox chip = new HBox(2, name, remove);
            chip.getStyleClass().add("watch-chip");
            chip.setAlignment(Pos.CENTER_LEFT);
            includeChips.getChildren().add(chip);
        }
        includeChips.setVisible(!files.isEmpty());
        includeChips.setManaged(!files.isEmpty());
    }

    private Node freezeField() {
        CheckBox freeze = new CheckBox("freeze as soon as the scheduler is enabled");
        freeze.setId("freezeOnEnable");
        freeze.setSelected(model.freezeOnEnableProperty().get());
        freeze.selectedProperty().addListener((obs, was, now) -> {
            if (now != model.freezeOnEnableProperty().get()) model.setFreezeOnEnable(now);
        });
        model.freezeOnEnableProperty().addListener((obs, was, now) -> freeze.setSelected(now));
        CheckBox forkable = new CheckBox("forkable snapshots");
        forkable.setId("forkableSnapshots");
        forkable.setSelected(model.forkableProperty().get());
        forkable.selectedProperty().addListener((obs, was, now) -> {
            if (now != model.forkableProperty().get()) model.setForkable(now);
        });
        model.forkableProperty().addListener((obs, was, now) -> forkable.setSelected(now));
        return new VBox(3, freeze, Fields.hint("Gives a still guest before the workload: arm watches, then resume"
                + " (F5)."), forkable, Fields.hint("Every snapshot also keeps the whole VM (a few MiB each), so a new"
                + " run can go on from it: Fork from here."));
    }

    private Node archiveField() {
        Label path = new Label();
        path.setId("archivePath");
        path.getStyleClass().add("archive-path");
        path.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
        path.textProperty().bind(model.archiveProperty().asString());
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(path.textProperty());
        path.setTooltip(tip);
        path.setMinHeight(Region.USE_PREF_SIZE);
        path.setPadding(new Insets(5, 0, 0, 0));
        return path;
    }

    private Node startBar() {
        Button start = new Button("Start run", new FontIcon(Feather.PLAY));
        start.setId("startRun");
        start.getStyleClass().add(Styles.ACCENT);
        start.setDefaultButton(true);
        start.setMinWidth(Region.USE_PREF_SIZE);
        start.disableProperty().bind(model.canStartProperty().not());
        start.setOnAction(e -> model.start());
        Tooltip reason = new Tooltip();
        reason.textProperty().bind(javafx.beans.binding.Bindings.when(model.canStartProperty())
                .then("Start the run (Enter)").otherwise(model.startBlockedByProperty()));
        reason.setWrapText(true);
        reason.setMaxWidth(420);
        start.setTooltip(reason);
        // a disabled button gets no tooltip events: show the reason beside it too
        Label blocked = new Label();
        blocked.setId("startBlockedBy");
        blocked.getStyleClass().add(Styles.TEXT_MUTED);
        blocked.textProperty().bind(model.startBlockedByProperty());
        blocked.setTextOverrun(javafx.scene.control.OverrunStyle.ELLIPSIS);
        blocked.setMinWidth(0);
        HBox.setHgrow(blocked, Priority.ALWAYS);
        blocked.setMaxWidth(Double.MAX_VALUE);
        blocked.setAlignment(Pos.CENTER_RIGHT);
        HBox bar = new HBox(12, blocked, start);
        bar.setAlignment(Pos.CENTER_RIGHT);
        bar.setPadding(new Insets(10, 20, 12, 20));
        bar.setStyle("-fx-border-color: -color-border-default; -fx-border-width: 1 0 0 0;");
        return bar;
    }

    private static Node labelled(String text, Node control) {
        Label label = new Label(text);
        label.getStyleClass().add(Styles.TEXT_MUTED);
        label.setMinWidth(Region.USE_PREF_SIZE);
        HBox box = new HBox(8, label, control);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private Button browseButton(String id, String title, FileChooser.ExtensionFilter filter,
                                java.util.function.Consumer<Path> chosen) {
        Button browse = new Button("Browse…", new FontIcon(Feather.FOLDER));
        browse.setId(id);
        browse.setMinWidth(Region.USE_PREF_SIZE);
        browse.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle(title);
            if (filter != null) chooser.getExtensionFilters().addAll(filter, new FileChooser.ExtensionFilter(
                    "All files", "*"));
            Window window = getScene() == null ? null : getScene().getWindow();
            File file = chooser.showOpenDialog(window);
            if (file != null) chosen.accept(file.toPath().toAbsolutePath());
        });
        return browse;
    }

    /** The model this view shows. */
    public LaunchFormModel model() {
        return model;
    }
}
