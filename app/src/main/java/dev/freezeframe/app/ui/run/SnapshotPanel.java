package dev.freezeframe.app.ui.run;

import atlantafx.base.theme.Styles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.ui.shell.TimeText;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimelineSelection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeView;
import javafx.geometry.Orientation;
import javafx.scene.layout.BorderPane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inspector's Snapshot panel: the run's snapshots (tag, kind, time, step, status) and a summary of the selected
 * one (sched_ext state and exit, trigger, vCPUs with symbolized RIP, every map with its numeric fields, the parts that
 * could not be read). Selecting a row selects the snapshot for the whole tab; a snapshot selected elsewhere (a timeline
 * glyph, a freeze) is shown here. The typed field tree, stepping and diff come with the snapshot viewer.
 */
public final class SnapshotPanel extends BorderPane {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPanel.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunArchiveReader reader;
    private final long runId;
    private final RunContext context;
    private final ObservableList<SnapshotInfo> rows = FXCollections.observableArrayList();
    private final TableView<SnapshotInfo> table = new TableView<>(rows);
    private final TreeView<String> summary = new TreeView<>();
    private final Label summaryEmpty = new Label("Select a snapshot to see its frozen state.");
    private final BorderPane detail = new BorderPane(summaryEmpty);
    private final AtomicLong loadGeneration = new AtomicLong();
    private final AtomicLong detailGeneration = new AtomicLong();
    private boolean selecting;
    private java.util.function.Predicate<String> pendingTag;
    private long expected;
    private final javafx.animation.PauseTransition retry = new javafx.animation.PauseTransition(
            javafx.util.Duration.millis(200));

