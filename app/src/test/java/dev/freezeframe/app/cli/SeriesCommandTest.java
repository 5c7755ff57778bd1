package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.AppDirs;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code freezeframe series} over an archive holding monitor series, and the run command's monitor options. */
class SeriesCommandTest {
    @TempDir
    Path dir;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    private int cli(String... args) {
        CommandLine cli = CommandLines.create(new AppDirs(dir.resolve("data"), dir.resolve("config"),
                dir.resolve("state"), dir.resolve("cache")));
        out = new StringWriter();
        err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private long archived(Path db) {
        try (Archive archive = Archive.open(db)) {
            long run = archive.createRun(new RunConfig("scx_qmap", List.of(), "mixed", 2, 512, "kit", 0, List.of()),
                    Instant.parse("2026-12-01T10:00:00Z"), Optional.empty());
            try (EventIngest ingest = archive.startIngest(run)) {
                long seq = 0;
                for (int i = 0; i < 30; i++) {
                    long at = i * 100_000_000L;
                    ingest.append(new RunEvent(seq++, at, Lane.STATS, "monitor:cpu0/nr_running", "", (double) (i % 4),
                            null));
                    ingest.append(new RunEvent(seq++, at, Lane.STATS, "monitor:field/arena:qa.nr_enqueued", "",
                            1000.0 + i, null));
                    ingest.append(new RunEvent(seq++, at, Lane.STATS, "workload:cpu/rate", "", 5.0, null));
                }
            }
            archive.finishRun(run, Verdict.PASSED, null, Instant.parse("2026-12-01T10:00:05Z"));
            return run;
        }
    }

    @Test
    void printsEachSeriesWithItsUnitPointsAndRangeOrEveryPointAsJson() throws Exception {
        Path db = dir.resolve("a.db");
        long run = archived(db);
        assertEquals(0, cli("series", Long.toString(run), "--db", db.toString()), err.toString());
        String text = out.toString();
        assertTrue(text.contains("cpu0/nr_running") && text.contains("tasks"), text);
        assertTrue(text.matches("(?s).*field/arena:qa.nr_enqueued\\s+value\\s+30\\s+1000\\s+1029\\s+1029.*"), text);
        assertFalse(text.contains("workload:"), "only the monitor's series: " + text);

        assertEquals(0, cli("series", Long.toString(run), "--json", "--name", "field/*", "--db", db.toString()));
        JsonNode all = new ObjectMapper().readTree(out.toString());
        assertEquals(1, all.size(), out.toString());
        assertEquals("field/arena:qa.nr_enqueued", all.get(0).path("name").asText());
        assertEquals(30, all.get(0).path("points").size());
        assertEquals(100_000_000L, all.get(0).path("points").get(1).get(0).asLong());
        assertEquals(1001.0, all.get(0).path("points").get(1).get(1).asDouble());

        assertEquals(0, cli("series", Long.toString(run), "--name", "cpu?/nr_*", "--db", db.toString()));
        assertTrue(out.toString().contains("cpu0/nr_running") && !out.toString().contains("field/"), out.toString());
        assertEquals(2, cli("series", "999", "--db", db.toString()), "an unknown run, as for the other archive commands");
        assertTrue(err.toString().contains("There is no run 999"), err.toString());
    }

    @Test
    void monitorSyntaxMistakesFailBeforeAnythingBoots() {
        Path db = dir.resolve("b.db");
        assertEquals(64, cli("run", "--scheduler", "scx_qmap", "--db", db.toString(), "--monitor", "arena"));
        assertTrue(err.toString().contains("--monitor 'arena' is not MAP:FIELD_PATH"), err.toString());
        assertEquals(64, cli("run", "--scheduler", "scx_qmap", "--db", db.toString(), "--monitor-interval", "fast"));
        assertTrue(err.toString().contains("--monitor-interval 'fast' is not a duration"), err.toString());
        assertEquals(64, cli("run", "--scheduler", "scx_qmap", "--db", db.toString(), "--monitor-interval", "5ms"));
        assertTrue(err.toString().contains("at least 10ms"), err.toString());
        assertEquals(64, cli("run", "--scheduler", "scx_qmap", "--db", db.toString(), "--no-monitor", "--monitor",
                "arena:qa.nr_enqueued"));
        assertTrue(err.toString().contains("--no-monitor turns the live monitor off"), err.toString());
    }
}
