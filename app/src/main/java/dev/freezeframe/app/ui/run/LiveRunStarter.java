package dev.freezeframe.app.ui.run;

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
}
