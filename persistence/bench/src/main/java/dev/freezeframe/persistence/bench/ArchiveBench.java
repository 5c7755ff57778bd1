package dev.freezeframe.persistence.bench;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.persistence.TimelineQueries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Run-archive benchmark (issue 7). Prints one JSON object:
 * <ul>
 *   <li>ingest: events/s through {@link EventIngest} (queue, writer thread, batched transactions, pyramid tiles,
 *       search chunks) until everything is committed; the time {@code close()} then takes for the deferred search
 *       indexing; and, as the baseline measured in the same run (once before and once after, averaged), a raw JDBC
 *       batch insert of the same events as one row each into a plain events table (the row-per-event layout the
 *       archive used before event blocks: primary key (run, seq), index on (run, lane, time)); plus their ratio;</li>
 *   <li>viewport: timeline viewport query times over the ingested run at several zoom levels.</li>
 * </ul>
 * Properties: {@code bench.events} (default 10 000 000), {@code bench.dir} (default a temp dir, deleted after),
 * {@code bench.pixels} (1600), {@code bench.queries} (40 per zoom level).
 */
public final class ArchiveBench {
    private static final int KINDS = 8;
    private static final String[] TEXTS = new String[1024];

    static {
        for (int i = 0; i < TEXTS.length; i++) {
            TEXTS[i] = switch (i % 4) {
                case 0 -> "[   12.%06d] sched_ext: BPF scheduler \"qmap\" dispatch cpu%d".formatted(i * 977, i % 8);
                case 1 -> "worker %d: iteration %d done, runnable=%d".formatted(i % 16, i * 31, i % 5);
                case 2 -> "scx_qmap: enq=%d dsp=%d delta=%d".formatted(i * 7, i * 5, i % 3);
                default -> "step %d: spawn cgroup cg%d with %d workers".formatted(i % 6, i % 4, 1 + i % 8);
            };
        }
    }

    /** A deterministic synthetic run: 50 k events/s, half numeric series, the rest console/scheduler/instants. */
    static final class Generator {
        private final SplittableRandom random = new SplittableRandom(42);
        private final double[] series = new double[KINDS];
        private long seq;
        private long at;

        RunEvent next() {
            at += 1 + random.nextInt(40_000);
            int r = random.nextInt(1000);
            long s = seq++;
            if (r < 500) {
                int k = r % KINDS;
                series[k] += random.nextDouble() * 10 - 4.9;
                return new RunEvent(s, at, Lane.STATS, "counter_" + k, "", series[k], null);
            } else if (r < 750) {
                return new RunEvent(s, at, Lane.CONSOLE, "line", TEXTS[random.nextInt(TEXTS.length)], null, null);
            } else if (r < 900) {
                return new RunEvent(s, at, Lane.SCHEDULER, "stdout", TEXTS[random.nextInt(TEXTS.length)], null, null);
            } else if (r < 960) {
                return new RunEvent(s, at, Lane.WATCHPOINTS, "hit", "total_forks", null, null);
            } else if (r < 990) {
                return new RunEvent(s, at, Lane.HARNESS, "tick", "", null, null);
            } else if (r < 998) {
                return new RunEvent(s, at, Lane.SNAPSHOTS, "capture", "periodic", null, null);
            } else {
                return new RunEvent(s, at, Lane.STEPS, "step", "step " + (s % 10), null, "{\"step\":" + (s % 10) + "}");
            }
        }

