package dev.freezeframe.app.ui.compare;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunComparison;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
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
 * Two runs (or two groups of runs) side by side: their timelines aligned on one moment, the workload metric table
 * with verdicts over the groups, a snapshot of B's typed field tree diffed against one of A's, outcome and
 * configuration differences of the first run of each side, and the map fields that differ between one snapshot of
 * each as a sortable table.
 */
public final class CompareView extends BorderPane {
    private final CompareModel model;
    private final Label titleA = new Label();
    private final Label titleB = new Label();
    private final CompareSummaryPane summary = new CompareSummaryPane();
    private static final String LAST_WITH_DATA = "last with data";

    private final Label deltaHeading = new Label();
    private final ComboBox<String> snapshotA = new ComboBox<>();
    private final ComboBox<String> snapshotB = new ComboBox<>();
    private boolean showing;
    private final TableView<FieldDeltaRow> table = new TableView<>();
    private final TextField groupA = new TextField();
    private final TextField groupB = new TextField();
    private final Label groupError = new Label();
    private final AlignedTimelines timelines;
    private final CrossRunSnapshotDiff treeDiff;

    public CompareView(CompareModel model) {
        this.model = model;
        setId("compareView");
        getStyleClass().add("compare-view");
        setPadding(new Insets(16));

        Label title = new Label("Compare");
        title.getStyleClass().add(Styles.TITLE_3);
        titleA.setId("compareA");
        titleB.setId("compareB");
        Button swap = new Button("Swap", new FontIcon(Feather.REPEAT));
        swap.setId("swapRuns");
        swap.setTooltip(new Tooltip("Make B the run compared against (A − B becomes B − A)"));
        swap.setOnAction(e -> model.swap());
        swap.disableProperty().bind(model.statusProperty().isEqualTo(CompareModel.Status.LOADING));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(16, title, titleA, new Label("vs"), titleB, spacer, swap);
        header.setAlignment(Pos.CENTER_LEFT);
        groupA.setId("groupA");
        groupB.setId("groupB");
        for (TextField f : java.util.List.of(groupA, groupB)) {
            f.setPrefColumnCount(16);
            f.setOnAction(e -> compareGroups());
        }
        groupA.setPromptText("run ids, e.g. 11 13 15");
        groupB.setPromptText("run ids, e.g. 12 14 16");
        Button compareGroups = new Button("Compare groups");
        compareGroups.setId("compareGroups");
        compareGroups.setOnAction(e -> compareGroups());
        groupError.setId("groupError");
        groupError.getStyleClass().addAll(Styles.DANGER, Styles.TEXT_SMALL);
        HBox groups = new HBox(8, new Label("Runs of A"), groupA, new Label("against B"), groupB, compareGroups,
                groupError);
        groups.setAlignment(Pos.CENTER_LEFT);
        setTop(new VBox(6, header, groups));

        deltaHeading.setId("compareDeltaHeading");
        deltaHeading.setWrapText(true);
        snapshotA.setId("snapshotA");
        snapshotB.setId("snapshotB");
        for (ComboBox<String> c : java.util.List.of(snapshotA, snapshotB)) {
            c.setOnAction(e -> {
                if (!showing) model.compareSnapshots(tag(snapshotA), tag(snapshotB));
            });
            c.disableProperty().bind(model.statusProperty().isNotEqualTo(CompareModel.Status.READY));
        }
        HBox choosers = new HBox(8, new Label("Map fields at snapshot"), snapshotA, new Label("of A and"), snapshotB,
                new Label("of B"));
        choosers.setAlignment(Pos.CENTER_LEFT);
        table.setId("compareDeltas");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE, Styles.DENSE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TableColumn<FieldDeltaRow, String> map = text("Map", 180, FieldDeltaRow::map);
        TableColumn<FieldDeltaRow, String> field = text("Field", 260, FieldDeltaRow::field);
        TableColumn<FieldDeltaRow, OptionalDouble> a = number("A", FieldDeltaRow::a, Numbers::plain, byValue());
        TableColumn<FieldDeltaRow, OptionalDouble> b = number("B", FieldDeltaRow::b, Numbers::plain, byValue());
        // A − B sorts by magnitude: the biggest difference either way first
        TableColumn<FieldDeltaRow, OptionalDouble> diff = number("A − B", FieldDeltaRow::aMinusB, Numbers::signed,
                byMagnitude());
        diff.setId("deltaColumn");
        TableColumn<FieldDeltaRow, OptionalDouble> ratio = number("A / B", FieldDeltaRow::ratio, Numbers::ratio,
                byValue());
        table.getColumns().setAll(java.util.List.of(map, field, a, b, diff, ratio));
        SortedList<FieldDeltaRow> sorted = new SortedList<>(model.rows());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        diff.setSortType(TableColumn.SortType.DESCENDING);
        table.getSortOrder().add(diff);
        Label none = new Label("No map field differs between the compared snapshots.");
        none.getStyleClass().add(Styles.TEXT_MUTED);
        table.setPlaceholder(none);
        VBox.setVgrow(table, Priority.ALWAYS);

        Message error = new Message("Cannot compare the runs", "", new FontIcon(Feather.ALERT_TRIANGLE));
        error.setId("compareError");
        error.getStyleClass().add(Styles.DANGER);
        error.descriptionProperty().bind(model.errorMessageProperty());
        error.visibleProperty().bind(model.statusProperty().isEqualTo(CompareModel.Status.FAILED));
        error.managedProperty().bind(error.visibleProperty());
        error.setMaxHeight(Region.USE_PREF_SIZE);
        StackPane.setAlignment(error, Pos.TOP_CENTER);
        ProgressIndicator loading = new ProgressIndicator();
        loading.setMaxSize(48, 48);
        loading.visibleProperty().bind(model.statusProperty().isEqualTo(CompareModel.Status.LOADING));
        timelines = new AlignedTimelines(model.archivePath(), model.moments());
        MetricTable metrics = new MetricTable(model.metricRows(), model.foldedToWholeRunProperty());
        SplitPane side = new SplitPane(timelines, metrics);
        side.setId("compareSideBySide");
        side.setDividerPositions(0.52);
        VBox fieldDiff = new VBox(6, choosers, deltaHeading, table);
        fieldDiff.setPadding(new Insets(6, 0, 0, 0));
        // the snapshot diff and the first runs' outcome share the lower half, so the timelines get the room
        treeDiff = new CrossRunSnapshotDiff(model);
        Tab treeTab = new Tab("Snapshot tree diff", treeDiff);
        treeTab.setId("compareTreeTab");
        treeTab.setClosable(false);
        Tab diffTab = new Tab("Snapshot fields across runs", fieldDiff);
        Tab summaryTab = new Tab("Outcome and configuration", new ScrollPane(summary));
        diffTab.setClosable(false);
        summaryTab.setClosable(false);
        TabPane lower = new TabPane(treeTab, diffTab, summaryTab);
        lower.setId("compareLower");
        SplitPane deltas = new SplitPane(side, lower);
        deltas.setOrientation(javafx.geometry.Orientation.VERTICAL);
        deltas.setDividerPositions(0.6); // the lower half holds a snapshot tree: room for its rows
        deltas.visibleProperty().bind(model.statusProperty().isNotEqualTo(CompareModel.Status.FAILED));
        summary.visibleProperty().bind(model.statusProperty().isEqualTo(CompareModel.Status.READY));
        setCenter(new StackPane(deltas, loading, error));

        model.resultProperty().addListener((obs, old, now) -> show(now));
        // an equal result (the same first runs in other groups) fires no change: show on every completed load
        model.statusProperty().addListener((obs, old, now) -> {
            if (now == CompareModel.Status.READY) show(model.resultProperty().get());
        });
        show(model.resultProperty().get());
    }

