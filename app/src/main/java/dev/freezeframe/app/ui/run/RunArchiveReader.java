package dev.freezeframe.app.ui.run;

import dev.freezeframe.persistence.Archive;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run tab's reads from the archive: a single background thread with its own connection (an {@link Archive} is
 * single-threaded), opened on first use and closed with the tab. Results come back as futures; callers apply them on
 * the FX thread.
 */
public final class RunArchiveReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunArchiveReader.class);

    private final Path archivePath;
    private final ExecutorService thread;
    private Archive archive; // confined to the thread

    public RunArchiveReader(Path archivePath) {
        this.archivePath = archivePath;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("run-tab-io").daemon(true).factory());
    }

    public Path archivePath() {
        return archivePath;
    }

    /** Runs {@code query} on the reader's thread against its connection. */
    public <T> CompletableFuture<T> read(Function<Archive, T> query) {
        return CompletableFuture.supplyAsync(() -> {
            if (archive == null) archive = Archive.open(archivePath);
            return query.apply(archive);
        }, thread);
    }

    @Override
    public void close() {
        thread.execute(() -> {
            if (archive != null) {
                try {
                    archive.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing the archive reader failed", e);
                }
                archive = null;
            }
        });
        thread.shutdown();
    }
}
