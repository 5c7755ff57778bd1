package dev.freezeframe.app.ui;

import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.persistence.ForkLink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Forks over {@link SyntheticArchive}: the passed run keeps a VM state for {@code periodic_002} (the files a forkable
 * capture leaves; no guest is restored from them here) and has one finished fork from it, linked as
 * {@code freezeframe fork} links one.
 */
final class ForkArchive {
    static final String TAG = "periodic_002";
    static final long AT_NS = 5_800_000_000L;

    private ForkArchive() {
    }

    /** Keeps {@link #TAG}'s state for {@code parent} and records a finished fork of it; returns the fork's id. */
    static long addFork(Archive archive, long parent) {
        keepForkableState(archive.path(), parent, TAG);
        RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu-pingpong", 2, 1024, "kit", 2,
                List.of("total_forks"));
        long id = archive.createRun(config, Instant.parse("2026-12-07T11:00:00Z"), Optional.of("7.3.4-cloud-amd64"));
        archive.recordFork(new ForkLink(id, parent, TAG, AT_NS));
        try (EventIngest ingest = archive.startIngest(id)) {
            ingest.append(RunEvent.of(0, 0, Lane.LIFECYCLE, "forked", "from run " + parent + " at " + TAG));
            ingest.append(RunEvent.of(1, 3 * SyntheticArchive.SECOND, Lane.LIFECYCLE, "verdict",
                    "passed: scenario completed"));
            ingest.flush();
        }
        archive.finishRun(id, Verdict.PASSED, "scenario completed", Instant.parse("2026-12-07T11:00:03Z"));
        return id;
    }

    /** What a forkable capture leaves next to the archive: the state's folder, its RAM base and `complete` last. */
    static void keepForkableState(Path db, long runId, String tag) {
        try {
            Path folder = dev.freezeframe.app.run.ForkableFolders.of(db, runId).resolve(tag);
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("ram.img"), "base image stand-in");
            Files.writeString(folder.resolve("complete"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
