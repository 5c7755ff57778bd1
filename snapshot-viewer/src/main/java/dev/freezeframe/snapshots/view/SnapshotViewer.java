package dev.freezeframe.snapshots.view;

import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.ArchiveAccess;
import dev.freezeframe.snapshots.WatchTarget;
import dev.freezeframe.snapshots.model.ChangeSearch;
import dev.freezeframe.snapshots.model.FieldNode;
import dev.freezeframe.snapshots.model.FieldRef;
import dev.freezeframe.snapshots.model.FlatReport;
import dev.freezeframe.snapshots.model.PlotSeries;
import dev.freezeframe.snapshots.model.ReportModel;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.SeriesLanes;
import dev.freezeframe.timeline.SeriesPoint;
import dev.freezeframe.timeline.TimelineSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot viewer of a run tab: the run's snapshots above the typed field tree of the selected one, diffed against
 * a base (the previous snapshot unless another is chosen, also from another run), a "changed only" filter, hex, pinned
 * fields, plots of a field as lanes above the timeline, marks on entries, "next snapshot where this field changed", and
 * copy of a value, path or filter. Selecting a snapshot here selects it for the whole tab; a snapshot selected elsewhere
 * (timeline glyph, freeze, plot point) is shown here.
 */
public final class SnapshotViewer extends BorderPane {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotViewer.class);

    /** What the shown snapshot is diffed against. */
    public sealed interface Base {
        /** The snapshot just before the shown one. */
        record Previous() implements Base {
        }

        /** The previous snapshot of the same kind. */
        record PreviousSameKind() implements Base {
        }

        /** A chosen snapshot, of this run or another. */
        record Chosen(long snapshotId, long runId, String label) implements Base {
        }

        /** No diff. */
        record None() implements Base {
        }
    }

    private final ArchiveAccess archive;
    private final long runId;
    private final RunContext context;
    private final Consumer<WatchTarget> watch;
    private final SeriesLanes lanes;
    private final ObservableList<SnapshotInfo> rows = FXCollections.observableArrayList();
    private final SnapshotList list;
    private final FieldTreeTable tree = new FieldTreeTable();
    private final PinnedStrip pins = new PinnedStrip();
    private final Label banner = new Label();
    private final Label baseChip = new Label();
    private final BaseMenu baseMenu;
    private final CheckBox changedOnly = new CheckBox("Changed only");
    private final CheckBox hex = new CheckBox("Hex");
    private final Label status = new Label();
    private final javafx.scene.layout.FlowPane header;
    /** What the host adds to a snapshot row's context menu (the workbench's "Fork from here…"). */
    private Function<SnapshotInfo, List<javafx.scene.control.MenuItem>> rowActions = s -> List.of();
    private final BorderPane detail = new BorderPane();
    private final Label empty = new Label("Select a snapshot to see its frozen state.");
    private final ReadOnlyObjectWrapper<SnapshotInfo> shown = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Base> base = new ReadOnlyObjectWrapper<>(new Base.Previous());
    private final ReadOnlyStringWrapper baseText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(false);
    private final SnapshotReports reports;
    private final EntryMarks marks;
    private final FieldActions actions;
    private final AtomicLong listGeneration = new AtomicLong();
    private final AtomicLong detailGeneration = new AtomicLong();
    private final PauseTransition retry = new PauseTransition(Duration.millis(200));
    private SnapshotReports.Loaded shownLoaded;
    private boolean selecting;
    private Predicate<String> pendingTag;
    private long expected;

    /**
     * @param archive where the run's snapshots are read (off the FX thread)
     * @param runId   the run shown
     * @param context the tab's shared cursor and selection
     * @param live    whether the run is still recording (says so when it has no snapshots yet)
     * @param watch   arms a watch on a value's kernel address ("Watch this field"); null hides that action
     */
    public SnapshotViewer(ArchiveAccess archive, long runId, RunContext context, boolean live,
                          Consumer<WatchTarget> watch) {
        this.archive = Objects.requireNonNull(archive, "archive");
        this.runId = runId;
        this.context = Objects.requireNonNull(context, "context");
        this.watch = watch;
        this.lanes = new SeriesLanes(context);
        this.reports = new SnapshotReports(archive);
        this.marks = new EntryMarks(archive, runId, pins, () -> shownLoaded, tree::setMarks,
                message::set);
        this.actions = new FieldActions(this, watch, message::set);
        this.baseMenu = new BaseMenu(archive, runId, () -> rows, this::setBase);
        setId("snapshotPanel");
        getStylesheets().add(Objects.requireNonNull(SnapshotViewer.class.getResource("snapshot-viewer.css"))
                .toExternalForm());
        list = new SnapshotList(rows, live, marks::flagged, SnapshotViewer::relative);
        javafx.scene.control.MenuItem otherRun = new javafx.scene.control.MenuItem(
                "Diff against a snapshot of another run…");
        otherRun.setId("diffOtherRun");
        otherRun.setOnAction(e -> diffAgainstOtherRun());
        // Filled when asked for, before the control shows it: a context menu without items never shows, so filling
        // it from its own onShowing would never run.
        list.setContextMenu(new ContextMenu(otherRun));
        list.addEventFilter(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> {
            SnapshotInfo s = list.getSelectionModel().getSelectedItem();
            List<javafx.scene.control.MenuItem> items = new java.util.ArrayList<>(
                    s == null ? List.of() : rowActions.apply(s));
            if (!items.isEmpty()) items.add(new javafx.scene.control.SeparatorMenuItem());
            otherRun.setDisable(shown.get() == null || shown.get().placeholder());
            items.add(otherRun);
            list.getContextMenu().getItems().setAll(items);
        });
        marks.setOnFlagsChanged(list::refresh);
        retry.setOnFinished(e -> reload());
        list.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            if (now == null) return;
            showSnapshot(now);
            if (selecting) return;
            context.select(new TimelineSelection.Snapshot(now.id(), now.tag(), now.atNanos()));
        });
        context.selectionProperty().addListener((obs, was, now) -> follow(now));

        baseChip.setId("baseChip");
        baseChip.getStyleClass().add("snapshot-base-chip");
        baseChip.textProperty().bind(baseText);
        changedOnly.setId("changedOnly");
        changedOnly.setTooltip(new Tooltip("Hide rows equal in the base (Ctrl+D)"));
        changedOnly.selectedProperty().addListener((o, a, b) -> tree.setChangedOnly(b));
        hex.setId("hexToggle");
        hex.setTooltip(new Tooltip("Integers in hexadecimal (Ctrl+H)"));
        hex.selectedProperty().addListener((o, a, b) -> tree.setHex(b));
        status.setId("snapshotStatus");
        status.textProperty().bind(message);
        status.getStyleClass().add("text-muted");
        // wraps in a narrow inspector instead of clipping; the diff base stays whole and first
        Label baseLabel = new Label("base:");
        baseLabel.setMinWidth(Region.USE_PREF_SIZE);
        baseChip.setMinWidth(Region.USE_PREF_SIZE);
        changedOnly.setMinWidth(Region.USE_PREF_SIZE);
        hex.setMinWidth(Region.USE_PREF_SIZE);
        baseMenu.setMinWidth(Region.USE_PREF_SIZE);
        HBox base = new HBox(6, baseLabel, baseChip);
        base.setAlignment(Pos.CENTER_LEFT);
        header = new javafx.scene.layout.FlowPane(10, 4, base, baseMenu, changedOnly, hex, status);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(4, 6, 4, 6));
        header.setId("snapshotHeader");
        // nothing to diff before a snapshot is shown: no empty "base:" chip and idle toggles
        header.visibleProperty().bind(baseText.isNotEmpty());
        header.managedProperty().bind(header.visibleProperty());

        banner.setId("snapshotBanner");
        banner.getStyleClass().add("snapshot-banner");
        banner.setWrapText(true);
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.setVisible(false);
        banner.setManaged(false);
        empty.getStyleClass().add("text-muted");
        empty.setPadding(new Insets(12));
        empty.setWrapText(true);
        detail.setTop(new javafx.scene.layout.VBox(header, banner));
        detail.setCenter(empty);
        detail.setBottom(pins);
        tree.setContextMenu(new ContextMenu());
        // filled when asked for (an empty context menu never shows, so its own onShowing would never fill it)
        tree.addEventFilter(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                e -> actions.fill(tree.getContextMenu()));
        tree.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, actions::key);

        SplitPane split = new SplitPane(list, detail);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.32);
        setCenter(split);
        marks.restore();
        reload();
    }

    /**
     * The host's actions on a snapshot: {@code items} makes the context menu of the list's selected row (empty: no
     * menu), {@code header} nodes go at the end of the viewer's header (a button that acts on the shown snapshot).
     */
    public void setSnapshotActions(Function<SnapshotInfo, List<javafx.scene.control.MenuItem>> items,
                                   List<javafx.scene.Node> headerNodes) {
        rowActions = Objects.requireNonNull(items, "items");
        header.getChildren().addAll(headerNodes);
    }

    /** The snapshot list (its context menu holds the host's actions). */
    public javafx.scene.control.TableView<SnapshotInfo> list() {
        return list;
    }

    // ---------------------------------------------------------------- read-only state (tests, other views)

    /** The plotted fields, to be stacked above the run tab's timeline. */
    public SeriesLanes plotLanes() {
        return lanes;
    }

    /** The snapshots listed now. */
    public List<SnapshotInfo> rows() {
        return List.copyOf(rows);
    }

    public ReadOnlyObjectProperty<SnapshotInfo> shownProperty() {
        return shown.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Base> baseProperty() {
        return base.getReadOnlyProperty();
    }

    /** The base as the header says it ({@code periodic_005 (previous)}). */
    public ReadOnlyStringProperty baseTextProperty() {
        return baseText.getReadOnlyProperty();
    }

    /** The last answer of an action ("no later snapshot where … changed"). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The rows' tree (for tests and screenshots). */
    public javafx.scene.control.TreeTableView<FieldNode> tree() {
        return tree;
    }

    /** The diff shown now, if there is a base. */
    public Optional<SnapshotDiff> currentDiff() {
        return Optional.ofNullable(tree.diff());
    }

    /** The pinned fields' texts now. */
    public List<String> pinnedTexts() {
        return pins.texts();
    }

    /** Entry paths with their labels. */
    public Map<String, String> marks() {
        return marks.labels();
    }

    /** Snapshots flagged ⚑ (a marked entry is present). */
    public Set<Long> flaggedSnapshots() {
        return Set.copyOf(marks.flagged());
    }

    // ---------------------------------------------------------------- list and selection

    /** A live run has captured {@code count} snapshots: re-read until the archive holds them all. */
    public void expect(long count) {
        expected = count;
        reload();
    }

    /** Re-reads the list (a live run captured more). Only the newest answer is applied. */
    public void reload() {
        long mine = listGeneration.incrementAndGet();
        archive.read(a -> a.runs().snapshots(runId)).whenComplete((loaded, failure) -> Platform.runLater(() -> {
            if (mine != listGeneration.get()) return;
            if (failure != null) {
                LOG.warn("cannot list snapshots of run {}", runId, failure);
                message.set("The snapshots cannot be listed: " + rootMessage(failure));
                return;
            }
            long selectedId = Optional.ofNullable(list.getSelectionModel().getSelectedItem()).map(SnapshotInfo::id)
                    .orElse(-1L);
            selecting = true;
            try {
                rows.setAll(loaded);
                for (int i = 0; i < loaded.size(); i++) {
                    if (loaded.get(i).id() == selectedId) list.getSelectionModel().select(i);
                }
            } finally {
                selecting = false;
            }
            if (!applyPendingTag()) follow(context.selection());
            if (loaded.size() < expected) retry.playFromStart();
        }));
    }

    /** Selects the last snapshot tagged {@code tag}, now or once a reload brings it. */
    public void selectTag(String tag) {
        selectLast(tag::equals);
    }

    /** Selects the newest snapshot whose tag passes {@code tagTest}, now or once a reload brings one. */
    public void selectLast(Predicate<String> tagTest) {
        pendingTag = tagTest;
        if (!applyPendingTag()) reload();
    }

    /** Previous ({@code -1}) or next ({@code +1}) snapshot in time. */
    public void step(int direction) {
        stepWhere(direction, s -> true);
    }

    /** Previous or next snapshot of the shown one's kind. */
    public void stepSameKind(int direction) {
        SnapshotInfo now = list.getSelectionModel().getSelectedItem();
        if (now == null) {
            step(direction);
            return;
        }
        if (!stepWhere(direction, s -> s.kind() == now.kind() && !s.placeholder())) {
            message.set("no " + (direction > 0 ? "later" : "earlier") + " " + now.kind().wireName() + " snapshot");
        }
    }

    /** Previous or next watch-hit snapshot. */
    public void stepWatchHit(int direction) {
        if (!stepWhere(direction, s -> s.kind() == SnapshotKind.WATCH)) {
            message.set("no " + (direction > 0 ? "later" : "earlier") + " watch hit");
        }
    }

    private boolean stepWhere(int direction, Predicate<SnapshotInfo> test) {
        if (rows.isEmpty()) return false;
        int i = list.getSelectionModel().getSelectedIndex();
        if (i < 0) i = direction > 0 ? -1 : rows.size();
        for (int j = i + direction; j >= 0 && j < rows.size(); j += direction) {
            if (test.test(rows.get(j))) {
                selectRow(j);
                return true;
            }
        }
        return false;
    }

    private void selectRow(int i) {
        list.getSelectionModel().select(i);
        list.scrollTo(Math.max(0, i - 2));
    }

    private boolean applyPendingTag() {
        if (pendingTag == null) return false;
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (pendingTag.test(rows.get(i).tag())) {
                pendingTag = null;
                selectRow(i);
                return true;
            }
        }
        return false;
    }

    private void follow(TimelineSelection selection) {
        if (!(selection instanceof TimelineSelection.Snapshot s)) return;
        for (int i = 0; i < rows.size(); i++) {
            SnapshotInfo info = rows.get(i);
            if (info.id() == s.snapshotId() || (s.snapshotId() < 0 && info.tag().equals(s.tag()))) {
                if (list.getSelectionModel().getSelectedIndex() == i) return;
                selecting = true;
                try {
                    selectRow(i);
                } finally {
                    selecting = false;
                }
                return;
            }
        }
    }

    // ---------------------------------------------------------------- showing a snapshot and its diff

    /** Diffs against {@code b} from now on. */
    public void setBase(Base b) {
        base.set(Objects.requireNonNull(b, "b"));
        SnapshotInfo s = shown.get();
        if (s != null) showSnapshot(s);
    }

    public void setChangedOnly(boolean on) {
        changedOnly.setSelected(on);
    }

    /**
     * Asks for a snapshot of another archived run (a dialog listing the runs, then the picked run's snapshots) and
     * diffs the shown snapshot against it from then on.
     */
    public void diffAgainstOtherRun() {
        SnapshotInfo now = shown.get();
        if (now == null || now.placeholder()) {
            message.set("select a readable snapshot first");
            return;
        }
        OtherRunSnapshotPicker picker = new OtherRunSnapshotPicker(archive, runId, now.tag());
        if (getScene() != null) picker.initOwner(getScene().getWindow());
        picker.resultProperty().addListener((o, was, chosen) -> {
            if (chosen != null) setBase(chosen);
        });
        picker.show();
    }

    public void toggleChangedOnly() {
        changedOnly.setSelected(!changedOnly.isSelected());
    }

    public void toggleHex() {
        hex.setSelected(!hex.isSelected());
    }

    private void showSnapshot(SnapshotInfo info) {
        long mine = detailGeneration.incrementAndGet();
        shown.set(info);
        message.set("");
        if (info.placeholder()) {
            shownLoaded = null;
            empty.setText(info.tag() + " could not be captured: " + info.placeholderReason().orElse(
                    "no reason was recorded") + ". There is nothing to show or to diff against.");
            detail.setCenter(empty);
            hideBanner();
            baseText.set("—");
            loading.set(false);
            return;
        }
        Optional<BaseChoice> choice = baseFor(info);
        baseText.set(choice.map(BaseChoice::label).orElse(base.get() instanceof Base.None ? "none"
                : "none (no earlier snapshot)"));
        loading.set(true);
        CompletableFuture<SnapshotReports.Loaded> now = load(info.id());
        CompletableFuture<Optional<SnapshotReports.Loaded>> against = choice.map(c -> load(c.snapshotId()).thenApply(Optional::of))
                .orElse(CompletableFuture.completedFuture(Optional.empty()));
        // first paint as soon as the shown snapshot is parsed; the diff (and the index pins need) follow
        now.whenComplete((n, failure) -> Platform.runLater(() -> {
            if (mine != detailGeneration.get() || failure != null || !loading.get()) return;
            shownLoaded = n;
            tree.show(n.model(), null, n.cpus());
            detail.setCenter(tree);
            choice.ifPresent(c -> message.set("comparing with " + c.tag() + "…"));
        }));
        boolean pinned = !pins.pinned().isEmpty();
        now.thenCombineAsync(against, (n, b) -> {
            SnapshotDiff d = b.map(x -> SnapshotDiff.between(x.model(), n.model())).orElse(null);
            if (pinned) {
                n.flat();
                b.ifPresent(SnapshotReports.Loaded::flat);
            }
            return new Shown(n, b, d);
        }).whenComplete((r, failure) -> Platform.runLater(() -> {
                    if (mine != detailGeneration.get()) return;
                    if (failure != null) {
                        LOG.warn("cannot read snapshot {}", info.id(), failure);
                        empty.setText("The report of " + info.tag() + " cannot be read: " + rootMessage(failure));
                        detail.setCenter(empty);
                        message.set("");
                        loading.set(false);
                        return;
                    }
                    shownLoaded = r.now();
                    marks.snapshotShown();
                    tree.show(r.now().model(), r.diff(), r.now().cpus());
                    detail.setCenter(tree);
                    pins.show(r.now()::flat, r.base().<java.util.function.Supplier<FlatReport>>map(x -> x::flat)
                            .orElse(null));
                    message.set(r.diff() == null ? "" : r.diff().changeCount() + " changes vs " + choice.get().tag());
                    if (choice.isEmpty() && base.get() instanceof Base.Chosen c) {
                        showBanner("The chosen base " + c.label() + " is not a readable snapshot; nothing is diffed.");
                    } else {
                        hideBanner();
                    }
                    loading.set(false); // last: listeners see the new rows
                }));
    }

    /** A snapshot with its base and the diff between them, ready to show. */
    private record Shown(SnapshotReports.Loaded now, Optional<SnapshotReports.Loaded> base, SnapshotDiff diff) {
    }

    private void showBanner(String text) {
        banner.setText(text);
        banner.setVisible(true);
        banner.setManaged(true);
    }

    private void hideBanner() {
        banner.setVisible(false);
        banner.setManaged(false);
    }

    private record BaseChoice(long snapshotId, String tag, String label) {
    }

    private Optional<BaseChoice> baseFor(SnapshotInfo info) {
        int at = rows.indexOf(info);
        return switch (base.get()) {
            case Base.None n -> Optional.empty();
            case Base.Chosen c -> c.snapshotId() == info.id() ? Optional.empty()
                    : Optional.of(new BaseChoice(c.snapshotId(), c.label(), c.label()));
            case Base.Previous p -> earlier(at, s -> true).map(s -> new BaseChoice(s.id(), s.tag(),
                    s.tag() + " (previous)"));
            case Base.PreviousSameKind k -> earlier(at, s -> s.kind() == info.kind()).map(s -> new BaseChoice(s.id(),
                    s.tag(), s.tag() + " (previous " + info.kind().wireName() + ")"));
        };
    }

    private Optional<SnapshotInfo> earlier(int at, Predicate<SnapshotInfo> test) {
        for (int i = at - 1; i >= 0; i--) {
            SnapshotInfo s = rows.get(i);
            if (!s.placeholder() && test.test(s)) return Optional.of(s);
        }
        return Optional.empty();
    }

    private CompletableFuture<SnapshotReports.Loaded> load(long snapshotId) {
        return reports.load(snapshotId);
    }

    // ---------------------------------------------------------------- actions on the selected row

    private FieldNode selectedNode() {
        TreeItem<FieldNode> item = tree.getSelectionModel().getSelectedItem();
        return item == null ? null : item.getValue();
    }

    /** Selects the row at {@code path} (expanding its ancestors); false when the shown snapshot lacks it. */
    public boolean selectPath(String path) {
        TreeItem<FieldNode> item = find(tree.getRoot(), path);
        if (item == null) return false;
        for (TreeItem<FieldNode> p = item.getParent(); p != null; p = p.getParent()) p.setExpanded(true);
        tree.getSelectionModel().select(item);
        int row = tree.getRow(item);
        if (row >= 0) tree.scrollTo(Math.max(0, row - 3));
        return true;
    }

    private TreeItem<FieldNode> find(TreeItem<FieldNode> from, String path) {
        if (from == null) return null;
        for (TreeItem<FieldNode> c : from.getChildren()) {
            FieldNode n = c.getValue();
            if (n == null) continue;
            if (n.path().equals(path)) return c;
            boolean ancestor = n.role() == FieldNode.Role.CHUNK || path.startsWith(n.path())
                    && path.length() > n.path().length() && ":.[".indexOf(path.charAt(n.path().length())) >= 0
                    || n.role() == FieldNode.Role.SECTION && (n.path().equals("maps") || path.startsWith(n.path()));
            if (ancestor) {
                TreeItem<FieldNode> hit = find(c, path);
                if (hit != null) return hit;
            }
        }
        return null;
    }

    public void copyValue() {
        FieldNode n = selectedNode();
        if (n != null) copy(n.value() == null ? n.summary() : n.value().exact());
    }

    public void copyPath() {
        FieldNode n = selectedNode();
        if (n != null) copy(n.path());
    }

    public void copyFilter() {
        FieldNode n = selectedNode();
        if (n == null || n.value() == null) return;
        copy("field:" + n.path() + "==" + n.value().exact());
    }

    private static void copy(String text) {
        ClipboardContent c = new ClipboardContent();
        c.putString(text);
        Clipboard.getSystemClipboard().setContent(c);
    }

    /** Pins the selected field. */
    public void pinSelected() {
        FieldNode n = selectedNode();
        if (n == null || n.value() == null) {
            message.set("select a value to pin");
            return;
        }
        pins.pin(n.path());
    }

    public void pin(String path) {
        pins.pin(path);
    }

    /** Plots the selected numeric field (Σ over CPUs for a per-CPU field). */
    public void plotSelected() {
        FieldNode n = selectedNode();
        if (n == null || n.field() == null) {
            message.set(n == null ? "select a numeric map field to plot"
                    : "only numeric fields of BPF maps can be plotted (the archive indexes those)");
            return;
        }
        plot(n.field(), PlotSeries.Combine.SUM);
    }

    /** Plots {@code field} across the run's snapshots as a lane above the timeline. */
    public CompletableFuture<List<SeriesPoint>> plot(FieldRef field, PlotSeries.Combine how) {
        List<SnapshotInfo> snapshots = rows();
        return archive.read(a -> {
            List<List<FieldPoint>> perPath = new ArrayList<>();
            for (String p : field.paths()) perPath.add(a.runs().fieldSeries(runId, field.map(), p));
            return PlotSeries.combine(perPath, how, snapshots);
        }).whenComplete((points, failure) -> Platform.runLater(() -> {
            if (failure != null) {
                message.set("Cannot plot " + field.label() + ": " + rootMessage(failure));
                return;
            }
            long present = points.stream().filter(p -> p.value().isPresent()).count();
            lanes.show(field.label() + (field.perCpu() ? " " + how.label() : ""), field.label(),
                    (field.perCpu() ? how.label() + " · " : "") + present + " of " + points.size() + " snapshots",
                    points);
        }));
    }

    /** Jumps to the next ({@code +1}) or previous ({@code -1}) snapshot where the selected field differs. */
    public void stepToChange(int direction) {
        FieldNode n = selectedNode();
        SnapshotInfo now = shown.get();
        if (n == null || n.value() == null || now == null) {
            message.set("select a field first");
            return;
        }
        String path = n.path();
        String where = direction > 0 ? "later" : "earlier";
        CompletableFuture<Optional<Long>> found;
        if (n.field() != null) {
            List<SnapshotInfo> snapshots = rows();
            found = archive.read(a -> {
                List<List<FieldPoint>> perPath = new ArrayList<>();
                for (String p : n.field().paths()) perPath.add(a.runs().fieldSeries(runId, n.field().map(), p));
                return ChangeSearch.inSeries(PlotSeries.combine(perPath, PlotSeries.Combine.SUM, snapshots),
                        now.id(), direction).map(SeriesPoint::snapshotId);
            });
        } else {
            // not in the field index: read the reports one by one in the background
            message.set("searching the reports…");
            List<Long> ids = rows.stream().filter(s -> !s.placeholder()).map(SnapshotInfo::id).toList();
            found = CompletableFuture.supplyAsync(() -> ChangeSearch.inReports(ids, now.id(), direction, id -> {
                // no deadline: a read of the local archive, on the search's background thread
                FieldNode there = load(id).join().flat().get(path);
                return there == null || there.value() == null ? Optional.empty() : Optional.of(there.value().exact());
            }));
        }
        found.whenComplete((id, failure) -> Platform.runLater(() -> {
            if (failure != null) {
                message.set("Cannot search: " + rootMessage(failure));
                return;
            }
            if (id.isEmpty()) {
                message.set("no " + where + " snapshot where " + path + " changed");
                return;
            }
            message.set("");
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).id() == id.get()) {
                    selectRow(i);
                    reselectWhenShown(path);
                    return;
                }
            }
        }));
    }

    private void reselectWhenShown(String path) {
        javafx.beans.value.ChangeListener<Boolean> l = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean now) {
                if (!now) {
                    loading.removeListener(this);
                    selectPath(path);
                }
            }
        };
        if (loading.get()) loading.addListener(l);
        else selectPath(path);
    }

    /** Marks the selected entry with a label (asks for it). */
    public void markSelected() {
        TreeItem<FieldNode> item = tree.getSelectionModel().getSelectedItem();
        while (item != null && item.getValue() != null && item.getValue().role() != FieldNode.Role.ENTRY) {
            item = item.getParent();
        }
        FieldNode entry = item == null ? null : item.getValue();
        if (entry == null) {
            message.set("select a map entry to mark");
            return;
        }
        TextInputDialog ask = new TextInputDialog(marks.labelOf(entry.path()));
        ask.setTitle("Mark entry");
        ask.setHeaderText("Label for " + entry.path());
        if (getScene() != null) ask.initOwner(getScene().getWindow());
        FieldNode target = entry;
        ask.showAndWait().ifPresent(label -> mark(target.path(), label));
    }

    /** Labels entry {@code entryPath}; the label follows the entry's key in every snapshot. */
    public void mark(String entryPath, String label) {
        marks.mark(entryPath, label);
    }

    /** What "Watch this field" would arm for a row, if the report gives its kernel address. */
    public Optional<WatchTarget> watchTargetOf(FieldNode n) {
        return FieldActions.targetOf(n);
    }

    // ---------------------------------------------------------------- helpers

    /** {@code +12.310 s} from the run start. */
    static String relative(long ns) {
        return String.format(java.util.Locale.ROOT, "+%.3f s", ns / 1e9);
    }

    private static String rootMessage(Throwable t) {
        return EntryMarks.rootMessage(t);
    }

    /** For tests: the function that turns a report into rows, the same the viewer uses. */
    public static Function<String, ReportModel> reportParser() {
        return r -> SnapshotReports.parse(r).model();
    }
}
