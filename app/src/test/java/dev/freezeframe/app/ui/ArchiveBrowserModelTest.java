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
}
