package dev.freezeframe.app.ui.run;

import atlantafx.base.theme.Styles;
import dev.freezeframe.app.ui.shell.TimeText;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.persistence.RangeSummary;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimelineSelection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The drawer's Selection tab (Perfetto's area aggregation): for a time range dragged on the timeline, the exact event
 * count per lane with first and last time, each series' Δ, rate, first, last, min, max and sample count, the snapshots
 * in the range with "Diff first → last", a digest of the console lines (errors, stderr, the most repeated messages)
 * and the watch hits per slot. The summary is read off the FX thread; the newest selection wins.
 */
public final class SelectionPanel extends ScrollPane {
    /** Figures for the range, with the snapshots in it, as the panel shows them. */
    public record Answer(RangeSummary summary, List<SnapshotInfo> snapshots) {
    }

    private final RunArchiveReader reader;
    private final long runId;
    private final BiConsumer<SnapshotInfo, SnapshotInfo> diff;
    private final VBox body = new VBox(12);
    private final AtomicLong generation = new AtomicLong();
    private final ReadOnlyObjectWrapper<Answer> answer = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

    /**
     * @param diff shows the diff of the second snapshot against the first ("Diff first → last")
     */
    public SelectionPanel(RunContext context, RunArchiveReader reader, long runId,
                          BiConsumer<SnapshotInfo, SnapshotInfo> diff) {
        this.reader = reader;
        this.runId = runId;
        this.diff = diff;
        setId("selectionPanel");
        setFitToWidth(true);
        body.setPadding(new Insets(10));
        setContent(body);
        context.selectionProperty().addListener((obs, was, now) -> selected(now));
        selected(context.selection());
    }

    /** The figures shown now (null before an area is selected). */
    public ReadOnlyObjectProperty<Answer> answerProperty() {
        return answer.getReadOnlyProperty();
    }

