package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.findings.Finding;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archived run's findings come from its whole record: the live monitor's series on the stats lane and the watch
 * lane's events as well as its snapshots, and the headline joins the verdict reason the launcher archives.
 */
class RunFindingsTest {
    @TempDir
    Path dir;

    /** A run whose monitor saw user DSQ 0 grow for 10 s and whose watch on scx_root was auto-disarmed. */
    private static long monitoredRun(Archive archive) {
        long run = archive.createRun(new RunConfig("scx_qmap", List.of(), "mixed", 2, 512, "kit", 1, List.of()),
                Instant.parse("2026-12-07T20:00:00Z"), Optional.of("7.3.4"));
        try (EventIngest ingest = archive.startIngest(run)) {
            long seq = 0;
            for (int i = 0; i < 100; i++) {
                long at = 1_000_000_000L + i * 100_000_000L;
                ingest.append(new RunEvent(seq++, at, Lane.STATS, "monitor:dsq/user 0", "", (double) i, null));
                ingest.append(new RunEvent(seq++, at, Lane.STATS, "monitor:cpu0/nr_running", "", 3.0, null));
            }
            ingest.append(new RunEvent(seq, 5_000_000_000L, Lane.WATCHPOINTS, "auto_disarmed",
                    "scx_root was hit 500 times in 1 s; disarmed", null, null));
        }
        return run;
    }

    @Test
    void theSeriesAndWatchEventsOfTheRecordAreFindings() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("a.db"))) {
            long run = monitoredRun(archive);
            List<Finding> findings = RunFindings.of(archive, run);
            // both warnings: in time order (the watch at 5 s, the DSQ's last point at 10.9 s)
            assertEquals(List.of("watch_auto_disarmed", "dsq_growing"), findings.stream().map(Finding::rule).toList());
            assertEquals(5_000, findings.getFirst().atMs());
            assertTrue(findings.get(1).title().startsWith("DSQ user 0 only grows: "), findings.get(1).title());
            assertEquals(10_900, findings.get(1).atMs());
        }
    }

    @Test
    void theHeadlineJoinsTheArchivedVerdictReasonOnce() throws Exception {
        try (Archive archive = Archive.open(dir.resolve("a.db"))) {
            long run = monitoredRun(archive);
            String reason = RunLauncher.withHeadline(archive, run, "the scenario completed");
            assertEquals("the scenario completed — headline: a hot watch was disarmed: scx_root was hit 500 times in 1 s;"
                    + " disarmed", reason);
            assertEquals(reason, RunLauncher.withHeadline(archive, run, reason), "not twice");
            long quiet = archive.createRun(new RunConfig("scx_qmap", List.of(), "mixed", 2, 512, "kit", 1, List.of()),
                    Instant.parse("2026-12-07T20:00:00Z"), Optional.of("7.3.4"));
            assertEquals("the scenario completed", RunLauncher.withHeadline(archive, quiet, "the scenario completed"));
        }
    }
}
