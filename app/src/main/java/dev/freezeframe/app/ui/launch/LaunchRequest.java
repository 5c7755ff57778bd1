package dev.freezeframe.app.ui.launch;

import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The user pressed Start on a valid form: what to run.
 *
 * @param config      the checked run configuration
 * @param archive     the archive the run goes to
 * @param commandLine the equivalent {@code freezeframe run ...} command, as the form showed it
 * @param forkable    every snapshot also keeps the whole VM state ({@code --forkable})
 */
public record LaunchRequest(RunConfig config, Path archive, String commandLine, boolean forkable) {
    public LaunchRequest {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(commandLine, "commandLine");
    }
}
