package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.Verdict;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {
    @TempDir
    Path dir;

    @Test
    void twoRunsDifferInConfigVerdictDurationAndMapFields() {
        try (Archive archive = Archive.open(dir.resolve("c.db"))) {
            long a = archive.createRun(new RunConfig("scx_qmap", List.of("-s", "5000"), "mixed", 2, 512, "kit", 2,
                    List.of()), Instant.parse("2026-11-01T10:00:00Z"), Optional.of("7.2.13"));
            try (EventIngest ingest = archive.startIngest(a)) {
                ingest.append(TestRuns.snapshot("periodic_000", 10, 3));
                ingest.append(TestRuns.snapshot("periodic_001", 20, 5));
            }
            archive.finishRun(a, Verdict.PASSED, null, Instant.parse("2026-11-01T10:00:30Z"));
            long b = archive.createRun(new RunConfig("scx_qmap", List.of("-s", "20000"), "mixed", 4, 512, "kit", 2,
                    List.of()), Instant.parse("2026-11-02T10:00:00Z"), Optional.of("7.2.13"));
            try (EventIngest ingest = archive.startIngest(b)) {
                ingest.append(TestRuns.snapshot("periodic_000", 10, 3));
                ingest.append(TestRuns.snapshot("periodic_001", 20, 11));
            }
            archive.finishRun(b, Verdict.SCHEDULER_FAILED, "runnable task stall", Instant.parse("2026-11-02T10:00:12Z"));

            RunComparison.Result r = new RunComparison(archive).compare(a, b, Optional.empty(), Optional.empty());
            assertEquals(List.of("schedulerArgs", "vcpus"), r.config().stream()
                    .map(RunComparison.ConfigDifference::key).toList());
            assertFalse(r.sameVerdict());
            assertEquals(Optional.of(-18_000L), r.durationDeltaMs());
            assertEquals("periodic_001", r.snapshotA().orElseThrow().tag());
            RunComparison.FieldDelta queued = r.fieldDeltas().stream()
                    .filter(d -> d.field().equals("nr_queued")).findFirst().orElseThrow();
            assertEquals(OptionalDouble.of(6), queued.delta());
            assertTrue(r.fieldDeltas().stream().noneMatch(d -> d.field().equals("cpu_load[0]")), "equal fields");
            assertEquals(2, r.unchangedFields()); // cpu_load[0], cpu_load[1]

            RunComparison.Result same = new RunComparison(archive).compare(a, b, Optional.of("periodic_000"),
                    Optional.of("periodic_000"));
            assertTrue(same.fieldDeltas().isEmpty());

            String text = RunComparison.render(r, 2);
            assertTrue(text.contains("Verdicts differ. B ran 18.0 s shorter."), text);
            assertTrue(text.contains("schedulerArgs"), text);
            assertTrue(text.contains("nr_queued"), text);
            assertTrue(text.contains("more (use --max-fields)"), text);

            assertTrue(assertThrows(ArchiveException.class, () -> new RunComparison(archive).compare(a, b,
                    Optional.of("nope"), Optional.empty())).getMessage().contains("no snapshot tagged 'nope'"));
            assertTrue(assertThrows(ArchiveException.class, () -> new RunComparison(archive).compare(a, 77,
                    Optional.empty(), Optional.empty())).getMessage().contains("no run 77"));
        }
    }
}
