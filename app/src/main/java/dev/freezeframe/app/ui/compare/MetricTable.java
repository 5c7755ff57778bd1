package dev.freezeframe.app.ui.compare;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import dev.freezeframe.coordinator.metrics.MetricComparison;
import dev.freezeframe.coordinator.metrics.MetricComparison.Row;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

/** The workload metrics of the two compared runs: A, B, the change and its verdict, one row per step/group/metric. */
final class MetricTable extends VBox {
    private final TableView<Row> table = new TableView<>();
    private final Label heading = new Label();

    private final javafx.beans.value.ObservableBooleanValue folded;

    MetricTable(ObservableList<Row> rows, javafx.beans.value.ObservableBooleanValue folded) {
        super(6);
        this.folded = folded;
        setId("compareMetrics");
        heading.setId("compareMetricsHeading");
        heading.setWrapText(true);
        heading.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        table.setId("compareMetricTable");
        table.getStyleClass().addAll(Styles.STRIPED, Tweaks.EDGE_TO_EDGE, Styles.DENSE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(220);
        VBox.setVgrow(table, javafx.scene.layout.Priority.ALWAYS);
        TableColumn<Row, String> key = new TableColumn<>("Metric (step/group/metric)");
        key.setPrefWidth(230);
        key.setMinWidth(120);
        key.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().key()));
        key.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                // a narrow pane elides the key: the tooltip keeps it readable
                setTooltip(empty || item == null ? null : new javafx.scene.control.Tooltip(item));
            }
        });
        TableColumn<Row, String> unit = new TableColumn<>("Unit");
        unit.setPrefWidth(48);
        unit.setMinWidth(50);
        unit.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().metric().unit()));
        TableColumn<Row, String> verdict = new TableColumn<>("Verdict");
        verdict.setId("metricVerdictColumn");
        verdict.setMinWidth(100); // "no change" in bold, whole
        verdict.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().verdict().label()));
        verdict.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                // a table cell ignores the theme's DANGER/SUCCESS classes: colour the text with the theme's colours
                String colour = empty ? null : switch (item) {
                    case "worse" -> "-color-danger-fg";
                    case "better" -> "-color-success-fg";
                    case "noisy" -> "-color-warning-fg";
                    default -> null;
                };
                setStyle(colour == null ? "" : "-fx-text-fill: " + colour + "; -fx-font-weight: bold;");
            }
        });
        table.getColumns().setAll(java.util.List.of(key, number("A", r -> OptionalDouble.of(r.meanA())),
                number("B", r -> OptionalDouble.of(r.meanB())), text("Change", Row::describeChange), unit, verdict));
        table.setItems(rows);
        Label none = new Label("Neither run measured workload metrics.");
        none.getStyleClass().add(Styles.TEXT_MUTED);
        table.setPlaceholder(none);
        getChildren().setAll(heading, table);
        // the side-by-side split gives way down to the columns' minimum; the key column elides first (tooltip)
        setMinWidth(120 + 2 * 84 + 96 + 50 + 100 + 16);
        rows.addListener((ListChangeListener<Row>) c -> describe(rows));
        folded.addListener((obs, old, now) -> describe(rows));
        describe(rows);
    }

    private void describe(ObservableList<Row> rows) {
        long worse = rows.stream().filter(r -> r.verdict() == MetricComparison.Verdict.WORSE).count();
        long better = rows.stream().filter(r -> r.verdict() == MetricComparison.Verdict.BETTER).count();
        int runsA = rows.stream().mapToInt(r -> r.a().length).max().orElse(0);
        int runsB = rows.stream().mapToInt(r -> r.b().length).max().orElse(0);
        String test = Math.min(runsA, runsB) >= MetricComparison.MIN_WELCH_SAMPLES ? "Welch's t-test"
                : "size and range overlap; Welch's t-test from 3 runs a side";
        heading.setText("Workload metrics, " + runsA + " vs " + runsB + " run(s): " + rows.size() + " compared, "
                + worse + " worse and " + better + " better (" + test + ")."
                + (folded.get() ? " A ktstr import has whole-run figures only: all runs compared on those (run/all/…)."
                : ""));
    }

    private static TableColumn<Row, String> text(String name, Function<Row, String> value) {
        TableColumn<Row, String> c = new TableColumn<>(name);
        c.setPrefWidth(80);
        // room for the widest text whole: "-4.71e+07" and "+1234.5 %" in the monospace font, plus the cell's padding
        c.setMinWidth(name.equals("Change") ? 96 : 84);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setStyle("-fx-alignment: CENTER-RIGHT; -fx-font-family: monospace;");
        return c;
    }

    private static TableColumn<Row, String> number(String name, Function<Row, OptionalDouble> value) {
        return text(name, r -> {
            OptionalDouble v = value.apply(r);
            return v.isEmpty() || Double.isNaN(v.getAsDouble()) ? "—" : format(v.getAsDouble());
        });
    }

    private static String format(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) return String.format(Locale.ROOT, "%.3g", v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : "%.2f", v);
    }
}
