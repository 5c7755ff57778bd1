package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot viewer's marks and pins outlive the archive connection and travel with an export. */
class ViewerMarksTest {
    @TempDir
    Path dir;

    private static final List<ViewerMark> LEFT = List.of(
            new ViewerMark(ViewerMark.Kind.MARK, "task_ctx:[1234]", "the stalled worker"),
            new ViewerMark(ViewerMark.Kind.MARK, "task_ctx:[7]", "kthreadd"),
            new ViewerMark(ViewerMark.Kind.PIN, "scx_qmap.bss:nr_enqueued", ""),
            new ViewerMark(ViewerMark.Kind.PIN, "stats:[0]", ""));

    @Test
    void marksAndPinsAreThereAfterReopeningInTheirOrderAndAKindIsReplacedAlone() {
        long run;
        try (Archive a = Archive.open(dir.resolve("a.db"))) {
            run = TestRuns.createRun(a, "scx_qmap", Instant.parse("2026-12-07T10:00:00Z"));
            a.saveViewerMarks(run, ViewerMark.Kind.MARK, LEFT);
            a.saveViewerMarks(run, ViewerMark.Kind.PIN, LEFT);
        }
        try (Archive a = Archive.open(dir.resolve("a.db"))) {
            assertEquals(LEFT, a.runs().viewerMarks(run));
            a.saveViewerMarks(run, ViewerMark.Kind.PIN, List.of(LEFT.get(3)));
            assertEquals(List.of(LEFT.get(0), LEFT.get(1), LEFT.get(3)), a.runs().viewerMarks(run));
            a.deleteRun(run);
            assertEquals(List.of(), a.runs().viewerMarks(run));
        }
    }

    @Test
    void anExportCarriesThemToTheImportedRun() {
        Path file = dir.resolve("run.ffx");
        try (Archive a = Archive.open(dir.resolve("a.db"))) {
            long run = TestRuns.createRun(a, "scx_qmap", Instant.parse("2026-12-07T10:00:00Z"));
            a.saveViewerMarks(run, ViewerMark.Kind.MARK, LEFT);
            a.saveViewerMarks(run, ViewerMark.Kind.PIN, LEFT);
            new RunExporter(a).export(run, file);
        }
        try (Archive b = Archive.open(dir.resolve("b.db"))) {
            ImportReport report = new RunImporter(b).importFile(file);
            assertEquals(LEFT, b.runs().viewerMarks(report.runId()));
        }
    }
}
