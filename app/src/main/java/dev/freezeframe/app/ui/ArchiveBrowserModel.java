package dev.freezeframe.app.ui;

import dev.freezeframe.app.UserMessages;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import java.nio.file.Path;
import java.util.List;
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
 * The archive browser's state: which archive, its runs, and whether loading worked. Loading happens off the FX thread;
 * only the newest load's result is applied. All properties are read-only to views and change on the FX thread.
 */
public final class ArchiveBrowserModel {
    public enum Status { LOADING, READY, FAILED }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveBrowserModel.class);

    private final ReadOnlyObjectWrapper<Status> status = new ReadOnlyObjectWrapper<>(this, "status", Status.LOADING);
    private final ReadOnlyStringWrapper errorMessage = new ReadOnlyStringWrapper(this, "errorMessage", "");
    private final ReadOnlyObjectWrapper<Path> archivePath = new ReadOnlyObjectWrapper<>(this, "archivePath");
    private final ObservableList<ArchivedRun> runs = FXCollections.observableArrayList();
    private final ObservableList<ArchivedRun> runsView = FXCollections.unmodifiableObservableList(runs);
    private final AtomicLong generation = new AtomicLong();
    private final Executor background;
    private final Consumer<Runnable> fxThread;
    private final Path logFile;

    /**
     * @param background where archive I/O runs
     * @param fxThread   how results get back to the FX thread ({@code Platform::runLater})
     * @param logFile    named in messages about unexpected failures
     */
    public ArchiveBrowserModel(Executor background, Consumer<Runnable> fxThread, Path logFile) {
        this.background = background;
        this.fxThread = fxThread;
        this.logFile = logFile;
    }

    /** Opens (creating if needed) the archive at {@code path} and loads its runs. */
    public void open(Path path) {
        archivePath.set(path);
        reload();
    }

    public void reload() {
        Path path = archivePath.get();
        if (path == null) return;
        long mine = generation.incrementAndGet();
        status.set(Status.LOADING);
        background.execute(() -> {
            try (Archive archive = Archive.open(path)) {
                List<ArchivedRun> loaded = archive.listRuns();
                fxThread.accept(() -> applyIfNewest(mine, () -> {
                    runs.setAll(loaded);
                    errorMessage.set("");
                    status.set(Status.READY);
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

    public ObservableList<ArchivedRun> runs() {
        return runsView;
    }
}
