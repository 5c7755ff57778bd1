package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Verdict;
import java.time.Instant;
import java.util.Optional;

/**
 * A run as the archive knows it: the columns the browser lists and filters on.
 *
 * @param verdict    empty while the run is still going (or if it was cut off before a verdict)
 * @param durationMs empty while the run is still going
 * @param recording   true while a process records the run (it holds the run's lease, see {@code RunLeases})
 * @param archiveNote what the archive knows about the record's completeness, e.g. that it was imported from a
 *                    cut-off export; empty for a complete record
 */
public record ArchivedRun(long id, Instant startedAt, Optional<Instant> endedAt, String scheduler, String schedulerArgs,
                          String scenario, String kernel, Optional<String> kernelVersion, int vcpus, int memoryMib,
                          Optional<Verdict> verdict, Optional<String> reason, Optional<Long> durationMs,
                          boolean recording, Optional<String> archiveNote) {

    /**
     * The verdict's wire name; without one: {@code running} while it is recorded, {@code unfinished} when it ended
     * without a verdict, {@code interrupted} when its recorder died (killed, crashed) before it ended.
     */
    public String verdictLabel() {
        if (verdict.isPresent()) return verdict.get().wireName();
        if (endedAt.isPresent()) return "unfinished";
        return recording ? "running" : "interrupted";
    }
}
