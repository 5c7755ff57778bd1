package dev.freezeframe.app.ui.run;

import dev.freezeframe.app.ui.symbols.KernelSymbolSources;
import dev.freezeframe.app.ui.symbols.SymbolsPanel;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.view.SnapshotViewer;
import dev.freezeframe.timeline.RunContext;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import javafx.scene.Node;
import javafx.scene.layout.BorderPane;
import org.kordamp.ikonli.feather.Feather;

/**
 * One opened run: toolbar on top, a notification line under it when there is news, then the workspace (timeline,
 * drawer, inspector). Owns the
 * tab's {@link RunContext} (the cursor, selection and window every view of the tab shares), its {@link RunTabModel} and
 * its archive reader; {@link #close()} releases them (a live run goes on recording).
 */
public final class RunTabView extends BorderPane implements AutoCloseable {
    private final RunTabModel model;
    private final RunContext context;
    private final RunArchiveReader reader;
    private final RunWorkspace workspace;
    private final SnapshotViewer snapshots;
    private final SymbolsPanel symbols;
    private final SelectionPanel selection;
    private final FindingsPanel findings;
    private final RunBanner notifications;
    private final RunNotifications notifier;
    private final List<AutoCloseable> owned;
    /** The palette's # mode: the run's plottable fields, from its newest captured snapshot (capped). */
    private List<dev.freezeframe.snapshots.model.FieldRef> fields = List.of();
    private long fieldsOf = -1;
    private boolean fieldsLoading;
    static final int FIELD_LIMIT = 20_000;
    private Links links = Links.NONE;
    private Runnable refreshForkButton = () -> {
    };
    private final Node timelineNode;
    private final Node consoleNode;
    private final Node eventsNode;

    /**
     * @param parts    the views made for this run (timeline, console, events) and what to close with the tab
     * @param layout   where the panels start
     * @param onLayout told about every change of the arrangement
     * @param report   one-line answers and refusals for the status line
     */
    public RunTabView(RunTabModel model, RunContext context, RunArchiveReader reader, Parts parts, RunLayout layout,
                      Consumer<RunLayout> onLayout, Consumer<String> report) {
        this.model = model;
        this.context = context;
        this.reader = reader;
        this.owned = parts.closeWithTab();
        this.timelineNode = parts.timeline();
        this.consoleNode = parts.console();
        this.eventsNode = parts.events();
        setId("runTab-" + model.runId());
        // "Watch this field" arms a watch on the field's kernel address; an archived run has no guest to arm it on
        snapshots = new SnapshotViewer(reader::read, model.runId(), context, model.isLive(), !model.isLive() ? null
                : target -> model.watchAddress(target.address(), target.size(), target.label())
                .whenComplete((answer, failure) -> report.accept(failure != null
                        ? "Watch " + target.label() + ": " + message(failure) : answer)));
        WatchSlotsPanel slots = new WatchSlotsPanel(model);
        selection = new SelectionPanel(context, reader, model.runId(), this::diffSnapshots);
        findings = new FindingsPanel(model, reader, this::showFinding);
        symbols = new SymbolsPanel(model, model.kernelRelease(), parts.symbolSources());
        // plotted fields stack above the timeline and share its window
        javafx.scene.layout.VBox timeline = new javafx.scene.layout.VBox(snapshots.plotLanes(), parts.timeline());
        javafx.scene.layout.VBox.setVgrow(parts.timeline(), javafx.scene.layout.Priority.ALWAYS);
        workspace = new RunWorkspace(timeline, List.of(
                new RunPanels.Panel(RunPanels.CONSOLE, "Console", Feather.TERMINAL, parts.console()),
                new RunPanels.Panel(RunPanels.EVENTS, "Events", Feather.LIST, parts.events()),
                new RunPanels.Panel(RunPanels.SELECTION, "Selection", Feather.MAXIMIZE_2, selection),
                new RunPanels.Panel(RunPanels.FINDINGS, "Findings", Feather.ALERT_TRIANGLE, findings),
                new RunPanels.Panel(RunPanels.SNAPSHOT, "Snapshots", Feather.CAMERA, snapshots),
                new RunPanels.Panel(RunPanels.SLOTS, "Watch slots", Feather.CROSSHAIR, slots),
                new RunPanels.Panel(RunPanels.SYMBOLS, "Symbols", Feather.SEARCH, symbolsWithSlots(symbols, model))),
                layout, onLayout);
        notifications = new RunBanner();
        setTop(new javafx.scene.layout.VBox(new RunToolbar(model, report, id -> links.openRun(id)), notifications));
        snapshots.setSnapshotActions(this::snapshotMenu, List.of(forkButton()));
        // a fork says where it came from (read once: a run's origin never changes)
        reader.read(a -> a.forkOf(model.runId())).thenAccept(link -> link.ifPresent(l ->
                javafx.application.Platform.runLater(() -> model.setOrigin(l))));
        setCenter(workspace);
        notifier = new RunNotifications(model, notifications, this::showSnapshotTagged);
        model.snapshotsProperty().addListener((obs, was, now) -> snapshots.expect(now.longValue()));
        // an area dragged on the timeline shows its figures (Perfetto's aggregation tab comes forward the same way)
        context.selectionProperty().addListener((obs, was, now) -> {
            if (now instanceof dev.freezeframe.timeline.TimelineSelection.Area) workspace.reveal(RunPanels.SELECTION);
        });
        // entering FROZEN shows the freeze's own snapshot, the state the user is now looking at
        model.guestStateProperty().addListener((obs, was, now) -> {
            if (now == GuestState.FROZEN) {
                // a user's freeze, or a "stay frozen" watch hit: the hold's own snapshot is the state now
                String held = model.frozenTagProperty().get();
                snapshots.selectLast(held.isEmpty() ? tag -> tag.startsWith("freeze_") : held::equals);
            }
        });
    }

