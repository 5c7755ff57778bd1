package dev.freezeframe.timeline;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Asks the source for new data on a thread of its own: once at start, then every {@link #PERIOD_MS} while the run is
 * live. A changed version is handed to the FX thread with the extent and the items.
 */
final class SourcePoller implements AutoCloseable {
    /** How often a live run's source is asked for new data. */
    static final long PERIOD_MS = 100;

    /** What changed: the data version, the run's extent and its exact items. */
    record Update(long version, long endNs, TimelineItems items) {
    }

    private final TimelineSource source;
    private final Consumer<Update> onFx;
    private final Consumer<String> onError;
    private final ScheduledExecutorService thread;
    // confined to the poller's thread
    private boolean loaded;
    private long version;

    SourcePoller(TimelineSource source, Consumer<Update> onFx, Consumer<String> onError) {
        this.source = source;
        this.onFx = onFx;
        this.onError = onError;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "timeline-refresh");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::poll, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Asks once more even when the run is not live (something beside its events changed: a fork of it began). */
    void pollOnce() {
        try {
            thread.execute(() -> poll(true));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the view was disposed
        }
    }

    private void poll() {
        poll(false);
    }

    private void poll(boolean forced) {
        if (loaded && !forced && !source.live()) return;
        try {
            long v = source.refresh();
            if (loaded && v == version) return;
            Update u = new Update(v, source.endNs(), source.items());
            loaded = true;
            version = v;
            Platform.runLater(() -> onFx.accept(u));
        } catch (RuntimeException e) {
            onError.accept(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
