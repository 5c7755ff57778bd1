package dev.freezeframe.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema 2 (snapshots, pyramid, search) arrives by migration on an existing schema-1 archive. */
class ArchiveMigrationTest {
    @TempDir
    Path dir;

    @Test
    void aSchemaOneArchiveIsMigratedToTwoKeepingItsRuns() throws Exception {
        Path file = dir.resolve("v1.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA application_id = " + Archive.APPLICATION_ID);
            String script = new String(Migrations.class.getResourceAsStream("migrations/V001__runs_and_events.sql")
                    .readAllBytes()).replaceAll("(?m)^--.*$", "");
            for (String sql : script.split(";")) {
                if (!sql.isBlank()) s.execute(sql);
            }
            s.execute("PRAGMA user_version = 1");
            s.execute("INSERT INTO runs (started_at_ms, scheduler, scenario, kernel, vcpus, memory_mib, config_json) "
                    + "VALUES (1, 'scx_simple', 's', 'kit', 1, 256, '{}')");
        }
        try (Archive archive = Archive.open(file)) {
            assertEquals(2, archive.schemaVersion());
            assertEquals(1, archive.listRuns().size());
            // the new tables work on the migrated archive
            long run = archive.listRuns().getFirst().id();
            try (EventIngest ingest = archive.startIngest(run)) {
                ingest.append(TestRuns.snapshot("periodic_000", 1, 2));
                ingest.append(dev.freezeframe.coordinator.model.RunEvent.of(0, 5,
                        dev.freezeframe.coordinator.model.Lane.CONSOLE, "line", "hello after migration"));
            }
            assertEquals(1, archive.runs().snapshots(run).size());
            assertTrue(archive.runs().list(RunFilter.ALL.withText("migration")).size() == 1);
        }
    }
}
