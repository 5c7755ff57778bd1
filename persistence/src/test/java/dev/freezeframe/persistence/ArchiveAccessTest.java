package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives are private to their owner when created, and a read-only archive can still be listed and read. */
class ArchiveAccessTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewArchiveItsWalShmAndLeaseFilesAreCreatedOwnerOnly() throws Exception {
        Path file = dir.resolve("archive.db");
        try (Archive archive = Archive.open(file)) {
            long run = TestRuns.createRun(archive, "scx_qmap", Instant.parse("2026-10-01T08:00:00Z"));
            try (EventIngest ingest = archive.startIngest(run)) {
                TestRuns.events(10, 2).forEach(ingest::append);
            }
            for (String suffix : new String[] {"", "-wal", "-shm", "-live"}) {
                Path p = dir.resolve("archive.db" + suffix);
                assertTrue(Files.exists(p), p + " exists while the archive is open");
                assertEquals("rw-------", mode(p), p.toString());
            }
            archive.finishRun(run, Verdict.PASSED, null, Instant.parse("2026-10-01T08:00:10Z"));
        }
    }

    @Test
    void anExistingArchiveKeepsItsMode() throws Exception {
        Path file = dir.resolve("shared.db");
        try (Archive archive = Archive.open(file)) {
            assertFalse(archive.readOnly());
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        try (Archive archive = Archive.open(file)) {
            assertEquals(1, archive.schemaVersion() > 0 ? 1 : 0);
        }
        assertEquals("rw-r-----", mode(file));
    }

    @Test
    void aReadOnlyArchiveIsListedAndReadAndOnlyAChangeSaysWhyItCannot() throws Exception {
        Path file = dir.resolve("ro.db");
        long run;
        try (Archive archive = Archive.open(file)) {
            run = TestRuns.createRun(archive, "scx_qmap", Instant.parse("2026-10-01T08:00:00Z"));
            try (EventIngest ingest = archive.startIngest(run)) {
                TestRuns.events(50, 2).forEach(ingest::append);
                ingest.append(TestRuns.snapshot("periodic_000", 5_000_000, 3));
            }
            archive.finishRun(run, Verdict.PASSED, null, Instant.parse("2026-10-01T08:00:10Z"));
        }
        byte[] before = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try (Archive archive = Archive.open(file, true)) {
            assertTrue(archive.readOnly());
            assertEquals(1, archive.listRuns().size());
            assertEquals("passed", archive.listRuns().getFirst().verdictLabel());
            assertEquals(50, archive.runs().detail(run).orElseThrow().eventCount());
            assertEquals(1, archive.runs().snapshots(run).size());
            assertFalse(archive.runs().snapshotReport(archive.runs().snapshots(run).getFirst().id()).isEmpty());
            ArchiveException e = assertThrows(ArchiveException.class, () -> archive.deleteRun(run));
            assertTrue(e.getMessage().contains("is read-only") && e.getMessage().contains("cannot delete a run"),
                    e.getMessage());
            assertThrows(ArchiveException.class, () -> new RunImporter(archive).importFile(dir.resolve("x.ffx")));
            assertEquals(1, archive.listRuns().size());
        }
        assertArrayEquals(before, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)),
                "reading a read-only archive never writes it");
    }

    @Test
    void aReadOnlyArchiveIsReadAsImmutableWhenSqliteCannotOpenItsWal() throws Exception {
        Path file = dir.resolve("imm.db");
        try (Archive archive = Archive.open(file)) {
            TestRuns.createRun(archive, "scx_simple", Instant.parse("2026-10-01T08:00:00Z"));
        }
        try (var c = Archive.connectImmutableForTest(file); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM runs")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
        assertFalse(Files.exists(dir.resolve("imm.db-shm")), "an immutable read creates no -shm file");
    }
}
