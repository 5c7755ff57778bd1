package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In-process lease rules; the cross-process case (a SIGKILLed recorder) is in {@link CrashSafetyTest}. */
class RunLeasesTest {
    @TempDir
    Path dir;

    @Test
    void aRunIsRunningWhileItsCreatorOrIngestHoldsItAndInterruptedWhenNobodyDoes() {
        Path file = dir.resolve("a.db");
        long run;
        try (Archive creator = Archive.open(file); Archive browser = Archive.open(file)) {
            run = TestRuns.createRun(creator, "scx_qmap", Instant.now());
            assertEquals("running", browser.runs().detail(run).orElseThrow().run().verdictLabel());
            try (EventIngest ingest = creator.startIngest(run)) {
                assertTrue(RunLeases.isHeld(file, run));
            }
            // the ingest gave its hold back; the creator still holds the run
            assertTrue(RunLeases.isHeld(file, run));
            assertEquals(1, browser.runs().list(RunFilter.ALL.withVerdict("running")).size());
        }
        try (Archive later = Archive.open(file)) {
            assertFalse(RunLeases.isHeld(file, run));
            assertEquals("interrupted", later.runs().detail(run).orElseThrow().run().verdictLabel());
            assertEquals(1, later.runs().list(RunFilter.ALL.withVerdict("interrupted")).size());
            assertEquals(0, later.runs().list(RunFilter.ALL.withVerdict("running")).size());
            // a new recorder may take the run over and give it a verdict
            try (EventIngest ingest = later.startIngest(run)) {
                assertEquals("running", later.runs().detail(run).orElseThrow().run().verdictLabel());
            }
            later.finishRun(run, Verdict.PASSED, "ok", Instant.now());
            assertEquals("passed", later.runs().detail(run).orElseThrow().run().verdictLabel());
        }
    }

    @Test
    void finishingARunGivesItsLeaseBack() {
        Path file = dir.resolve("b.db");
        try (Archive archive = Archive.open(file)) {
            long run = TestRuns.createRun(archive, "scx_simple", Instant.now());
            assertTrue(RunLeases.isHeld(file, run));
            archive.finishRun(run, Verdict.PASSED, "ok", Instant.now());
            assertFalse(RunLeases.isHeld(file, run));
        }
    }
}