    /** What the tab asks of the window: open another run, fork from a snapshot of this one. */
    public interface Links {
        Links NONE = new Links() {
        };

        default void openRun(long runId) {
        }

        /** Why a fork from {@code snapshot} (null: none selected) of this tab's run cannot start now, or empty. */
        default String forkUnavailable(RunTabView tab, SnapshotInfo snapshot) {
            return "forks cannot be started from this window";
        }

        /** Opens the fork form for {@code snapshot}. */
        default void forkFrom(RunTabView tab, SnapshotInfo snapshot) {
        }
    }

    public void setLinks(Links links) {
        this.links = java.util.Objects.requireNonNull(links, "links");
        refreshForkButton.run();
    }

    /** Why "Fork from here" does not apply to the shown snapshot now, or empty. */
    public String forkUnavailable() {
        return links.forkUnavailable(this, snapshots.shownProperty().get());
    }

    /** "Fork from here…" on the shown snapshot (the key, the palette, the viewer's button). */
    public void forkFromShown() {
        SnapshotInfo shown = snapshots.shownProperty().get();
        if (forkUnavailable().isEmpty()) links.forkFrom(this, shown);
    }

    private List<javafx.scene.control.MenuItem> snapshotMenu(SnapshotInfo s) {
        javafx.scene.control.MenuItem fork = new javafx.scene.control.MenuItem("Fork from here…",
                new org.kordamp.ikonli.javafx.FontIcon(Feather.GIT_BRANCH));
        fork.setId("forkMenuItem");
        String why = links.forkUnavailable(this, s);
        fork.setDisable(!why.isEmpty());
        fork.setOnAction(e -> links.forkFrom(this, s));
        if (why.isEmpty()) return List.of(fork);
        javafx.scene.control.MenuItem reason = new javafx.scene.control.MenuItem(RunTabModel.capitalize(why) + ".");
        reason.setId("forkMenuReason");
        reason.setDisable(true);
        return List.of(fork, reason);
    }

    /** The viewer's "Fork from here…" button; disabled, its wrapper's tooltip says why. */
    private Node forkButton() {
        javafx.scene.control.Button b = new javafx.scene.control.Button("Fork from here…",
                new org.kordamp.ikonli.javafx.FontIcon(Feather.GIT_BRANCH));
        b.setId("forkFromHereButton");
        b.getStyleClass().add(atlantafx.base.theme.Styles.SMALL);
        b.setOnAction(e -> forkFromShown());
        javafx.scene.layout.StackPane wrapper = new javafx.scene.layout.StackPane(b);
        wrapper.setId("forkFromHere");
        javafx.scene.control.Tooltip tip = new javafx.scene.control.Tooltip();
        tip.setWrapText(true);
        tip.setMaxWidth(420);
        javafx.scene.control.Tooltip.install(wrapper, tip);
        refreshForkButton = () -> {
            String why = forkUnavailable();
            b.setDisable(!why.isEmpty());
            tip.setText(why.isEmpty() ? "Start a new run from this snapshot's exact state (Ctrl+Shift+F)"
                    : RunTabModel.capitalize(why) + ".");
        };
        snapshots.shownProperty().addListener((obs, was, now) -> refreshForkButton.run());
        model.guestStateProperty().addListener((obs, was, now) -> refreshForkButton.run());
        refreshForkButton.run();
        return wrapper;
    }

    /**
     * The views a run tab is made of, built by the workbench for this run.
     *
     * @param symbolSources where the symbol browser finds cached symbols and BTF of the run's kernel
     */
    public record Parts(Node timeline, Node console, Node events, KernelSymbolSources symbolSources,
                        List<AutoCloseable> closeWithTab) {
        public Parts {
            java.util.Objects.requireNonNull(symbolSources, "symbolSources");
            closeWithTab = List.copyOf(closeWithTab);
        }

        /** Views without cached kernel symbols (the symbol browser waits for a live guest's). */
        public Parts(Node timeline, Node console, Node events, List<AutoCloseable> closeWithTab) {
            this(timeline, console, events, KernelSymbolSources.NONE, closeWithTab);
        }
    }

    /** The symbol browser over a compact view of the four slots, so what is armed stays in sight. */
    private static Node symbolsWithSlots(SymbolsPanel symbols, RunTabModel model) {
        WatchSlotsPanel slots = new WatchSlotsPanel(model, true);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(symbols.view(), slots);
        javafx.scene.layout.VBox.setVgrow(symbols.view(), javafx.scene.layout.Priority.ALWAYS);
        return box;
    }

