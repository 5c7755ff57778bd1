package dev.freezeframe.app.ui.source;

import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * A task run on the FX thread at most once per burst of requests: asking again while a run is pending changes
 * nothing, so a flurry of property changes (a scroll, a selection echoed through several views) costs one run.
 * FX thread only.
 */
public final class FxOnce {
    private final Runnable task;
    private final Consumer<Runnable> fxThread;
    private boolean pending;

    public FxOnce(Runnable task) {
        this(task, Platform::runLater);
    }

    FxOnce(Runnable task, Consumer<Runnable> fxThread) {
        this.task = task;
        this.fxThread = fxThread;
    }

    /** Runs the task soon, once, however often this is called before it runs. */
    public void request() {
        if (pending) return;
        pending = true;
        fxThread.accept(() -> {
            pending = false;
            task.run();
        });
    }
}
