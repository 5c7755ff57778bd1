package dev.freezeframe.app.ui.source;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs written into real archives the way the engine records them (createRun, an ingest, appends), for the console and
 * events views' tests and benchmarks. The mixed stream is a pure function of the seq, so tests can tell what any row
 * must show without keeping the events.
 */
public final class TestRunArchives {
    /** Every event is 1 µs after the previous one. */
    public static final long NS_PER_EVENT = 1_000;

    private TestRunArchives() {
    }

    public static RunConfig config() {
        return new RunConfig("scx_qmap", List.of("-e", "50"), "cpu-pingpong", 2, 512, "kit", 0, List.of());
    }

    /**
     * Event {@code seq} of the mixed stream: a stats sample every 5th, a watchpoint hit (every 50th, slot 1) or arm, a
     * scheduler stderr line every 7th, else a console line; every 1000th console line mentions a task stall.
     */
    public static RunEvent mixed(long seq) {
        long at = seq * NS_PER_EVENT;
        if (seq % 5 == 4) return new RunEvent(seq, at, Lane.STATS, "nr_queued", "", (double) (seq % 97), null);
        if (seq % 50 == 13) return RunEvent.of(seq, at, Lane.WATCHPOINTS, "hit", "total_forks hit " + seq);
        if (seq % 50 == 23) return RunEvent.of(seq, at, Lane.WATCHPOINTS, "armed", "slot 1 total_forks");
        if (seq % 7 == 3) return RunEvent.of(seq, at, Lane.SCHEDULER, "stderr", "scx_qmap: tick " + seq);
        return RunEvent.of(seq, at, Lane.CONSOLE, "line",
                "console line " + seq + (seq % 1000 == 0 ? " runnable task stall" : ""));
    }

    /** A console-only stream: line {@code seq} at {@code seq} µs. */
    public static RunEvent consoleLine(long seq) {
        return RunEvent.of(seq, seq * NS_PER_EVENT, Lane.CONSOLE, "line", "guest line " + seq);
    }

    /** Records a finished run of {@code events} mixed events into the archive at {@code db}; returns its id. */
    public static long finishedMixedRun(Path db, long events) {
        try (Archive archive = Archive.open(db)) {
            long run = archive.createRun(config(), Instant.parse("2026-12-07T09:00:00Z"), Optional.of("7.3.0"));
            try (EventIngest ingest = archive.startIngest(run)) {
                for (long seq = 0; seq < events; seq++) ingest.append(mixed(seq));
            }
            archive.finishRun(run, Verdict.PASSED, null, Instant.parse("2026-12-07T09:01:00Z"));
            return run;
        }
    }
}