    /** The run's timeline as the workbench made it. */
    public Node timelineNode() {
        return timelineNode;
    }

    public SymbolsPanel symbols() {
        return symbols;
    }

    public RunTabModel model() {
        return model;
    }

    public RunContext context() {
        return context;
    }

    /** Shows the Symbols panel searching for {@code query} (the palette's {@code $} mode). */
    public void findSymbol(String query) {
        workspace().reveal(RunPanels.SYMBOLS);
        symbols.view().searchField().setText(query);
        symbols.view().searchField().requestFocus();
    }

    /** Finds {@code text} in the Console, from the line in view (the palette's {@code /} mode). */
    public void findInConsole(String text) {
        if (!(consoleNode instanceof dev.freezeframe.app.ui.console.ConsoleView console)) return;
        workspace.reveal(RunPanels.CONSOLE);
        console.find(text);
    }

    /** Shows the Events panel filtered to events whose text holds {@code text} (the palette's {@code /} mode). */
    public void filterEvents(String text) {
        if (!(eventsNode instanceof dev.freezeframe.app.ui.events.EventsTableView events)) return;
        workspace.reveal(RunPanels.EVENTS);
        events.filterByText(text);
    }

    public RunWorkspace workspace() {
        return workspace;
    }

    public SnapshotViewer snapshots() {
        return snapshots;
    }

    public RunBanner notifications() {
        return notifications;
    }

    /** Selects the snapshot tagged {@code tag} (the last one of that tag) once the list holds it. */
    public void showSnapshotTagged(String tag) {
        workspace.reveal(RunPanels.SNAPSHOT);
        snapshots.selectTag(tag);
    }

    /**
     * The run's plottable fields (numeric map fields of its newest captured snapshot, per-CPU ones folded, at most
     * {@link #FIELD_LIMIT}); when a newer snapshot has come, they are read again and {@code onLoaded} is told.
     */
    public List<dev.freezeframe.snapshots.model.FieldRef> plottableFields(Runnable onLoaded) {
        var newest = snapshots.rows().stream().filter(s -> !s.placeholder()).reduce((a, b) -> b);
        if (newest.isPresent() && newest.get().id() != fieldsOf && !fieldsLoading) {
            long id = newest.get().id();
            fieldsLoading = true;
            reader.read(a -> dev.freezeframe.snapshots.model.FieldCatalog.of(a.runs().snapshotFields(id), FIELD_LIMIT))
                    .whenComplete((list, failure) -> javafx.application.Platform.runLater(() -> {
                        fieldsLoading = false;
                        fieldsOf = id; // a failure is not retried on every keystroke; a newer snapshot retries
                        if (list != null) fields = list;
                        onLoaded.run();
                    }));
        }
        return fields;
    }

    public boolean fieldsLoading() {
        return fieldsLoading;
    }

    /** Plots {@code field} above the timeline (Σ over CPUs for a per-CPU field), the palette's # mode. */
    /** Pins {@code field} under the snapshot tree, where it keeps its value and delta at every step. */
    public void pin(dev.freezeframe.snapshots.model.FieldRef field) {
        workspace.reveal(RunPanels.SNAPSHOT);
        snapshots.pin(field.map() + ":" + field.prefix() + field.rest()); // the tree's path: per-CPU as one row (Σ)
    }

    public void plot(dev.freezeframe.snapshots.model.FieldRef field) {
        snapshots.plot(field, dev.freezeframe.snapshots.model.PlotSeries.Combine.SUM);
    }

    public FindingsPanel findings() {
        return findings;
    }

    /** Goes to the snapshot a finding names, or else to its time. */
    private void showFinding(dev.freezeframe.coordinator.findings.Finding f) {
        if (f.snapshot() != null) showSnapshotTagged(f.snapshot());
        else if (f.atMs() >= 0) context.setCursor(f.atMs() * 1_000_000);
    }

    public SelectionPanel selection() {
        return selection;
    }

    /** Shows {@code to} diffed against {@code from} in the snapshot viewer (the Selection tab's "Diff first → last"). */
    private void diffSnapshots(dev.freezeframe.persistence.SnapshotInfo from, dev.freezeframe.persistence.SnapshotInfo to) {
        workspace.reveal(RunPanels.SNAPSHOT);
        snapshots.setBase(new SnapshotViewer.Base.Chosen(from.id(), model.runId(), from.tag()));
        snapshots.selectTag(to.tag());
    }

    /** Previous / next snapshot in time ({@code [} / {@code ]}). */
    public void stepSnapshot(int direction) {
        workspace.reveal(RunPanels.SNAPSHOT);
        snapshots.step(direction);
    }

    @Override
    public void close() {
        notifier.close();
        symbols.close();
        model.detach();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(RunTabView.class).warn("closing a run view failed", e);
            }
        }
        reader.close();
    }

    /** The sentence of a failure, without the wrapper exceptions of futures. */
    static String message(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
