package dev.freezeframe.app.ui;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javafx.application.Platform;

/**
 * Starts JavaFX while the rest of start-up (logging, the command line) is still going: the toolkit takes most of a
 * second to come up and needs nothing from them. {@link #startup} then hands the window's first task to the toolkit
 * that is already up (or starts it, when nothing started it early).
 */
public final class EarlyToolkit {
    private static volatile CompletableFuture<Void> early;

    private EarlyToolkit() {
    }

    /** Begins starting the toolkit on a background thread (call once, only when a window will open). */
    public static synchronized void startInBackground() {
        if (early != null) return;
        CompletableFuture<Void> started = new CompletableFuture<>();
        early = started;
        Thread.ofPlatform().name("fx-early-start").daemon(true).start(() -> {
            try {
                Platform.startup(() -> started.complete(null));
            } catch (RuntimeException | Error e) {
                started.completeExceptionally(e);
            }
        });
    }

    /** Runs {@code first} on the FX thread once the toolkit is up, starting it here if nothing did before. */
    public static void startup(Runnable first) {
        CompletableFuture<Void> started = early;
        if (started == null) {
            Platform.startup(first);
            return;
        }
        try {
            started.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the window system started", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
        Platform.runLater(first);
    }
}