    public SnapshotPanel(RunArchiveReader reader, long runId, RunContext context, boolean live) {
        this.reader = reader;
        this.runId = runId;
        this.context = context;
        setId("snapshotPanel");
        retry.setOnFinished(e -> reload());
        table.setId("snapshotList");
        table.getStyleClass().add(Styles.DENSE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label empty = new Label(live ? "No snapshots yet — periodic captures start once the workload runs; Capture now"
                + " (Ctrl+F6) takes one at any time." : "This run has no snapshots.");
        empty.setWrapText(true);
        empty.setPadding(new Insets(12));
        table.setPlaceholder(empty);

        TableColumn<SnapshotInfo, String> glyph = column("", 34, s -> glyphOf(s));
        TableColumn<SnapshotInfo, String> tag = column("tag", 170, SnapshotInfo::tag);
        tag.setMinWidth(140); // "watch:total_forks" whole; the status column gives way first
        TableColumn<SnapshotInfo, String> at = column("t", 90, s -> TimeText.relative(s.atNanos()));
        at.setStyle("-fx-alignment: CENTER-RIGHT;");
        at.setMinWidth(96); // "+123.456 s" whole
        TableColumn<SnapshotInfo, String> step = column("step", 58, s -> s.stepIndex().map(String::valueOf).orElse("—"));
        TableColumn<SnapshotInfo, String> status = column("status", 120, s -> s.placeholder()
                ? "unavailable: " + s.placeholderReason().orElse("") : s.kind().wireName());
        table.getColumns().setAll(List.of(glyph, tag, at, step, status));
        table.setRowFactory(t -> {
            TableRow<SnapshotInfo> row = new TableRow<>() {
                @Override
                protected void updateItem(SnapshotInfo s, boolean empty) {
                    super.updateItem(s, empty);
                    setTooltip(empty || s == null || !s.placeholder() ? null
                            : new Tooltip(s.placeholderReason().orElse("")));
                    pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("placeholder"), !empty && s != null
                            && s.placeholder());
                }
            };
            return row;
        });
        table.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            if (now == null) return;
            showDetail(now);
            if (selecting) return;
            context.select(new TimelineSelection.Snapshot(now.id(), now.tag(), now.atNanos()));
        });
        context.selectionProperty().addListener((obs, was, now) -> follow(now));

        summary.setId("snapshotSummary");
        summary.setShowRoot(false);
        summaryEmpty.getStyleClass().add(Styles.TEXT_MUTED);
        summaryEmpty.setPadding(new Insets(12));
        summaryEmpty.setWrapText(true);
        SplitPane split = new SplitPane(table, detail);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.45);
        setCenter(split);
        reload();
    }

    private static TableColumn<SnapshotInfo, String> column(String title, double width,
                                                             java.util.function.Function<SnapshotInfo, String> value) {
        TableColumn<SnapshotInfo, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        c.setMinWidth(Math.min(width, 58)); // short headers and glyphs stay whole when the inspector is narrow
        c.setSortable(false);
        return c;
    }

    /** Kind glyphs that differ in shape, not only colour: ◆ periodic, ■ requested, ▲ watch, ✖ error, ◌ unavailable. */
    static String glyphOf(SnapshotInfo s) {
        if (s.placeholder()) return "◌";
        return switch (s.kind()) {
            case PERIODIC -> "◆";
            case REQUESTED -> "■";
            case WATCH -> "▲";
            case ERROR -> "✖";
        };
    }

    /**
     * A live run has captured {@code count} snapshots: re-read until the archive holds them all (a capture is counted
     * a moment before its commit lands).
     */
    public void expect(long count) {
        expected = count;
        reload();
    }

    /** Re-reads the list (a live run captured more). Only the newest answer is applied. */
    public void reload() {
        long mine = loadGeneration.incrementAndGet();
        reader.read(a -> a.runs().snapshots(runId)).whenComplete((list, failure) -> Platform.runLater(() -> {
            if (mine != loadGeneration.get()) return;
            if (failure != null) {
                LOG.warn("cannot list snapshots of run {}", runId, failure);
                return;
            }
            long selectedId = Optional.ofNullable(table.getSelectionModel().getSelectedItem()).map(SnapshotInfo::id)
                    .orElse(-1L);
            selecting = true;
            try {
                rows.setAll(list);
                if (selectedId >= 0) {
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i).id() == selectedId) table.getSelectionModel().select(i);
                    }
                }
            } finally {
                selecting = false;
            }
            if (!applyPendingTag()) follow(context.selection());
            if (list.size() < expected) retry.playFromStart();
        }));
    }

    /**
     * Selects the last snapshot tagged {@code tag}; when the list does not hold it yet (a live run still archiving
     * it), the selection is made once a reload brings it.
     */
    public void selectTag(String tag) {
        selectLast(tag::equals);
    }

    /** Selects the newest snapshot whose tag passes {@code tagTest}, now or once a reload brings one. */
    public void selectLast(java.util.function.Predicate<String> tagTest) {
        pendingTag = tagTest;
        if (!applyPendingTag()) reload();
    }

    /** Moves the selection to the previous ({@code -1}) or next ({@code +1}) snapshot in time. */
    public void step(int direction) {
        if (rows.isEmpty()) return;
        int i = table.getSelectionModel().getSelectedIndex();
        int next = i < 0 ? (direction > 0 ? 0 : rows.size() - 1) : Math.clamp(i + direction, 0, rows.size() - 1);
        table.getSelectionModel().select(next);
        table.scrollTo(Math.max(0, next - 2));
    }

    private boolean applyPendingTag() {
        if (pendingTag == null) return false;
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (pendingTag.test(rows.get(i).tag())) {
                pendingTag = null;
                table.getSelectionModel().select(i);
                table.scrollTo(Math.max(0, i - 2));
                return true;
            }
        }
        return false;
    }

    /** The snapshots listed now (for tests). */
    public List<SnapshotInfo> rows() {
        return List.copyOf(rows);
    }

    private void follow(TimelineSelection selection) {
        if (!(selection instanceof TimelineSelection.Snapshot s)) return;
        for (int i = 0; i < rows.size(); i++) {
            SnapshotInfo info = rows.get(i);
            if (info.id() == s.snapshotId() || (s.snapshotId() < 0 && info.tag().equals(s.tag()))) {
                if (table.getSelectionModel().getSelectedIndex() == i) return;
                selecting = true;
                try {
                    table.getSelectionModel().select(i);
                    table.scrollTo(Math.max(0, i - 2));
                } finally {
                    selecting = false;
                }
                return;
            }
        }
    }

    private void showDetail(SnapshotInfo info) {
        long mine = detailGeneration.incrementAndGet();
        if (info.placeholder()) {
            summaryEmpty.setText(info.tag() + " could not be captured: " + info.placeholderReason().orElse("no reason"
                    + " was recorded") + ".");
            detail.setCenter(summaryEmpty);
            return;
        }
        reader.read(a -> new Loaded(a.runs().snapshotReport(info.id()), a.runs().snapshotFields(info.id())))
                .whenComplete((loaded, failure) -> Platform.runLater(() -> {
                    if (mine != detailGeneration.get()) return;
                    if (failure != null) {
                        LOG.warn("cannot read snapshot {}", info.id(), failure);
                        summaryEmpty.setText("The report of " + info.tag() + " cannot be read: "
                                + rootMessage(failure));
                        detail.setCenter(summaryEmpty);
                        return;
                    }
                    summary.setRoot(SnapshotSummary.tree(info, parse(loaded.report()), loaded.fields()));
                    detail.setCenter(summary);
                }));
    }

    private record Loaded(String report, Map<String, Map<String, Double>> fields) {
    }

    private static JsonNode parse(String report) {
        try {
            return JSON.readTree(report);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode().put("unparsed", "the report is not valid JSON");
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c instanceof java.util.concurrent.CompletionException) c = c.getCause();
        return c.getMessage();
    }

}
