package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The headless command line as a user drives it: exit codes and what it prints. */
class CommandLineTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"),
                dir.resolve("cache"));
        CommandLine commandLine = CommandLines.create(dirs);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void versionNamesTheAppJdkJavafxAndSqlite() {
        assertEquals(0, run("--version"));
        String text = out.toString();
        assertTrue(text.contains("Freezeframe "), text);
        assertTrue(text.contains("JDK         " + Runtime.version()), text);
        assertTrue(text.matches("(?s).*JavaFX +\\d+.*"), text);
        assertTrue(text.matches("(?s).*SQLite +3\\.\\d+.*"), text);
    }

    @Test
    void helpListsTheHeadlessCommands() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("runs"), out.toString());
        assertTrue(out.toString().contains("--db"), out.toString());
    }

    @Test
    void runsListOnANewArchiveCreatesItAndSaysHowToStart() {
        Path db = dir.resolve("some/new.db");
        assertEquals(0, run("runs", "list", "--db", db.toString()));
        assertTrue(Files.isRegularFile(db));
        assertTrue(out.toString().contains("No runs in " + db.toAbsolutePath() + " yet."), out.toString());
        assertTrue(err.toString().isEmpty(), err.toString());
    }

    @Test
    void runsListPrintsArchivedRuns() throws Exception {
        Path db = dir.resolve("runs.db");
        assertEquals(0, run("runs", "list", "--db", db.toString()));
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("""
                    INSERT INTO runs (started_at_ms, ended_at_ms, scheduler, scenario, kernel, kernel_version, vcpus,
                                      memory_mib, config_json, verdict, reason, duration_ms)
                    VALUES (1700000000000, 1700000012000, 'scx_qmap', 'cpu-pingpong', 'kit', '7.2.13+deb14-cloud-amd64',
                            2, 1024, '{}', 'scheduler_failed', 'test triggering error', 12000)""");
        }
        out.getBuffer().setLength(0);
        assertEquals(0, run("runs", "list", "--db", db.toString()));
        String table = out.toString();
        assertTrue(table.contains("scx_qmap"), table);
        assertTrue(table.contains("scheduler_failed"), table);
        assertTrue(table.contains("12.0 s"), table);
    }

    @Test
    void aNewerSchemaArchiveIsRefusedWithASentenceAndLeftUntouched() throws Exception {
        Path db = dir.resolve("newer.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("PRAGMA application_id = 1179013722");
            c.createStatement().execute("CREATE TABLE runs (id INTEGER PRIMARY KEY)");
            c.createStatement().execute("PRAGMA user_version = 999");
        }
        byte[] before = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(db));
        assertEquals(2, run("runs", "list", "--db", db.toString()));
        String message = err.toString();
        assertTrue(message.startsWith("freezeframe: "), message);
        assertTrue(message.contains("newer Freezeframe"), message);
        assertFalse(message.contains("Exception"), "no stack trace for the user: " + message);
        assertArrayEquals(before, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(db)));
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertEquals(64, run("runs", "list", "--no-such-option"));
        assertTrue(err.toString().contains("Unknown option"), err.toString());
    }
}