    /** The sentence shown instead of figures (empty while figures are shown). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    private void selected(TimelineSelection selection) {
        long mine = generation.incrementAndGet();
        if (!(selection instanceof TimelineSelection.Area area)) {
            if (answer.get() == null) {
                say("Drag across the timeline to select a time range: the events of each lane, the series' changes,"
                        + " the snapshots and a digest of the console in that range appear here.");
            }
            return; // a click elsewhere keeps the last range's figures: they are still what that range held
        }
        say("Reading " + TimeText.relative(area.fromNs()) + " → " + TimeText.relative(area.toNs()) + " …");
        reader.read(a -> new Answer(a.ranges().summarize(runId, area.fromNs(), area.toNs()),
                        a.runs().snapshots(runId).stream()
                                .filter(s -> s.atNanos() >= area.fromNs() && s.atNanos() <= area.toNs()).toList()))
                .whenComplete((figures, failure) -> javafx.application.Platform.runLater(() -> {
                    if (mine != generation.get()) return; // a newer selection is on its way
                    if (failure != null) {
                        answer.set(null);
                        say("The range could not be read: " + RunTabView.message(failure));
                    } else {
                        show(figures, area.lanes());
                    }
                }));
    }

    private void say(String text) {
        message.set(text);
        Label l = new Label(text);
        l.setId("selectionMessage");
        l.setWrapText(true);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        body.getChildren().setAll(l);
    }

    private void show(Answer figures, Set<Lane> lanes) {
        message.set("");
        answer.set(figures);
        RangeSummary s = figures.summary();
        Label title = new Label(TimeText.relative(s.fromNs()) + " → " + TimeText.relative(s.toNs()) + "   Δ "
                + TimeText.duration(s.toNs() - s.fromNs()));
        title.setId("selectionRange");
        title.getStyleClass().add(Styles.TITLE_4);
        body.getChildren().setAll(title, section("Lanes", lanes(s, lanes)));
        if (shown(lanes, Lane.STATS) && !s.series().isEmpty()) body.getChildren().add(section("Series", series(s)));
        if (shown(lanes, Lane.SNAPSHOTS)) body.getChildren().add(section("Snapshots", snapshots(figures.snapshots())));
        if (shown(lanes, Lane.CONSOLE) || shown(lanes, Lane.SCHEDULER)) {
            body.getChildren().add(section("Console", console(s.console())));
        }
        if (shown(lanes, Lane.WATCHPOINTS) && !s.watchHitsBySlot().isEmpty()) {
            body.getChildren().add(section("Watch hits", hits(s)));
        }
    }

    private static boolean shown(Set<Lane> lanes, Lane lane) {
        return lanes.isEmpty() || lanes.contains(lane);
    }

    private static VBox section(String name, javafx.scene.Node content) {
        Label head = new Label(name);
        head.getStyleClass().add(Styles.TEXT_BOLD);
        return new VBox(4, head, content);
    }

    private static GridPane lanes(RangeSummary s, Set<Lane> lanes) {
        GridPane g = grid("selectionLanes", "lane", "events", "first", "last");
        int row = 1;
        for (RangeSummary.LaneCount c : s.lanes()) {
            if (!shown(lanes, c.lane())) continue;
            g.addRow(row++, new Label(c.lane().wireName()), right(TimeText.count(c.count())),
                    new Label(c.count() == 0 ? "—" : TimeText.relative(c.firstNs())),
                    new Label(c.count() == 0 ? "—" : TimeText.relative(c.lastNs())));
        }
        return g;
    }

    private static TableView<RangeSummary.SeriesStats> series(RangeSummary s) {
        TableView<RangeSummary.SeriesStats> t = new TableView<>();
        t.setId("selectionSeries");
        t.getStyleClass().add(Styles.DENSE);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.getColumns().add(column("name", 2.5, RangeSummary.SeriesStats::kind));
        t.getColumns().add(column("Δ", 1, st -> number(st.delta())));
        t.getColumns().add(column("rate/s", 1, st -> number(st.ratePerSecond())));
        t.getColumns().add(column("first", 1, st -> number(st.first())));
        t.getColumns().add(column("last", 1, st -> number(st.last())));
        t.getColumns().add(column("min", 1, st -> number(st.min())));
        t.getColumns().add(column("max", 1, st -> number(st.max())));
        t.getColumns().add(column("count", 0.8, st -> TimeText.count(st.count())));
        t.getItems().setAll(s.series());
        t.setFixedCellSize(24);
        t.setPrefHeight(Math.min(12, s.series().size()) * 24 + 30);
        return t;
    }

    private static TableColumn<RangeSummary.SeriesStats, String> column(
            String name, double weight, java.util.function.Function<RangeSummary.SeriesStats, String> text) {
        TableColumn<RangeSummary.SeriesStats, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new SimpleStringProperty(text.apply(cell.getValue())));
        c.setPrefWidth(90 * weight);
        c.setSortable(false);
        return c;
    }

    private VBox snapshots(List<SnapshotInfo> in) {
        if (in.isEmpty()) return new VBox(muted("No snapshot in this range."));
        String tags = String.join(", ", in.stream().limit(8).map(SnapshotInfo::tag).toList())
                + (in.size() > 8 ? ", … (" + (in.size() - 8) + " more)" : "");
        Label list = new Label(in.size() + (in.size() == 1 ? " snapshot: " : " snapshots: ") + tags);
        list.setId("selectionSnapshots");
        list.setWrapText(true);
        VBox box = new VBox(6, list);
        if (in.size() >= 2) {
            Button diffButton = new Button("Diff first → last", new FontIcon(Feather.GIT_PULL_REQUEST));
            diffButton.setId("selectionDiff");
            diffButton.setOnAction(e -> diff.accept(in.getFirst(), in.getLast()));
            box.getChildren().add(diffButton);
        }
        return box;
    }

    private static VBox console(RangeSummary.ConsoleDigest d) {
        Label counts = new Label(TimeText.count(d.lines()) + " lines   " + TimeText.count(d.errors())
                + " read as errors   " + TimeText.count(d.stderr()) + " on the scheduler's stderr");
        counts.setId("selectionConsole");
        VBox box = new VBox(4, counts);
        if (!d.mostRepeated().isEmpty()) {
            GridPane g = grid("selectionRepeated", "×", "most repeated (numbers as #)");
            int row = 1;
            for (RangeSummary.Repeated r : d.mostRepeated()) {
                Label text = new Label(r.message());
                text.getStyleClass().add(Styles.TEXT_SMALL);
                g.addRow(row++, right(TimeText.count(r.count())), text);
            }
            box.getChildren().add(g);
        }
        if (d.truncated()) {
            box.getChildren().add(muted("Errors and repeated messages are from the first " + TimeText.count(d.textsRead())
                    + " lines of the range; the line counts are exact."));
        }
        return box;
    }

    private static GridPane hits(RangeSummary s) {
        GridPane g = grid("selectionHits", "slot", "hits");
        int row = 1;
        for (var e : new java.util.TreeMap<>(s.watchHitsBySlot()).entrySet()) {
            g.addRow(row++, new Label(e.getKey() == 0 ? "0 (scheduler error)" : String.valueOf(e.getKey())),
                    right(TimeText.count(e.getValue())));
        }
        return g;
    }

    private static GridPane grid(String id, String... headers) {
        GridPane g = new GridPane();
        g.setId(id);
        g.setHgap(16);
        g.setVgap(2);
        for (int i = 0; i < headers.length; i++) g.add(muted(headers[i]), i, 0);
        return g;
    }

    private static Label right(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("ff-number");
        return l;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        return l;
    }

    /** A number as a table cell: integers whole, others with four significant digits; NaN as a dash. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "—";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v).replace(',', '\u2009');
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
