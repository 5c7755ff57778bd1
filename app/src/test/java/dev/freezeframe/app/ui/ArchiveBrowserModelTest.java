package dev.freezeframe.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The browser model's states, driven synchronously (no FX toolkit needed). */
class ArchiveBrowserModelTest {
    @TempDir
    Path dir;

    private final ArchiveBrowserModel model = new ArchiveBrowserModel(Runnable::run, Runnable::run, Path.of("x.log"));

    @Test
    void aNewArchiveLoadsEmpty() {
        model.open(dir.resolve("a.db"));
        assertEquals(ArchiveBrowserModel.Status.READY, model.statusProperty().get());
        assertTrue(model.runs().isEmpty());
        assertEquals("", model.errorMessageProperty().get());
    }

    @Test
    void aBrokenArchiveFailsWithTheSentenceAndNoRows() throws Exception {
        Path notADb = Files.writeString(dir.resolve("b.db"), "not sqlite ".repeat(100));
        model.open(notADb);
        assertEquals(ArchiveBrowserModel.Status.FAILED, model.statusProperty().get());
        assertTrue(model.errorMessageProperty().get().contains("not a Freezeframe archive"),
                model.errorMessageProperty().get());
        assertTrue(model.runs().isEmpty());
    }

    @Test
    void openingAnotherArchiveAfterAFailureRecovers() throws Exception {
        model.open(Files.writeString(dir.resolve("b.db"), "not sqlite ".repeat(100)));
        model.open(dir.resolve("c.db"));
        assertEquals(ArchiveBrowserModel.Status.READY, model.statusProperty().get());
        assertEquals("", model.errorMessageProperty().get());
    }

    private java.util.List<Long> ids() {
        return model.runs().stream().map(dev.freezeframe.persistence.ArchivedRun::id).toList();
    }

    @Test
    void aValidFilterListsWhatTheArchiveListsAndAnInvalidOneChangesNothing() {
        Path db = dir.resolve("four.db");
        TestArchives.fourRuns(db);
        model.open(db);
        assertEquals(java.util.List.of(4L, 3L, 2L, 1L), ids());
        var result = model.applyFilter("kernel:7.2 \"task stall\"");
        assertTrue(result instanceof dev.freezeframe.app.ui.runs.RunsFilterParser.Valid, result.toString());
        try (var archive = dev.freezeframe.persistence.Archive.open(db)) {
            assertEquals(archive.runs().list(dev.freezeframe.persistence.RunFilter.ALL.withKernel("7.2")
                    .withText("task stall")).stream().map(dev.freezeframe.persistence.ArchivedRun::id).toList(), ids());
        }
        assertEquals(java.util.List.of(2L), ids());
        assertTrue(model.applyFilter("verdict:nope") instanceof dev.freezeframe.app.ui.runs.RunsFilterParser.Invalid);
        assertEquals(java.util.List.of(2L), ids());
        assertEquals("kernel:7.2 \"task stall\"", model.filterTextProperty().get());
    }

    @Test
    void abMarksSurviveReopeningTheArchiveAndDoNotFollowToAnotherOne() {
        Path db = dir.resolve("four.db");
        TestArchives.fourRuns(db);
        model.open(db);
        var marks = model.marks();
        marks.mark(java.util.List.of(3L, 1L), dev.freezeframe.app.ui.runs.AbMarks.Side.A);
        marks.mark(java.util.List.of(4L), dev.freezeframe.app.ui.runs.AbMarks.Side.B);
        marks.mark(java.util.List.of(1L), dev.freezeframe.app.ui.runs.AbMarks.Side.B); // moved: now marked last
        assertEquals("A #3 · B #4 #1", marks.summary());

        ArchiveBrowserModel restarted = new ArchiveBrowserModel(Runnable::run, Runnable::run, Path.of("x.log"));
        restarted.open(db);
        assertEquals("A #3 · B #4 #1", restarted.marks().summary(), "the marks as they were, in their order");
        assertTrue(restarted.marks().comparable());

        restarted.marks().unmark(java.util.List.of(4L));
        model.open(dir.resolve("other.db"));
        assertTrue(model.marks().isEmpty(), "another archive's run ids are other runs");
        model.open(db);
        assertEquals("A #3 · B #1", model.marks().summary(), "the last change was kept too");
    }

    @Test
    void revealingAHiddenRunClearsTheFilterAndSelectsIt() {
        Path db = dir.resolve("four.db");
        TestArchives.fourRuns(db);
        model.open(db);
        model.applyFilter("verdict:passed");
        assertEquals(java.util.List.of(1L), ids());
        model.reveal(3);
        assertEquals("", model.filterTextProperty().get());
        assertEquals(java.util.List.of(4L, 3L, 2L, 1L), ids());
        assertEquals(3L, model.revealedProperty().get().runId());
        long first = model.revealedProperty().get().nonce();
        model.reveal(3);
        assertTrue(model.revealedProperty().get().nonce() > first, "a repeated reveal is a new request");
    }

    @Test
    void thePreviewHoldsTheDetailAndTheFirstMatch() {
        Path db = dir.resolve("four.db");
        TestArchives.fourRuns(db);
        model.open(db);
        model.applyFilter("runnable");
        model.select(java.util.OptionalLong.of(2));
        var preview = model.previewProperty().get().orElseThrow();
        assertEquals(3, preview.detail().eventCount() + preview.detail().snapshotCount());
        assertEquals("runnable task stall detected", preview.firstMatch().orElseThrow().text());
        model.select(java.util.OptionalLong.empty());
        assertTrue(model.previewProperty().get().isEmpty());
    }
}
