package dev.freezeframe.app.ui;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.freezeframe.persistence.ArchivedRun;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import dev.freezeframe.app.ui.runs.AbMarks;
import dev.freezeframe.app.ui.runs.RunPreviewPane;
import dev.freezeframe.app.ui.runs.RunsFilterBar;
import dev.freezeframe.app.ui.runs.RunsDialogs;
import dev.freezeframe.persistence.RunFilter;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableRow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
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

/**
 * The archive browser: a filter bar that speaks the {@code runs list} options, the runs of the open archive in a
 * multi-select table, a preview of the selected run under it, and the actions open, compare, export, import and
 * delete. The lead window decides what opening and comparing do ({@link #setOnOpenRun}, {@link #setOnCompareRuns}).
 */
public final class ArchiveBrowserView extends BorderPane {
    private static final DateTimeFormatter STARTED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final ArchiveBrowserModel model;
    private final TableView<ArchivedRun> table = new TableView<>();
    private final RunsFilterBar filterBar;
    private final Button open = action("openRun", "Open", Feather.EXTERNAL_LINK, "Open the run in a tab (Enter)");
    private final Button compare = action("compareRuns", "Compare", Feather.COLUMNS, "Compare the two selected runs");
    private final Button export = action("exportRun", "Export…", Feather.SHARE, "Write the run to one file to share");
    private final Button importRun = action("importRun", "Import…", Feather.DOWNLOAD, "Add an exported run");
    private final Button delete = action("deleteRun", "Delete", Feather.TRASH_2, "Remove the run from the archive");
    private final Button compareAb = action("compareAB", "Compare A vs B", Feather.GIT_PULL_REQUEST,
            "Compare the runs marked A with those marked B (Ctrl+Enter); mark the selected runs with the A and B keys");
    private final Set<Long> selectedIds = new LinkedHashSet<>();
    private LongConsumer onOpenRun;
    private BiConsumer<Long, Long> onCompareRuns;
    private BiConsumer<List<Long>, List<Long>> onCompareGroups;
    private RunsDialogs dialogs = RunsDialogs.standard();

