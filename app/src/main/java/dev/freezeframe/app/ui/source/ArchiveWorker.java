package dev.freezeframe.app.ui.source;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchiveException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background thread with its own connection to an archive (connections are single-threaded), for one view's
 * queries. Jobs run in submission order; each answer is handed back on the FX thread, where the view decides whether it
 * is still wanted (views number their requests and drop stale answers).
 */
public final class ArchiveWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveWorker.class);

    private final Path path;
    private final ExecutorService executor;
    private Archive archive; // worker thread only

    public ArchiveWorker(Path path, String name) {
        this.path = path;
        this.executor = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name(name).daemon(true).unstarted(r));
    }

    /**
     * Runs {@code query} on the worker thread, then {@code onAnswer} with its result on the FX thread; a failure goes
     * to {@code onFailure} as a sentence for the user (details in the log).
     */
    public <T> void submit(Function<Archive, T> query, Consumer<T> onAnswer, Consumer<String> onFailure) {
        if (executor.isShutdown()) return; // the view closed; an answer still on its way asked for more
        executor.execute(() -> {
            T answer;
            try {
                if (archive == null) archive = Archive.open(path);
                answer = query.apply(archive);
            } catch (RuntimeException e) {
                LOG.error("reading {} failed", path, e);
                String message = e instanceof ArchiveException ? e.getMessage()
                        : "Reading the run failed unexpectedly (" + e.getClass().getSimpleName()
                        + "); this is a bug in Freezeframe, the details are in its log.";
                Platform.runLater(() -> onFailure.accept(message));
                return;
            }
            Platform.runLater(() -> onAnswer.accept(answer));
        });
    }

    /** Stops the thread after the jobs already submitted and closes its connection. */
    @Override
    public void close() {
        if (executor.isShutdown()) return;
        executor.execute(() -> {
            if (archive != null) archive.close();
            archive = null;
        });
        executor.shutdown();
    }
}