    public CompareModel model() {
        return model;
    }

    AlignedTimelines timelines() {
        return timelines;
    }

    CrossRunSnapshotDiff treeDiff() {
        return treeDiff;
    }

    /** Releases the aligned timelines' and the tree diff's archive connections (the tab closed). */
    public void close() {
        timelines.close();
        treeDiff.close();
    }

    /** Reads the two id lists and compares the groups; a mistake is said next to the fields. */
    private void compareGroups() {
        try {
            java.util.List<Long> a = ids(groupA.getText(), "A");
            java.util.List<Long> b = ids(groupB.getText(), "B");
            groupError.setText("");
            model.compareGroups(a, b);
        } catch (IllegalArgumentException e) {
            groupError.setText(e.getMessage());
        }
    }

    private static java.util.List<Long> ids(String text, String side) {
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (String word : text.trim().split("[\\s,]+")) {
            if (word.isEmpty()) continue;
            try {
                long id = Long.parseLong(word.startsWith("#") ? word.substring(1) : word);
                if (id <= 0) throw new NumberFormatException();
                if (!ids.contains(id)) ids.add(id);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + word + "' in " + side + " is not a run id (a number from the"
                        + " Runs list).");
            }
        }
        if (ids.isEmpty()) throw new IllegalArgumentException("Give at least one run id for " + side + ".");
        return ids;
    }

    private void show(Optional<RunComparison.Result> result) {
        if (result.isEmpty()) {
            CompareModel.Pair pair = model.runsProperty().get();
            titleA.setText(pair == null ? "" : "A  #" + pair.a());
            titleB.setText(pair == null ? "" : "B  #" + pair.b());
            deltaHeading.setText("");
            return;
        }
        RunComparison.Result r = result.get();
        showing = true;
        try {
            CompareModel.Pair pair = model.runsProperty().get();
            choices(snapshotA, model.tagsA(), pair.tagA());
            choices(snapshotB, model.tagsB(), pair.tagB());
        } finally {
            showing = false;
        }
        groupA.setText(join(pair().groupA()));
        groupB.setText(join(pair().groupB()));
        titleA.setText(runTitle("A", r.a().run()) + groupSuffix(pair().groupA()));
        titleB.setText(runTitle("B", r.b().run()) + groupSuffix(pair().groupB()));
        summary.show(r);
        if (r.snapshotA().isEmpty() || r.snapshotB().isEmpty()) {
            deltaHeading.setText("Map fields: not compared — run " + (r.snapshotA().isEmpty() ? r.a().run().id()
                    : r.b().run().id()) + " has no snapshot with data.");
        } else {
            deltaHeading.setText("'" + r.snapshotA().get().tag() + "' of A vs '" + r.snapshotB().get().tag()
                    + "' of B: " + r.fieldDeltas().size() + " fields differ, " + r.unchangedFields() + " equal.");
        }
    }

    private CompareModel.Pair pair() {
        return model.runsProperty().get();
    }

    private static String join(java.util.List<Long> ids) {
        return String.join(" ", ids.stream().map(String::valueOf).toList());
    }

    private static String groupSuffix(java.util.List<Long> group) {
        return group.size() == 1 ? "" : " + " + (group.size() - 1) + " more";
    }

    private static void choices(ComboBox<String> combo, java.util.List<String> tags, Optional<String> chosen) {
        java.util.List<String> items = new java.util.ArrayList<>();
        items.add(LAST_WITH_DATA);
        items.addAll(tags);
        combo.getItems().setAll(items);
        combo.setValue(chosen.orElse(LAST_WITH_DATA));
    }

    private static Optional<String> tag(ComboBox<String> combo) {
        String v = combo.getValue();
        return v == null || v.equals(LAST_WITH_DATA) ? Optional.empty() : Optional.of(v);
    }

    private static String runTitle(String side, ArchivedRun run) {
        String glyph = switch (run.verdictLabel()) {
            case "passed" -> "✔";
            case "scheduler_failed", "failed_expectation", "error" -> "✖";
            case "running" -> "●";
            default -> "◌";
        };
        return side + "  #" + run.id() + " " + (run.scheduler() + " " + run.schedulerArgs()).strip() + " " + glyph;
    }

    private static TableColumn<FieldDeltaRow, String> text(String name, double width,
                                                          Function<FieldDeltaRow, String> value) {
        TableColumn<FieldDeltaRow, String> c = new TableColumn<>(name);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                setTooltip(empty || item == null ? null : new Tooltip(item));
            }
        });
        return c;
    }

    private static TableColumn<FieldDeltaRow, OptionalDouble> number(String name,
                                                                     Function<FieldDeltaRow, OptionalDouble> value,
                                                                     Function<OptionalDouble, String> format,
                                                                     Comparator<OptionalDouble> order) {
        TableColumn<FieldDeltaRow, OptionalDouble> c = new TableColumn<>(name);
        c.setPrefWidth(120);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setComparator(order);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(OptionalDouble item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : format.apply(item));
            }
        });
        c.setStyle("-fx-alignment: CENTER-RIGHT; -fx-font-family: monospace;");
        return c;
    }

    /** Absent values sort as the smallest. */
    private static Comparator<OptionalDouble> byValue() {
        return Comparator.comparingDouble(v -> v.isPresent() ? v.getAsDouble() : Double.NEGATIVE_INFINITY);
    }

    private static Comparator<OptionalDouble> byMagnitude() {
        return Comparator.comparingDouble(v -> v.isPresent() ? Math.abs(v.getAsDouble()) : -1);
    }
}
