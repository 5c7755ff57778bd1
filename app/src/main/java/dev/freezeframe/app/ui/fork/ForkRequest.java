package dev.freezeframe.app.ui.fork;

import dev.freezeframe.app.run.RunCommandLine;
import dev.freezeframe.app.run.ShellWords;
import dev.freezeframe.coordinator.model.RunConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fork to start: run {@code parentRunId} goes on from its forkable snapshot {@code tag} as a new run with
 * {@code config}'s watches and periodic snapshots (the rest of {@code config} is the parent's, but for its scenario
 * when {@code newScenario}).
 *
 * @param forkable    the fork's own snapshots keep their VM state too
 * @param newScenario {@code config}'s scenario runs from the fork instant instead of the rest of the parent's
 *                    ({@code fork --scenario})
 */
public record ForkRequest(long parentRunId, String tag, RunConfig config, boolean forkable, boolean newScenario) {
    public ForkRequest {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(config, "config");
    }

    /** A fork that goes on with the parent's scenario. */
    public ForkRequest(long parentRunId, String tag, RunConfig config, boolean forkable) {
        this(parentRunId, tag, config, forkable, false);
    }

    /** The {@code freezeframe fork …} command that starts the same fork from a shell ({@code --db} when given). */
    public String commandLine(Path archiveOrNull) {
        List<String> words = new ArrayList<>(List.of(RunCommandLine.PROGRAM, "fork", Long.toString(parentRunId), tag));
        if (newScenario) words.addAll(List.of("--scenario", config.scenario()));
        if (config.snapshots() > 0) words.addAll(List.of("--snapshots", Integer.toString(config.snapshots())));
        for (String w : config.watches()) words.addAll(List.of("--watch", w));
        if (forkable) words.add("--forkable");
        if (archiveOrNull != null) words.addAll(List.of("--db", archiveOrNull.toString()));
        return ShellWords.join(words);
    }
}
