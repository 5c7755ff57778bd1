package dev.freezeframe.app.ui;

import dev.freezeframe.app.UserMessages;
import dev.freezeframe.app.ui.fork.ForkRequest;
import dev.freezeframe.app.ui.run.LiveRunStarter;
import dev.freezeframe.app.ui.run.RunArchiveReader;
import dev.freezeframe.app.ui.run.RunLayout;
import dev.freezeframe.app.ui.run.RunTabModel;
import dev.freezeframe.app.ui.run.RunTabView;
import dev.freezeframe.app.ui.run.RunViewFactory;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.persistence.RunDetail;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimeWindow;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The document tabs' run tabs: opens archived runs (read-only) and live runs into the same layout, keeps one tab per
 * run, remembers live runs that keep going after their tab was closed, and tells which run tab is selected.
 */
public final class RunDocuments {
    private static final Logger LOG = LoggerFactory.getLogger(RunDocuments.class);
    /** A live run's window before it has a length: the first ten seconds, following the tail. */
    private static final long LIVE_WINDOW_NS = 10_000_000_000L;

    private final TabPane tabs;
    private final Supplier<Path> archive;
    private final LiveRunStarter starter;
    private final RunViewFactory views;
    private final Supplier<RunLayout> layout;
    private final Consumer<RunLayout> onLayout;
    private final Consumer<String> status;
    private final Path logFile;
    private final Map<Long, Tab> open = new LinkedHashMap<>();
    private final Map<Long, LiveRun> liveRuns = new LinkedHashMap<>();
    private RunTabView.Links links = RunTabView.Links.NONE;
    private final ReadOnlyObjectWrapper<RunTabView> current = new ReadOnlyObjectWrapper<>(this, "current");

    RunDocuments(TabPane tabs, Supplier<Path> archive, LiveRunStarter starter, RunViewFactory views,
                 Supplier<RunLayout> layout, Consumer<RunLayout> onLayout, Consumer<String> status, Path logFile) {
        this.tabs = tabs;
        this.archive = archive;
        this.starter = starter;
        this.views = views;
        this.layout = layout;
        this.onLayout = onLayout;
        this.status = status;
        this.logFile = logFile;
        tabs.getSelectionModel().selectedItemProperty().addListener((obs, was, now) -> {
            current.set(now != null && now.getContent() instanceof RunTabView v ? v : null);
            // keys act on the selected document: take focus away from a field of the one left behind
            if (current.get() != null) Platform.runLater(current.get()::requestFocus);
        });
    }

    /** What every run tab opened from now on asks of the window (open another run, fork). */
    void setLinks(RunTabView.Links links) {
        this.links = links;
    }

    /** The selected run tab, or null when another document (Runs, the launch form) is selected. */
    public ReadOnlyObjectProperty<RunTabView> currentProperty() {
        return current.getReadOnlyProperty();
    }

    public RunTabView current() {
        return current.get();
    }

    /** The run tab of {@code runId}, if open. */
    public Optional<RunTabView> tabOf(long runId) {
        return Optional.ofNullable(open.get(runId)).map(t -> (RunTabView) t.getContent());
    }

    /**
     * Starts a run from the launch form and opens its live tab. The engine boots in the background; a run that cannot
     * start is reported as a sentence.
     */
    public CompletableFuture<RunTabView> start(RunConfig config) {
        return start(config, false);
    }

    /** As {@link #start(RunConfig)}; {@code forkable}: every snapshot of the run keeps the whole VM state. */
    public CompletableFuture<RunTabView> start(RunConfig config, boolean forkable) {
        return launch("The run did not start: ", where -> starter.start(config, forkable, where));
    }

    /**
     * Starts a fork of an ended run and opens its live tab; the parent's open tab draws the new branch. A fork that
     * cannot start is reported as a sentence.
     */
    public CompletableFuture<RunTabView> startFork(ForkRequest request) {
        CompletableFuture<RunTabView> started = launch("The fork did not start: ", where -> starter.fork(request,
                where));
        started.thenAccept(v -> reloadTimeline(request.parentRunId()));
        return started;
    }

    /** An ended run's timeline is read once; a new fork of it is drawn after this. */
    private void reloadTimeline(long runId) {
        tabOf(runId).ifPresent(v -> {
            if (v.timelineNode() instanceof TimelineView t) t.reload();
        });
    }

    private CompletableFuture<RunTabView> launch(String failed, java.util.function.Function<Path, LiveRun> how) {
        CompletableFuture<RunTabView> result = new CompletableFuture<>();
        Path where = archive.get();
        Thread.ofPlatform().name("run-start").daemon(true).start(() -> {
            try {
                LiveRun run = how.apply(where);
                Platform.runLater(() -> result.complete(openLive(run)));
            } catch (RuntimeException e) {
                LOG.error("the run did not start", e);
                String why = UserMessages.describe(e, logFile);
                Platform.runLater(() -> {
                    status.accept(failed + why);
                    result.completeExceptionally(e);
                });
            }
        });
        return result;
    }

    /** Opens (or selects) the tab of a live run. */
    public RunTabView openLive(LiveRun run) {
        liveRuns.put(run.runId(), run);
        run.finished().whenComplete((s, f) -> Platform.runLater(() -> liveRuns.remove(run.runId())));
        Tab existing = open.get(run.runId());
        if (existing != null) {
            tabs.getSelectionModel().select(existing);
            return (RunTabView) existing.getContent();
        }
        RunTabModel model = RunTabModel.live(run, Platform::runLater);
        RunContext context = new RunContext(new TimeWindow(0, LIVE_WINDOW_NS));
        context.setFollowTail(true);
        model.elapsedNsProperty().addListener((obs, was, now) -> context.setRunEnd(now.longValue()));
        return addTab(model, context, Optional.empty());
    }

