package dev.freezeframe.app.ui.run;

import dev.freezeframe.app.ui.fork.ForkRequest;
import dev.freezeframe.coordinator.live.LiveRun;
import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Path;

/**
 * Starts a run the window will watch: the real engine in the product, a scripted run in UI tests. Returns once the
 * run is recorded in the archive (its id is known); the guest boots in the background. Throws an exception with a
 * sentence when the run cannot start (no kit, bad kernel, archive not writable).
 */
@FunctionalInterface
public interface LiveRunStarter {
    LiveRun start(RunConfig config, Path archive);

    /**
     * As {@link #start(RunConfig, Path)}; with {@code forkable} every snapshot of the run also keeps the whole VM
     * state. A starter that cannot keep it refuses with a sentence rather than starting a run that silently doesn't.
     */
    default LiveRun start(RunConfig config, boolean forkable, Path archive) {
        if (forkable) throw new UnsupportedOperationException("This workbench cannot start forkable runs.");
        return start(config, archive);
    }

    /** Starts a fork of an ended run from one of its forkable snapshots, recorded with its link to the parent. */
    default LiveRun fork(ForkRequest request, Path archive) {
        throw new UnsupportedOperationException("This workbench cannot start forks.");
    }
}