    public ArchiveBrowserView(ArchiveBrowserModel model, String firstRunHint) {
        this.model = model;
        this.filterBar = new RunsFilterBar(model::check, model::applyFilter, model.filterTextProperty());
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
        setTop(new VBox(6, header, filterBar, actionBar()));

        table.setId("runsTable");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        table.setItems(model.runs());
        // fixed-format columns keep their width; free text gives way when the window is narrow
        table.getColumns().add(abColumn());
        table.getColumns().add(idColumn());
        table.getColumns().add(column("Started", 165, 165, run -> STARTED.format(run.startedAt())));
        table.getColumns().add(column("Scheduler", 120, 90, ArchivedRun::scheduler));
        table.getColumns().add(column("Arguments", 120, 80, ArchivedRun::schedulerArgs));
        table.getColumns().add(column("Scenario", 140, 90, ArchivedRun::scenario));
        table.getColumns().add(column("Kernel", 200, 100, run -> run.kernelVersion().orElse(run.kernel())));
        table.getColumns().add(column("vCPUs", 70, 70, run -> Integer.toString(run.vcpus())));
        table.getColumns().add(verdictColumn());
        table.getColumns().add(column("Duration", 90, 90,
                run -> run.durationMs().map(ms -> String.format("%.1f s", ms / 1000.0)).orElse("—")));
        Region firstRun = emptyState(firstRunHint);
        Region noMatch = noMatchState();
        table.placeholderProperty().bind(Bindings.createObjectBinding(
                () -> model.filterProperty().get().equals(RunFilter.ALL) ? firstRun : noMatch,
                model.filterProperty()));
        table.setRowFactory(t -> {
            TableRow<ArchivedRun> row = new TableRow<>();
            // the A/B menu acts on the selection: a right-click outside it selects the row clicked first
            row.addEventFilter(javafx.scene.input.MouseEvent.MOUSE_PRESSED, e -> {
                if (e.getButton() == MouseButton.SECONDARY && !row.isEmpty() && !row.isSelected()) {
                    table.getSelectionModel().clearAndSelect(row.getIndex());
                }
            });
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    openRun(row.getItem());
                }
            });
            return row;
        });
        table.setContextMenu(abMenu());
        table.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (abKey(e)) {
                e.consume();
            } else if (e.getCode() == KeyCode.ENTER && table.getSelectionModel().getSelectedItem() != null) {
                openRun(table.getSelectionModel().getSelectedItem());
                e.consume();
            } else if (e.getCode() == KeyCode.DELETE && delete.isVisible() && !delete.isDisabled()) {
                deleteSelected();
                e.consume();
            }
        });
        keepSelectionAcrossReloads();

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
        RunPreviewPane preview = new RunPreviewPane(model.previewProperty());
        ScrollPane previewScroll = new ScrollPane(preview);
        previewScroll.setFitToWidth(true);
        previewScroll.getStyleClass().add(Tweaks.EDGE_TO_EDGE);
        SplitPane split = new SplitPane(new StackPane(table, loading, error), previewScroll);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.72);
        SplitPane.setResizableWithParent(previewScroll, false);
        setCenter(split);
    }

    /** What Open (Enter, double-click) does with the selected run's id. */
    public void setOnOpenRun(LongConsumer onOpenRun) {
        this.onOpenRun = onOpenRun;
    }

    /** What Compare does with the two selected runs' ids: (upper row, lower row) — A is the newer run. */
    public void setOnCompareRuns(BiConsumer<Long, Long> onCompareRuns) {
        this.onCompareRuns = onCompareRuns;
    }

    /** What "Compare A vs B" does with the runs marked A and those marked B (each in the order marked). */
    public void setOnCompareGroups(BiConsumer<List<Long>, List<Long>> onCompareGroups) {
        this.onCompareGroups = onCompareGroups;
    }

    /** Replaces the file choosers and the delete confirmation (tests, or a different shell). */
    public void setDialogs(RunsDialogs dialogs) {
        this.dialogs = dialogs;
    }

    private HBox actionBar() {
        var selected = table.getSelectionModel().getSelectedItems();
        var count = Bindings.size(selected);
        var notReady = model.statusProperty().isNotEqualTo(ArchiveBrowserModel.Status.READY);
        var busy = model.actions().busyProperty();
        open.disableProperty().bind(count.isNotEqualTo(1).or(notReady));
        compare.disableProperty().bind(count.isNotEqualTo(2).or(notReady));
        export.disableProperty().bind(count.isNotEqualTo(1).or(notReady).or(busy));
        delete.disableProperty().bind(count.isNotEqualTo(1).or(notReady).or(busy));
        importRun.disableProperty().bind(notReady.or(busy));
        delete.getStyleClass().addAll(Styles.DANGER, Styles.BUTTON_OUTLINED);
        compare.setOnAction(e -> compareSelected());
        compareAb.setDisable(true);
        compareAb.setOnAction(e -> compareMarked());
        Label marked = new Label();
        marked.setId("abMarks");
        marked.getStyleClass().add(Styles.TEXT_MUTED);
        marked.setMinWidth(Region.USE_PREF_SIZE);
        model.marks().versionProperty().addListener((obs, old, now) -> {
            compareAb.setDisable(!model.marks().comparable());
            marked.setText(model.marks().summary());
            table.refresh(); // the badges
        });
        open.setOnAction(e -> {
            ArchivedRun run = table.getSelectionModel().getSelectedItem();
            if (run != null) openRun(run);
        });
        export.setOnAction(e -> exportSelected());
        importRun.setOnAction(e -> dialogs.importSource(getScene().getWindow()).ifPresent(model.actions()::importFile));
        delete.setOnAction(e -> deleteSelected());

        Label message = new Label();
        message.setId("runsActionMessage");
        message.setWrapText(true);
        message.textProperty().bind(model.actions().messageProperty());
        message.textProperty().addListener((obs, old, now) -> {
            message.getStyleClass().removeAll(Styles.DANGER, Styles.SUCCESS);
            message.getStyleClass().add(model.actions().failedProperty().get() ? Styles.DANGER : Styles.SUCCESS);
        });
        ProgressIndicator working = new ProgressIndicator();
        working.setMaxSize(16, 16);
        working.visibleProperty().bind(busy);
        working.managedProperty().bind(busy);
        HBox.setHgrow(message, Priority.ALWAYS);
        HBox bar = new HBox(6, open, compare, compareAb, marked, new Separator(Orientation.VERTICAL), export, importRun,
                new Separator(Orientation.VERTICAL), delete, working, message);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 0, 8, 0));
        return bar;
    }

    private static Button action(String id, String text, Feather icon, String tooltip) {
        Button button = new Button(text, new FontIcon(icon));
        button.setId(id);
        button.setTooltip(new Tooltip(tooltip));
        return button;
    }

    private void openRun(ArchivedRun run) {
        if (onOpenRun != null) onOpenRun.accept(run.id());
        else model.actions().fail("Opening run " + run.id() + " in a tab is not available in this window.");
    }

    private void compareSelected() {
        List<ArchivedRun> two = List.copyOf(table.getSelectionModel().getSelectedItems());
        if (two.size() != 2) return;
        // table order: the upper (newer) run is A
        List<ArchivedRun> ordered = two.stream()
                .sorted(Comparator.comparingInt(r -> table.getItems().indexOf(r))).toList();
        if (onCompareRuns != null) onCompareRuns.accept(ordered.get(0).id(), ordered.get(1).id());
        else model.actions().fail("Comparing runs is not available in this window.");
    }

    private void compareMarked() {
        AbMarks marks = model.marks();
        if (!marks.comparable()) {
            model.actions().fail("Mark at least one run A and one run B first (select runs, then the A or B key).");
        } else if (onCompareGroups != null) {
            onCompareGroups.accept(marks.runs(AbMarks.Side.A), marks.runs(AbMarks.Side.B));
        } else {
            model.actions().fail("Comparing runs is not available in this window.");
        }
    }

    private List<Long> selectedRunIds() {
        return table.getSelectionModel().getSelectedItems().stream().map(ArchivedRun::id).toList();
    }

    /** A, B and X mark the selected runs (X: unmark); Ctrl+Enter compares A vs B. True when the key was one. */
    private boolean abKey(KeyEvent e) {
        if (e.getCode() == KeyCode.ENTER && e.isShortcutDown()) {
            compareMarked();
            return true;
        }
        if (e.isShortcutDown() || e.isAltDown() || e.isMetaDown() || e.isShiftDown()) return false;
        switch (e.getCode()) {
            case A -> model.marks().mark(selectedRunIds(), AbMarks.Side.A);
            case B -> model.marks().mark(selectedRunIds(), AbMarks.Side.B);
            case X -> model.marks().unmark(selectedRunIds());
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The A/B marking menu. Its keys are the table's own (abKey), not menu accelerators: a context menu's accelerators
     * go to the whole scene, where a plain A would fire while typing in the filter bar.
     */
    private ContextMenu abMenu() {
        MenuItem markA = new MenuItem("Mark as side A, the baseline  (A)");
        markA.setId("markA");
        markA.setOnAction(e -> model.marks().mark(selectedRunIds(), AbMarks.Side.A));
        MenuItem markB = new MenuItem("Mark as side B  (B)");
        markB.setId("markB");
        markB.setOnAction(e -> model.marks().mark(selectedRunIds(), AbMarks.Side.B));
        MenuItem unmark = new MenuItem("Unmark  (X)");
        unmark.setId("unmarkAB");
        unmark.setOnAction(e -> model.marks().unmark(selectedRunIds()));
        MenuItem clear = new MenuItem("Clear all A/B marks");
        clear.setId("clearAB");
        clear.setOnAction(e -> model.marks().clear());
        MenuItem compareMarks = new MenuItem("Compare A vs B  (Ctrl+Enter)");
        compareMarks.setId("compareABMenu");
        compareMarks.setOnAction(e -> compareMarked());
        ContextMenu menu = new ContextMenu(markA, markB, unmark, clear, new SeparatorMenuItem(), compareMarks);
        menu.setOnShowing(e -> {
            List<Long> ids = selectedRunIds();
            markA.setDisable(ids.isEmpty());
            markB.setDisable(ids.isEmpty());
            unmark.setDisable(ids.stream().noneMatch(id -> model.marks().sideOf(id).isPresent()));
            clear.setDisable(model.marks().isEmpty());
            compareMarks.setDisable(!model.marks().comparable());
        });
        return menu;
    }

    /** The A/B badge of a marked run. */
    private TableColumn<ArchivedRun, String> abColumn() {
        TableColumn<ArchivedRun, String> column = new TableColumn<>("A/B");
        column.setId("abColumn");
        column.setPrefWidth(44);
        column.setMinWidth(44);
        column.setMaxWidth(44);
        column.setSortable(false);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(model.marks().sideOf(cell.getValue().id())
                .map(AbMarks.Side::name).orElse("")));
        column.setCellFactory(c -> new TableCell<>() {
            private final Label badge = new Label();

            {
                badge.getStyleClass().add("ab-badge");
                setAlignment(Pos.CENTER);
            }

            @Override
            protected void updateItem(String side, boolean empty) {
                super.updateItem(side, empty);
                if (empty || side == null || side.isEmpty()) {
                    setGraphic(null);
                    return;
                }
                badge.setText(side);
                badge.getStyleClass().removeAll("ab-badge-a", "ab-badge-b");
                badge.getStyleClass().add(side.equals("A") ? "ab-badge-a" : "ab-badge-b");
                setGraphic(badge);
            }
        });
        return column;
    }

    private void exportSelected() {
        ArchivedRun run = table.getSelectionModel().getSelectedItem();
        if (run == null) return;
        dialogs.exportTarget(getScene().getWindow(), run).ifPresent(file -> model.actions().export(run.id(), file));
    }

    private void deleteSelected() {
        ArchivedRun run = table.getSelectionModel().getSelectedItem();
        if (run == null) return;
        if (dialogs.confirmDelete(getScene().getWindow(), run)) {
            model.marks().unmark(List.of(run.id())); // a deleted run cannot be compared
            model.actions().delete(run);
        }
    }

    /**
     * A reload replaces the rows, which clears the table's selection; the runs that were selected (and still match)
     * are selected again, and a revealed run is selected and scrolled to.
     */
    private void keepSelectionAcrossReloads() {
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<ArchivedRun>) c -> {
            if (model.statusProperty().get() == ArchiveBrowserModel.Status.LOADING) return;
            selectedIds.clear();
            table.getSelectionModel().getSelectedItems().forEach(r -> selectedIds.add(r.id()));
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, old, now) ->
                model.select(now == null ? OptionalLong.empty() : OptionalLong.of(now.id())));
        model.statusProperty().addListener((obs, old, now) -> {
            if (now != ArchiveBrowserModel.Status.READY || selectedIds.isEmpty()) return;
            List<Long> wanted = List.copyOf(selectedIds);
            table.getSelectionModel().clearSelection();
            for (Long id : wanted) indexOf(id).ifPresent(i -> table.getSelectionModel().select(i));
        });
        model.revealedProperty().addListener((obs, old, now) -> {
            if (now == null) return;
            indexOf(now.runId()).ifPresent(i -> {
                table.getSelectionModel().clearAndSelect(i);
                table.scrollTo(i);
                table.requestFocus();
            });
        });
    }

    private java.util.OptionalInt indexOf(long runId) {
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).id() == runId) return java.util.OptionalInt.of(i);
        }
        return java.util.OptionalInt.empty();
    }

    private Region noMatchState() {
        Label heading = new Label("No runs match the filter");
        heading.setId("noMatchHeading");
        heading.getStyleClass().add(Styles.TITLE_4);
        Button clear = new Button("Clear the filter");
        clear.setId("clearRunsFilter");
        clear.setOnAction(e -> filterBar.clear());
        VBox box = new VBox(10, heading, clear);
        box.setAlignment(Pos.CENTER);
        return box;
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

    /** The id; a fork is indented under its parent with a branch sign, its origin in the tooltip. */
    private TableColumn<ArchivedRun, String> idColumn() {
        TableColumn<ArchivedRun, String> column = column("ID", 80, 70, run -> Long.toString(run.id()));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String id, boolean empty) {
                super.updateItem(id, empty);
                ArchivedRun run = empty || getTableRow() == null ? null : getTableRow().getItem();
                var link = run == null ? java.util.Optional.<dev.freezeframe.persistence.ForkLink>empty()
                        : model.forkOf(run.id());
                if (run == null) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                    return;
                }
                int depth = model.forkDepth(run.id());
                setText(id);
                // under its parent one step per generation (the sign alone when the parent is not listed)
                setGraphic(link.isPresent() ? forkSign(depth) : null);
                setTooltip(link.map(l -> new Tooltip("Fork of " + l.describeParent())).orElse(null));
            }
        });
        return column;
    }

    private static Node forkSign(int depth) {
        FontIcon sign = new FontIcon(Feather.GIT_BRANCH);
        Region indent = new Region();
        indent.setMinWidth(16.0 * depth);
        HBox box = new HBox(indent, sign);
        box.getStyleClass().add("fork-sign");
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
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
                    case "scheduler_failed", "failed_expectation", "error" -> "-color-danger-fg";
                    case "running" -> "-color-accent-fg";
                    default -> "-color-warning-fg";
                };
                setStyle("-fx-text-fill: " + colour + "; -fx-font-weight: bold;");
            }
        });
        return column;
    }
}
