package dev.freezeframe.app.ui;

import dev.freezeframe.app.UserMessages;
import dev.freezeframe.app.ui.fork.ForkTree;
import dev.freezeframe.app.ui.runs.AbMarks;
import dev.freezeframe.app.ui.runs.RunActions;
import dev.freezeframe.app.ui.runs.RunPreview;
import dev.freezeframe.app.ui.runs.RunsFilterParser;
import dev.freezeframe.persistence.AbMark;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.ForkLink;
import dev.freezeframe.persistence.RunFilter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive browser's state: which archive, the filter, the runs it lists, the selected run's preview, and whether
 * loading worked. Loading happens off the FX thread; only the newest load's result is applied. All properties are
 * read-only to views and change on the FX thread.
 */
public final class ArchiveBrowserModel {
    public enum Status { LOADING, READY, FAILED }

    /** A request to select and show {@code runId}; {@code nonce} makes a repeated request a change too. */
    public record Reveal(long runId, long nonce) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveBrowserModel.class);

    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.LOADING);
    private final ReadOnlyStringWrapper errorMessage = new ReadOnlyStringWrapper(this, "errorMessage", "");
    private final ReadOnlyObjectWrapper<Path> archivePath = new ReadOnlyObjectWrapper<>(this, "archivePath");
    private final ReadOnlyStringWrapper filterText = new ReadOnlyStringWrapper(this, "filterText", "");
    private final ReadOnlyObjectWrapper<RunFilter> filter = new ReadOnlyObjectWrapper<>(this, "filter", RunFilter.ALL);
    private final ReadOnlyObjectWrapper<Optional<RunPreview>> preview =
            new ReadOnlyObjectWrapper<>(this, "preview", Optional.empty());
    private final ReadOnlyObjectWrapper<Reveal> revealed = new ReadOnlyObjectWrapper<>(this, "revealed");
    private final AtomicLong reveals = new AtomicLong();
    private final ObservableList<ArchivedRun> runs = FXCollections.observableArrayList();
    private Map<Long, ForkLink> forkLinks = Map.of();
    private ForkTree.Ordered forkDepth = new ForkTree.Ordered(List.of(), Map.of());
    private final ObservableList<ArchivedRun> runsView = FXCollections.unmodifiableObservableList(runs);
    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong previewGeneration = new AtomicLong();
    private final RunsFilterParser parser;
    private final RunActions actions;
    private final AbMarks marks = new AbMarks();
    private boolean restoringMarks;
    private final Executor background;
    private final Consumer<Runnable> fxThread;
    private final Path logFile;

    /**
     * @param background where archive I/O runs
     * @param fxThread   how results get back to the FX thread ({@code Platform::runLater})
     * @param logFile    named in messages about unexpected failures
     */
    public ArchiveBrowserModel(Executor background, Consumer<Runnable> fxThread, Path logFile) {
        this(background, fxThread, logFile, new RunsFilterParser());
    }

    public ArchiveBrowserModel(Executor background, Consumer<Runnable> fxThread, Path logFile,
                               RunsFilterParser parser) {
        this.background = background;
        this.fxThread = fxThread;
        this.logFile = logFile;
        this.parser = parser;
        this.actions = new RunActions(background, fxThread, archivePath::get, logFile, this::runsChanged);
        marks.versionProperty().addListener((obs, was, now) -> {
            if (!restoringMarks) saveMarks();
        });
    }

    /** Where run {@code runId} was forked from, when it is a fork (as of the last load). */
    public Optional<ForkLink> forkOf(long runId) {
        return Optional.ofNullable(forkLinks.get(runId));
    }

    /** How far under a listed parent run {@code runId} is shown (0: top level). */
    public int forkDepth(long runId) {
        return forkDepth.depthOf(runId);
    }

    /** Opens (creating if needed) the archive at {@code path} and loads its runs and its A/B marks. */
    public void open(Path path) {
        archivePath.set(path);
        restoreMarks(List.of()); // run ids are the archive's own: another archive's marks mean nothing here
        loadMarks(path);
        reload();
    }

    private void restoreMarks(List<AbMark> saved) {
        restoringMarks = true;
        try {
            marks.restore(saved);
        } finally {
            restoringMarks = false;
        }
    }

    /** The archive's marks, unless the user marked runs (or another archive opened) while they were being read. */
    private void loadMarks(Path path) {
        long untouched = marks.versionProperty().get();
        background.execute(() -> {
            List<AbMark> saved;
            try (Archive archive = Archive.open(path)) {
                saved = archive.abMarks();
            } catch (RuntimeException e) {
                LOG.warn("cannot read the A/B marks of {}", path, e); // the list says what is wrong with the archive
                return;
            }
            fxThread.accept(() -> {
                if (path.equals(archivePath.get()) && marks.versionProperty().get() == untouched) restoreMarks(saved);
            });
        });
    }

    /** Keeps the marks in the archive (in order on the single background thread, after any earlier save). */
    private void saveMarks() {
        Path path = archivePath.get();
        if (path == null) return;
        List<AbMark> rows = marks.rows();
        background.execute(() -> {
            try (Archive archive = Archive.open(path)) {
                archive.saveAbMarks(rows);
            } catch (RuntimeException e) {
                LOG.warn("cannot save the A/B marks in {}", path, e); // they still work until the window closes
            }
        });
    }

    /**
     * Parses the filter bar's text; when it is a valid filter, lists the runs it matches. An invalid text changes
     * nothing and the returned {@link RunsFilterParser.Invalid} says why.
     */
    public RunsFilterParser.Result applyFilter(String text) {
        RunsFilterParser.Result result = parser.parse(text);
        if (result instanceof RunsFilterParser.Valid valid) {
            filterText.set(text == null ? "" : text);
            filter.set(valid.filter());
            reload();
        }
        return result;
    }

    /** Parses without applying (for the filter bar's validity tint while typing). */
    public RunsFilterParser.Result check(String text) {
        return parser.parse(text);
    }

    public void reload() {
        load(OptionalLong.empty());
    }

    /**
     * Shows {@code runId} in the list and selects it (a deep link's fallback, an import's result): the filter is
     * cleared when it hides the run.
     */
    public void reveal(long runId) {
        if (runs.stream().anyMatch(r -> r.id() == runId)) {
            revealed.set(new Reveal(runId, reveals.incrementAndGet()));
            return;
        }
        if (!filter.get().equals(RunFilter.ALL)) {
            filterText.set("");
            filter.set(RunFilter.ALL);
        }
        load(OptionalLong.of(runId));
    }

    private void load(OptionalLong thenReveal) {
        Path path = archivePath.get();
        if (path == null) return;
        long mine = generation.incrementAndGet();
        RunFilter current = filter.get();
        status.set(Status.LOADING);
        background.execute(() -> {
            try (Archive archive = Archive.open(path)) {
                Map<Long, ForkLink> links = archive.forkLinks();
                ForkTree.Ordered loaded = ForkTree.order(archive.runs().list(current), links);
                fxThread.accept(() -> applyIfNewest(mine, () -> {
                    forkLinks = Map.copyOf(links);
                    forkDepth = loaded;
                    runs.setAll(loaded.runs());
                    errorMessage.set("");
                    status.set(Status.READY);
                    thenReveal.ifPresent(id -> revealed.set(new Reveal(id, reveals.incrementAndGet())));
                }));
            } catch (RuntimeException e) {
                LOG.error("cannot load archive {}", path, e);
                String message = UserMessages.describe(e, logFile);
                fxThread.accept(() -> applyIfNewest(mine, () -> {
                    runs.clear();
                    errorMessage.set(message);
                    status.set(Status.FAILED);
                }));
            }
        });
    }

    /** Loads the preview of the selected run (empty: nothing selected). */
    public void select(OptionalLong runId) {
        long mine = previewGeneration.incrementAndGet();
        Path path = archivePath.get();
        if (runId.isEmpty() || path == null) {
            preview.set(Optional.empty());
            return;
        }
        RunFilter current = filter.get();
        background.execute(() -> {
            Optional<RunPreview> loaded;
            try (Archive archive = Archive.open(path)) {
                loaded = RunPreview.load(archive, runId.getAsLong(), current);
            } catch (RuntimeException e) {
                // the list shows archive failures; a preview that cannot load just stays empty
                LOG.warn("cannot load the preview of run {} in {}", runId.getAsLong(), path, e);
                loaded = Optional.empty();
            }
            Optional<RunPreview> result = loaded;
            fxThread.accept(() -> {
                if (mine == previewGeneration.get()) preview.set(result);
            });
        });
    }

    private void runsChanged(OptionalLong select) {
        if (select.isPresent()) reveal(select.getAsLong());
        else reload();
    }

    private void applyIfNewest(long loadGeneration, Runnable apply) {
        if (loadGeneration == generation.get()) apply.run();
    }

    public ReadOnlyObjectProperty<Status> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty errorMessageProperty() {
        return errorMessage.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> archivePathProperty() {
        return archivePath.getReadOnlyProperty();
    }

    /** The text of the filter in force (the last valid text applied). */
    public ReadOnlyStringProperty filterTextProperty() {
        return filterText.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<RunFilter> filterProperty() {
        return filter.getReadOnlyProperty();
    }

    /** The selected run's preview; empty when nothing is selected (or the run is gone). */
    public ReadOnlyObjectProperty<Optional<RunPreview>> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** The run the list should select and scroll to; set by {@link #reveal} once the run is in the list. */
    public ReadOnlyObjectProperty<Reveal> revealedProperty() {
        return revealed.getReadOnlyProperty();
    }

    public ObservableList<ArchivedRun> runs() {
        return runsView;
    }

    public RunActions actions() {
        return actions;
    }

    /** The runs marked as side A and side B for "Compare A vs B". */
    public AbMarks marks() {
        return marks;
    }
}
