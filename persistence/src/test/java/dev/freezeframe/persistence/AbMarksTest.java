package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Runs browser's A/B marks outlive the archive connection, in their order; a deleted run takes its mark along. */
class AbMarksTest {
    @TempDir
    Path dir;

    @Test
    void marksAreThereAfterReopeningInTheirOrderAndGoWithTheirRun() {
        long one;
        long two;
        long three;
        try (Archive a = Archive.open(dir.resolve("a.db"))) {
            assertEquals(List.of(), a.abMarks(), "a new archive has none");
            Instant at = Instant.parse("2026-12-07T10:00:00Z");
            one = TestRuns.createRun(a, "scx_simple", at);
            two = TestRuns.createRun(a, "scx_qmap", at.plusSeconds(60));
            three = TestRuns.createRun(a, "scx_qmap", at.plusSeconds(120));
            a.saveAbMarks(List.of(new AbMark(three, AbMark.Side.A), new AbMark(one, AbMark.Side.B),
                    new AbMark(two, AbMark.Side.A), new AbMark(9999, AbMark.Side.B)));
        }
        try (Archive a = Archive.open(dir.resolve("a.db"))) {
            assertEquals(List.of(new AbMark(three, AbMark.Side.A), new AbMark(one, AbMark.Side.B),
                    new AbMark(two, AbMark.Side.A)), a.abMarks(), "in the order saved; a run that is not there is left out");
            a.deleteRun(three);
            assertEquals(List.of(new AbMark(one, AbMark.Side.B), new AbMark(two, AbMark.Side.A)), a.abMarks());
            a.saveAbMarks(List.of());
            assertEquals(List.of(), a.abMarks());
        }
    }
}
