package dev.freezeframe.app.run;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchiveException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a run's forkable snapshots (whole VM states) are kept: {@code <archive>.forks/run-<id>/}, next to the archive
 * file, outside the database. Deleting a run deletes this folder too.
 */
public final class ForkableFolders {
    private ForkableFolders() {
    }

    /** The folder of run {@code runId} of {@code archive} (it may not exist: a run that was not forkable). */
    public static Path of(Archive archive, long runId) {
        return of(archive.path(), runId);
    }

    /** As {@link #of(Archive, long)}, from the archive file's path. */
    public static Path of(Path archiveFile, long runId) {
        return archiveFile.resolveSibling(archiveFile.getFileName() + ".forks").resolve("run-" + runId);
    }

    /**
     * Deletes run {@code runId} from {@code archive} and then its forkable folder.
     *
     * @return false when the archive has no such run (nothing is deleted then)
     * @throws ArchiveException when the run was deleted but its folder could not be removed (the sentence says where)
     */
    public static boolean deleteRun(Archive archive, long runId) {
        if (!archive.deleteRun(runId)) return false;
        Path folder = of(archive, runId);
        try {
            deleteTree(folder);
        } catch (IOException | UncheckedIOException e) {
            throw new ArchiveException("Deleted run " + runId + ", but its forkable snapshots in " + folder
                    + " could not be removed (" + e.getMessage() + "); delete that folder by hand.", e);
        }
        return true;
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) return;
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