    /**
     * Opens run {@code runId}: its live tab when this window is running it, else the archived run read-only,
     * positioned at {@code snapshotTag} or, for a failed run, at the error snapshot.
     */
    public CompletableFuture<RunTabView> open(long runId, Optional<String> snapshotTag) {
        Tab existing = open.get(runId);
        if (existing != null) {
            tabs.getSelectionModel().select(existing);
            RunTabView v = (RunTabView) existing.getContent();
            snapshotTag.ifPresent(v::showSnapshotTagged);
            return CompletableFuture.completedFuture(v);
        }
        LiveRun live = liveRuns.get(runId);
        if (live != null) {
            RunTabView v = openLive(live);
            snapshotTag.ifPresent(v::showSnapshotTagged);
            return CompletableFuture.completedFuture(v);
        }
        CompletableFuture<RunTabView> result = new CompletableFuture<>();
        RunArchiveReader reader = new RunArchiveReader(archive.get());
        reader.read(a -> a.runs().detail(runId)).whenComplete((detail, failure) -> Platform.runLater(() -> {
            reader.close();
            if (failure != null || detail.isEmpty()) {
                String why = failure != null ? UserMessages.describe(failure.getCause() != null ? failure.getCause()
                        : failure, logFile) : "There is no run " + runId + " in " + archive.get() + ".";
                status.accept(why);
                result.completeExceptionally(failure != null ? failure : new IllegalArgumentException(why));
                return;
            }
            result.complete(openArchived(detail.get(), snapshotTag));
        }));
        return result;
    }

    private RunTabView openArchived(RunDetail detail, Optional<String> snapshotTag) {
        Tab existing = open.get(detail.run().id());
        if (existing != null) return (RunTabView) existing.getContent();
        RunTabModel model = RunTabModel.archived(detail);
        long end = Math.max(1, detail.lastEventNs().orElse(1L));
        RunContext context = new RunContext(new TimeWindow(0, end));
        context.setRunEnd(end);
        Optional<String> at = snapshotTag.isPresent() ? snapshotTag
                : detail.run().verdict().map(v -> v.wireName()).filter("scheduler_failed"::equals).map(v -> "error");
        return addTab(model, context, at);
    }

    private RunTabView addTab(RunTabModel model, RunContext context, Optional<String> snapshotTag) {
        RunArchiveReader reader = new RunArchiveReader(archive.get());
        RunTabView.Parts parts = views.create(archive.get(), model, context);
        RunTabView view = new RunTabView(model, context, reader, parts, layout.get(), onLayout, status);
        view.setLinks(links);
        if (parts.timeline() instanceof TimelineView t) t.setOnBranch(b -> open(b.runId(), Optional.empty()));
        Tab tab = new Tab();
        tab.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> glyph(model) + " "
                + model.titleProperty().get(), model.titleProperty(), model.guestStateProperty(),
                model.verdictProperty()));
        tab.setId("runTab" + model.runId());
        tab.setContent(view);
        tab.setOnCloseRequest(e -> {
            if (!confirmClose(model)) e.consume();
        });
        tab.setOnClosed(e -> {
            open.remove(model.runId());
            view.close();
        });
        open.put(model.runId(), tab);
        tabs.getTabs().add(tab);
        tabs.getSelectionModel().select(tab);
        snapshotTag.ifPresent(view::showSnapshotTagged);
        return view;
    }

    /** Closes the tab of {@code runId} without asking (a live run goes on in the background). */
    public void close(long runId) {
        Tab tab = open.remove(runId);
        if (tab == null) return;
        tabs.getTabs().remove(tab);
        ((RunTabView) tab.getContent()).close();
    }

    /** The tab glyph: ● live, ❄ frozen, ✔ passed, ✖ failed, ◌ interrupted or unfinished. */
    static String glyph(RunTabModel m) {
        return switch (m.guestStateProperty().get()) {
            case FROZEN, FREEZING, RESUMING -> "❄";
            case BOOTING, RUNNING -> "●";
            case ENDED, ARCHIVED -> switch (m.verdictProperty().get()) {
                case "passed" -> "✔";
                case "scheduler_failed", "failed_expectation", "error" -> "✖";
                case "inconclusive" -> "?";
                default -> "◌";
            };
        };
    }

    /** Closing a live run's tab asks whether to stop the run or keep it running in the background. */
    private boolean confirmClose(RunTabModel model) {
        if (!model.isLive() || !model.guestStateProperty().get().live()) return true;
        ButtonType stop = new ButtonType("Stop the run", ButtonBar.ButtonData.OK_DONE);
        ButtonType keep = new ButtonType("Keep it running", ButtonBar.ButtonData.OTHER);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Run " + model.runId() + " is still running. Stop it, or"
                + " keep it running in the background (reopen it from Runs)?", stop, keep, ButtonType.CANCEL);
        ask.setHeaderText("Close " + model.titleProperty().get() + "?");
        if (tabs.getScene() != null) ask.initOwner(tabs.getScene().getWindow());
        Optional<ButtonType> answer = ask.showAndWait();
        if (answer.isEmpty() || answer.get() == ButtonType.CANCEL) return false;
        if (answer.get() == stop) model.stop();
        return true;
    }

    /** Live runs still going (to stop when the window closes). */
    public Map<Long, LiveRun> liveRuns() {
        return Map.copyOf(liveRuns);
    }
}
