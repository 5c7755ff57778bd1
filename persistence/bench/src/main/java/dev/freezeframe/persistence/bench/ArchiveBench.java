package dev.freezeframe.persistence.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.persistence.RunQueries;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.persistence.TimelineQueries;
import java.io.IOException;
import java.lang.reflect.Method;
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
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Run-archive benchmark (issue 7). Prints one JSON object:
 * <ul>
 *   <li>ingest: events/s through {@link EventIngest} (queue, writer thread, batched transactions, pyramid tiles,
 *       search chunks) until everything is committed; the time {@code close()} then takes for the deferred search
 *       indexing; and, as the baseline measured in the same run (once before and once after, averaged), a raw JDBC
 *       batch insert of the same events as one row each into a plain events table (the row-per-event layout the
 *       archive used before event blocks: primary key (run, seq), index on (run, lane, time)); plus their ratio;</li>
 *   <li>viewport: timeline viewport query times over the ingested run at several zoom levels;</li>
 *   <li>field_series: {@link dev.freezeframe.persistence.RunQueries#fieldSeries} over a run of synthetic snapshots
 *       (reports of ~340 KB with ~2 150 numeric fields, mostly in a hash map of 400 tasks), answered from the field
 *       index, against the way it worked before the index, measured in the same run: inflate and parse every report;
 *       and the time a snapshot takes to store, index included ({@link FieldSeriesSection}).</li>
 * </ul>
 * Properties: {@code bench.events} (default 10 000 000), {@code bench.dir} (default a temp dir, deleted after),
 * {@code bench.pixels} (1600), {@code bench.queries} (40 per zoom level), {@code bench.snapshots} (300).
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
        int snapshots = Integer.getInteger("bench.snapshots", 300);
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
            String fieldSeriesJson = FieldSeriesSection.run(file, config, snapshots);
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
                      },
                      "field_series": %s
                    }""", events, lastAt, Runtime.getRuntime().availableProcessors(), ingestRate, ingestSeconds,
                    finishSeconds, events / (ingestSeconds + finishSeconds), baselineRate, baselineSeconds,
                    baselineBefore, baselineAfter, ingestRate / baselineRate, ingestRate >= 500_000, dbBytes, pixels,
                    queries, viewportJson, worstP95, overallMax, worstP95 <= 20, fieldSeriesJson));
        } finally {
            if (dirProperty == null) deleteTree(dir);
        }
    }

    /**
     * The field-series section: writes a run of synthetic snapshots (a placeholder every 50th) through
     * {@link EventIngest}, then times {@code fieldSeries} of one field of the big hash map, and as the baseline the same
     * series computed the way it was before the field index: for each snapshot, read and inflate its report
     * ({@code snapshotReport}), parse it and flatten it with {@code ReportFields.of} (package-private, so reached by
     * reflection). Both are the median of several calls on a fresh connection, after one warm-up call each.
     */
    static final class FieldSeriesSection {
        private static final int TASKS = 400;
        private static final int CPUS = 8;
        private static final int COUNTERS = 40;
        private static final int CPU_LOAD = 64;
        private static final String MAP = "task_ctx";
        private static final String FIELD = "[" + pid(TASKS / 2) + "].nr_runs";

        private FieldSeriesSection() {
        }

        static String run(Path file, RunConfig config, int snapshots) throws Exception {
            List<SnapshotRecord> records = new ArrayList<>(snapshots);
            long reportBytes = 0;
            for (int i = 0; i < snapshots; i++) {
                long at = 100_000_000L * (i + 1);
                String tag = "periodic_%03d".formatted(i % 1000);
                if (i % 50 == 49) {
                    records.add(SnapshotRecord.placeholder(tag, SnapshotKind.PERIODIC, at, Optional.empty(),
                            "rendezvous timed out"));
                    continue;
                }
                String report = report(i);
                reportBytes += report.length();
                records.add(new SnapshotRecord(tag, SnapshotKind.PERIODIC, at, Optional.empty(), false,
                        Optional.empty(), report));
            }
            long runId;
            double writeSeconds;
            try (Archive archive = Archive.open(file)) {
                runId = archive.createRun(config, Instant.now(), Optional.of("7.2.13"));
                long t0 = System.nanoTime();
                try (EventIngest ingest = archive.startIngest(runId)) {
                    records.forEach(ingest::append);
                    ingest.flush();
                }
                writeSeconds = (System.nanoTime() - t0) / 1e9;
            }
            records.clear();
            int stored = snapshots - snapshots / 50;
            Method flatten = Class.forName("dev.freezeframe.persistence.ReportFields")
                    .getDeclaredMethod("of", JsonNode.class);
            flatten.setAccessible(true);
            ObjectMapper json = new ObjectMapper();
            try (Archive archive = Archive.open(file)) {
                RunQueries runs = archive.runs();
                int fields = runs.snapshotFields(runs.snapshots(runId).getFirst().id()).values().stream()
                        .mapToInt(Map::size).sum();
                List<FieldPoint> indexed = runs.fieldSeries(runId, MAP, FIELD);
                List<FieldPoint> fromReports = fromReports(runs, runId, json, flatten);
                if (!indexed.equals(fromReports) || indexed.size() != stored
                        || indexed.stream().anyMatch(p -> p.value().isEmpty())) {
                    throw new IllegalStateException("the two ways disagree on the series of " + MAP + " " + FIELD);
                }
                double[] indexMs = new double[21];
                for (int i = 0; i < indexMs.length; i++) {
                    long t0 = System.nanoTime();
                    runs.fieldSeries(runId, MAP, FIELD);
                    indexMs[i] = (System.nanoTime() - t0) / 1e6;
                }
                double[] baselineMs = new double[5];
                for (int i = 0; i < baselineMs.length; i++) {
                    long t0 = System.nanoTime();
                    fromReports(runs, runId, json, flatten);
                    baselineMs[i] = (System.nanoTime() - t0) / 1e6;
                }
                double index = median(indexMs);
                double baseline = median(baselineMs);
                return String.format(Locale.ROOT, """
                        {
                            "snapshots": %d,
                            "placeholders": %d,
                            "fields_per_snapshot": %d,
                            "report_bytes_avg": %d,
                            "write_ms_per_snapshot_with_index": %.3f,
                            "field": "%s %s",
                            "field_series_ms_median": %.3f,
                            "field_series_calls": %d,
                            "baseline_inflate_and_parse_reports_ms_median": %.3f,
                            "baseline_calls": %d,
                            "speedup_baseline_to_field_series": %.1f
                          }""", snapshots, snapshots - stored, fields, reportBytes / Math.max(1, stored),
                        writeSeconds * 1e3 / Math.max(1, snapshots), MAP, FIELD, index, indexMs.length, baseline,
                        baselineMs.length, baseline / index);
            }
        }

        /** The series as fieldSeries computed it before the field index: every report inflated and parsed. */
        @SuppressWarnings("unchecked")
        private static List<FieldPoint> fromReports(RunQueries runs, long runId, ObjectMapper json, Method flatten)
                throws Exception {
            List<FieldPoint> points = new ArrayList<>();
            for (SnapshotInfo s : runs.snapshots(runId)) {
                if (s.placeholder()) continue;
                var fields = (Map<String, Map<String, Double>>) flatten.invoke(null,
                        json.readTree(runs.snapshotReport(s.id())));
                Double v = fields.getOrDefault(MAP, Map.of()).get(FIELD);
                points.add(new FieldPoint(s.id(), s.tag(), s.atNanos(),
                        v == null ? OptionalDouble.empty() : OptionalDouble.of(v)));
            }
            return points;
        }

        private static double median(double[] ms) {
            Arrays.sort(ms);
            return ms[ms.length / 2];
        }

        private static int pid(int task) {
            return 1000 + 7 * task;
        }

        /**
         * A report in Freezeframe's own rendering (IntrospectionJson / ValueJson): a .bss datasec of counters and a
         * per-CPU load array, a hash map of per-task structs (with a comm that is text, not a number), and a per-CPU
         * array of per-CPU structs.
         */
        static String report(int i) {
            StringBuilder b = new StringBuilder(400_000);
            b.append("{\"maps\":[{\"name\":\"scx_qmap.bss\",\"type\":\"array\",\"keyType\":\"u32\",")
                    .append("\"valueType\":\"datasec .bss\",\"entries\":[{\"key\":");
            integer(b, "u32", 0);
            b.append(",\"value\":{\"kind\":\"struct\",\"type\":\"datasec .bss\",\"size\":1024,\"truncated\":false,")
                    .append("\"fields\":[");
            for (int k = 0; k < COUNTERS; k++) {
                field(b, k > 0, "nr_counter_" + k, 8 * k);
                integer(b, "u64", (long) i * (k + 1) * 37);
                b.append('}');
            }
            field(b, true, "cpu_load", 8 * COUNTERS);
            b.append("{\"kind\":\"array\",\"type\":\"u32[64]\",\"length\":64,\"truncated\":false,\"elements\":[");
            for (int c = 0; c < CPU_LOAD; c++) {
                if (c > 0) b.append(',');
                integer(b, "u32", (i * 13L + c * 7L) % 1024);
            }
            b.append("]}}]}}]},");

            b.append("{\"name\":\"" + MAP + "\",\"type\":\"hash\",\"keyType\":\"s32\",\"valueType\":\"struct task_ctx\",")
                    .append("\"entries\":[");
            String[] names = {"weight", "slice_ns", "dsq_id", "nr_runs", "last_cpu"};
            for (int t = 0; t < TASKS; t++) {
                if (t > 0) b.append(',');
                b.append("{\"key\":");
                integer(b, "s32", pid(t));
                b.append(",\"value\":{\"kind\":\"struct\",\"type\":\"struct task_ctx\",\"size\":48,\"truncated\":false,")
                        .append("\"fields\":[");
                for (int f = 0; f < names.length; f++) {
                    field(b, f > 0, names[f], 8 * f);
                    integer(b, "u64", (long) (t + 1) * (f + 1) + (long) i * (f + t % 3));
                    b.append('}');
                }
                field(b, true, "comm", 40);
                b.append("{\"kind\":\"text\",\"type\":\"char[16]\",\"length\":16,\"text\":\"worker-").append(t)
                        .append("\",\"terminated\":true,\"truncated\":false}}]}}");
            }
            b.append("]},");

            b.append("{\"name\":\"cpu_ctx\",\"type\":\"percpu_array\",\"keyType\":\"u32\",")
                    .append("\"valueType\":\"struct cpu_ctx\",\"entries\":[{\"key\":");
            integer(b, "u32", 0);
            b.append(",\"perCpu\":[");
            for (int c = 0; c < CPUS; c++) {
                if (c > 0) b.append(',');
                b.append("{\"kind\":\"struct\",\"type\":\"struct cpu_ctx\",\"size\":48,\"truncated\":false,\"fields\":[");
                for (int f = 0; f < 6; f++) {
                    field(b, f > 0, "stat_" + f, 8 * f);
                    integer(b, "u64", (long) i * (c + 1) + f);
                    b.append('}');
                }
                b.append("]}");
            }
            return b.append("]}]}]}").toString();
        }

        /** Opens a struct member up to its value; the caller writes the value and closes it with '}'. */
        private static void field(StringBuilder b, boolean comma, String name, int offset) {
            if (comma) b.append(',');
            b.append("{\"name\":\"").append(name).append("\",\"offset\":").append(offset).append(",\"value\":");
        }

        private static void integer(StringBuilder b, String type, long value) {
            b.append("{\"kind\":\"int\",\"type\":\"").append(type).append("\",\"signed\":")
                    .append(type.startsWith("s")).append(",\"bits\":").append(type.substring(1)).append(",\"value\":")
                    .append(value).append('}');
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
