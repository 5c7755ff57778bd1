package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Verdict;
import java.time.Instant;
import java.util.Optional;

/**
 * A run as the archive knows it: the columns the browser lists and filters on.
 *
 * @param verdict    empty while the run is still going (or if it was cut off before a verdict)
 * @param durationMs empty while the run is still going
 */
public record ArchivedRun(long id, Instant startedAt, Optional<Instant> endedAt, String scheduler, String schedulerArgs,
                          String scenario, String kernel, Optional<String> kernelVersion, int vcpus, int memoryMib,
                          Optional<Verdict> verdict, Optional<String> reason, Optional<Long> durationMs) {

    /** The verdict's wire name, or {@code running} / {@code unfinished} when there is none yet. */
    public String verdictLabel() {
        return verdict.map(Verdict::wireName).orElse(endedAt.isPresent() ? "unfinished" : "running");
    }
}