        long lastAt() {
            return at;
        }
    }

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 10_000_000L);
        int pixels = Integer.getInteger("bench.pixels", 1600);
        int queries = Integer.getInteger("bench.queries", 40);
        String dirProperty = System.getProperty("bench.dir");
        Path dir = dirProperty != null ? Files.createDirectories(Path.of(dirProperty))
                : Files.createTempDirectory("freezeframe-bench");
        RunConfig config = new RunConfig("scx_qmap", List.of("-v"), "bench", 4, 1024, "kit", 0, List.of());
        try {
            // baseline: raw JDBC batch insert of the same events, a row each
            Path baseFile = dir.resolve("baseline.db");
            deleteIfExists(baseFile);
            double baselineBefore = rawInsert(baseFile, 1, events);

            // archive ingest
            Path file = dir.resolve("archive.db");
            Files.deleteIfExists(file);
            long runId;
            double ingestSeconds;
            double finishSeconds;
            long lastAt;
            try (Archive archive = Archive.open(file)) {
                runId = archive.createRun(config, Instant.now(), Optional.of("7.2.13"));
                Generator g = new Generator();
                long t0 = System.nanoTime();
                EventIngest ingest = archive.startIngest(runId);
                for (long i = 0; i < events; i++) ingest.append(g.next());
                ingest.flush();
                long t1 = System.nanoTime();
                ingest.close(); // finishes the deferred search indexing
                ingestSeconds = (t1 - t0) / 1e9;
                finishSeconds = (System.nanoTime() - t1) / 1e9;
                lastAt = g.lastAt();
            }

            // the baseline again, into a fresh file, so a change in machine load during the run shows and averages out
            Path baseFile2 = dir.resolve("baseline2.db");
            deleteIfExists(baseFile2);
            double baselineAfter = rawInsert(baseFile2, 1, events);
            double baselineSeconds = (baselineBefore + baselineAfter) / 2;
            deleteIfExists(baseFile);
            deleteIfExists(baseFile2);

            // viewport queries, on a fresh connection as the UI would have
            StringBuilder viewportJson = new StringBuilder();
            double worstP95 = 0;
            double overallMax = 0;
            try (Archive archive = Archive.open(file)) {
                TimelineQueries timeline = archive.timeline();
                SplittableRandom random = new SplittableRandom(7);
                long[] divisors = {1, 4, 16, 64, 256, 1024, 4096, 16384};
                // warm-up (JIT, page cache): a few queries at every zoom level, not measured
                for (int w = 0; w < 10; w++) {
                    for (long divisor : divisors) {
                        long span = Math.max(1, (lastAt + 1) / divisor);
                        long from = random.nextLong(Math.max(1, lastAt + 1 - span));
                        timeline.viewport(runId, from, from + span, pixels);
                    }
                }
                for (int d = 0; d < divisors.length; d++) {
                    long span = Math.max(1, (lastAt + 1) / divisors[d]);
                    double[] ms = new double[queries];
                    int level = 0;
                    boolean pyramid = true;
                    long buckets = 0;
                    for (int q = 0; q < queries; q++) {
                        long from = divisors[d] == 1 ? 0 : random.nextLong(Math.max(1, lastAt + 1 - span));
                        long t0 = System.nanoTime();
                        TimelineQueries.Viewport v = timeline.viewport(runId, from, from + span, pixels);
                        ms[q] = (System.nanoTime() - t0) / 1e6;
                        level = v.level();
                        pyramid = v.fromPyramid();
                        buckets = v.lanes().stream().mapToLong(l -> l.counts().length).sum()
                                + v.series().stream().mapToLong(s -> s.counts().length).sum();
                    }
                    Arrays.sort(ms);
                    double p50 = ms[ms.length / 2];
                    double p95 = ms[Math.min(ms.length - 1, (int) Math.ceil(ms.length * 0.95) - 1)];
                    double max = ms[ms.length - 1];
                    worstP95 = Math.max(worstP95, p95);
                    overallMax = Math.max(overallMax, max);
                    if (d > 0) viewportJson.append(",\n");
                    viewportJson.append(String.format(Locale.ROOT,
                            "      {\"span_ns\": %d, \"level\": %d, \"from_pyramid\": %b, \"buckets_returned\": %d, "
                                    + "\"p50_ms\": %.3f, \"p95_ms\": %.3f, \"max_ms\": %.3f}",
                            span, level, pyramid, buckets, p50, p95, max));
                }
            }
            long dbBytes = Files.size(file) + sizeIfExists(dir.resolve("archive.db-wal"));
            double ingestRate = events / ingestSeconds;
            double baselineRate = events / baselineSeconds;
            System.out.println(String.format(Locale.ROOT, """
                    {
                      "benchmark": "freezeframe-run-archive",
                      "events": %d,
                      "run_span_ns": %d,
                      "cpus": %d,
                      "ingest": {
                        "archive_events_per_s": %.0f,
                        "archive_seconds": %.3f,
                        "finish_seconds_search_index": %.3f,
                        "archive_events_per_s_including_finish": %.0f,
                        "baseline_raw_jdbc_batch_events_per_s": %.0f,
                        "baseline_seconds": %.3f,
                        "baseline_seconds_before_and_after": [%.3f, %.3f],
                        "ratio_archive_to_baseline": %.3f,
                        "target_events_per_s": 500000,
                        "meets_target": %b,
                        "archive_db_bytes": %d
                      },
                      "viewport": {
                        "pixels": %d,
                        "queries_per_zoom": %d,
                        "zooms": [
                    %s
                        ],
                        "worst_p95_ms": %.3f,
                        "max_ms": %.3f,
                        "target_ms": 20,
                        "meets_target_p95": %b
                      }
                    }""", events, lastAt, Runtime.getRuntime().availableProcessors(), ingestRate, ingestSeconds,
                    finishSeconds, events / (ingestSeconds + finishSeconds), baselineRate, baselineSeconds,
                    baselineBefore, baselineAfter, ingestRate / baselineRate, ingestRate >= 500_000, dbBytes, pixels,
                    queries, viewportJson, worstP95, overallMax, worstP95 <= 20));
        } finally {
            if (dirProperty == null) deleteTree(dir);
        }
    }

    /**
     * Inserts the generator's events as one row each with one prepared statement, JDBC batches of 16 384, one
     * transaction each, in WAL mode like the archive.
     */
    private static double rawInsert(Path file, long runId, long events) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("""
                        CREATE TABLE events (
                            run_id INTEGER NOT NULL, seq INTEGER NOT NULL, at_ns INTEGER NOT NULL, lane TEXT NOT NULL,
                            kind TEXT NOT NULL, text TEXT NOT NULL, value REAL, detail_json TEXT,
                            PRIMARY KEY (run_id, seq)
                        ) WITHOUT ROWID""");
                s.execute("CREATE INDEX events_by_lane_time ON events (run_id, lane, at_ns)");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA cache_size = -32768");
                s.execute("PRAGMA wal_autocheckpoint = 4000");
            }
            c.setAutoCommit(false);
            Generator g = new Generator();
            long t0 = System.nanoTime();
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO events (run_id, seq, at_ns, lane, kind, text, value, detail_json)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (long i = 0; i < events; i++) {
                    RunEvent e = g.next();
                    insert.setLong(1, runId);
                    insert.setLong(2, e.seq());
                    insert.setLong(3, e.atNanos());
                    insert.setString(4, e.lane().wireName());
                    insert.setString(5, e.kind());
                    insert.setString(6, e.text());
                    if (e.value() == null) insert.setNull(7, Types.REAL);
                    else insert.setDouble(7, e.value());
                    insert.setString(8, e.detailJson());
                    insert.addBatch();
                    if ((i + 1) % 16_384 == 0) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                insert.executeBatch();
                c.commit();
            }
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    private static void deleteIfExists(Path db) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) Files.deleteIfExists(Path.of(db + suffix));
    }

    private static long sizeIfExists(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.toList());
            all.sort((a, b) -> b.getNameCount() - a.getNameCount());
            for (Path p : all) Files.deleteIfExists(p);
        }
    }
}
