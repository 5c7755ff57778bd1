package dev.freezeframe.snapshots.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.persistence.FieldPoint;
import dev.freezeframe.persistence.SnapshotInfo;
import dev.freezeframe.snapshots.model.FieldRef;
import dev.freezeframe.snapshots.model.FlatReport;
import dev.freezeframe.snapshots.model.PlotSeries;
import dev.freezeframe.snapshots.model.ReportModel;
import dev.freezeframe.snapshots.model.ReportThreads;
import dev.freezeframe.snapshots.model.SnapshotDiff;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.TreeItem;
import javafx.stage.Stage;

/**
 * The snapshot viewer's speed targets (issue 15), each with a baseline measured in the same run, printed as one JSON
 * object with the load average at start and end (wall times on a shared machine grow with it; the CPU-time figures and
 * the ratios much less): open a snapshot with a 10 000-entry map to first paint (report text → rows → a rendered frame of the tree with
 * the map expanded; baseline: parsing the JSON alone), diff two 100 000-entry snapshots (rows of both already parsed;
 * baseline: comparing the same number of leaf strings in two hash maps), plot a field over 300 snapshots from the
 * archive's field index (plain and per-CPU Σ; baseline: the one index query alone). Medians of repeated runs.
 */
public final class SnapshotViewerBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Platform.startup(() -> { });
        Platform.setImplicitExit(false); // each first-paint run closes its window; the toolkit must stay up
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("bench", "snapshot-viewer");
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("load_average_at_start", loadAverage());
        // "diff": only the diff figures; "text": only the diff from text (quick smoke runs)
        String only = System.getProperty("bench.only", "");
        if (only.isEmpty()) open10k(out);
        diff100k(out);
        if (only.isEmpty()) plot300(out);
        out.put("load_average_at_end", loadAverage());
        System.out.println(JSON.writeValueAsString(out)); // one line of JSON
        Platform.exit();
    }

    private static void open10k(Map<String, Object> out) {
        String report10k = report(10_000, 1);
        String report0 = report(0, 1);
        double[] parse = timed(9, () -> { try { JSON.readTree(report10k); } catch (Exception e) { throw new RuntimeException(e); } });
        double[] rows = timed(9, () -> SnapshotReports.parse(report10k).model().sections().size());
        // the big and the empty-map report alternate, so both meet the same load
        double[][] paints = timedPair(9, () -> firstPaint(report10k), () -> firstPaint(report0));
        double[] paint = paints[0];
        double[] frame = paints[1]; // the same window and tree with an empty map
        out.put("open_10k_first_paint_ms", round(paint[0]));
        out.put("open_10k_parse_and_top_rows_ms", round(rows[0]));
        out.put("open_10k_frame_of_an_empty_map_ms", round(frame[0]));
        out.put("open_10k_baseline_json_parse_ms", round(parse[0]));
        out.put("open_10k_ratio_vs_parse", round(paint[0] / parse[0]));
        out.put("open_10k_ratio_vs_empty_map", round(paint[0] / frame[0]));
        out.put("open_10k_first_paint_cpu_ms", round(paint[1]));
        out.put("open_10k_frame_of_an_empty_map_cpu_ms", round(frame[1]));
        out.put("open_10k_first_paint_fx_thread_cpu_ms", round(paint[2]));
        out.put("open_10k_frame_of_an_empty_map_fx_thread_cpu_ms", round(frame[2]));
        out.put("open_10k_parse_and_top_rows_cpu_ms", round(rows[1]));
        out.put("open_10k_baseline_json_parse_cpu_ms", round(parse[1]));
        out.put("open_10k_target_ms", 100);
        System.err.println("progress: " + out); // partial figures survive a run cut short
    }

    private static void diff100k(Map<String, Object> out) throws Exception {
        if (System.getProperty("bench.only", "").equals("text")) {
            diffFromText(out);
            return;
        }
        ReportModel ma = ReportModel.of(JSON.readTree(report(100_000, 1)));
        ReportModel mb = ReportModel.of(JSON.readTree(report(100_000, 2)));
        FlatReport a = FlatReport.of(ma); // makes every row of both, so "diff only" times the walk alone
        FlatReport b = FlatReport.of(mb);
        double diff = median(5, () -> SnapshotDiff.between(ma, ReportModel.of(parsedB)));
        double diffOnly = median(5, () -> SnapshotDiff.between(ma, mb));
        Map<String, String> ha = leaves(a);
        Map<String, String> hb = leaves(b);
        double base = median(5, () -> {
            int n = 0;
            for (Map.Entry<String, String> e : hb.entrySet()) if (!e.getValue().equals(ha.get(e.getKey()))) n++;
            for (String k : ha.keySet()) if (!hb.containsKey(k)) n++;
            if (n < 0) throw new IllegalStateException();
        });
        out.put("diff_100k_rows_plus_diff_ms", round(diff));
        out.put("diff_100k_diff_only_ms", round(diffOnly));
        out.put("diff_100k_baseline_hashmap_compare_ms", round(base));
        out.put("diff_100k_ratio_vs_baseline", round(diffOnly / base));
        out.put("diff_100k_leaves", b.leafCount());
        out.put("diff_100k_changes", SnapshotDiff.between(ma, mb).changeCount());
        out.put("diff_100k_target_ms", 200);
        diffFromText(out);
        System.err.println("progress: " + out);
    }

    /**
     * The diff of two snapshots never opened before, from their report text (as the archive gives it) to the first
     * screen of the diff with changed only on: both texts read at once (entries indexed; the viewer loads both so),
     * the diff, and on the FX thread the
     * tree shown with the changed maps open (as the Compare tab opens them) and laid out with its visible cells. A
     * rendered frame on top is reported apart ({@code _first_frame_}): on the software renderer that costs the same for
     * any tree. Baseline in the same run: Jackson parsing both texts whole (what any reading of both costs at least);
     * with {@code -Dbench.typed=true} also the typed walk over two whole parses (the diff before entries were compared
     * as text).
     */
    private static void diffFromText(Map<String, Object> out) {
        String textA = report(100_000, 1);
        String textB = report(100_000, 2);
        int runs = 7;
        // wall: read both, diff, first screen, frame; then the working thread's own CPU time of the first three
        double[][] splits = new double[8][runs]; // and the collectors' time
        int[] at = {-1};
        SnapshotDiff[] last = new SnapshotDiff[1];
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Runnable once = () -> {
            int r = Math.max(at[0], 0);
            long gc0 = gcMillis();
            long t0 = System.nanoTime();
            // both read at once, on the report threads as the viewer's loads are
            CompletableFuture<Object[]> ra = CompletableFuture.supplyAsync(() -> readTimed(textA), ReportThreads.pool());
            CompletableFuture<Object[]> rb = CompletableFuture.supplyAsync(() -> readTimed(textB), ReportThreads.pool());
            SnapshotReports.Loaded a = (SnapshotReports.Loaded) ra.join()[0];
            SnapshotReports.Loaded b = (SnapshotReports.Loaded) rb.join()[0];
            long t1 = System.nanoTime();
            double readCpu = (double) ra.join()[1] + (double) rb.join()[1];
            long r1 = reportThreadsCpu(); // read outside the diff's wall time (a few ThreadMXBean calls)
            long c1 = threads.getCurrentThreadCpuTime();
            long d1 = System.nanoTime();
            SnapshotDiff d = SnapshotDiff.between(a.model(), b.model());
            long t2 = System.nanoTime();
            long c2 = threads.getCurrentThreadCpuTime() + reportThreadsCpu() - r1;
            double[] fx = firstScreen(b, d);
            splits[7][r] = gcMillis() - gc0;
            splits[0][r] = (t1 - t0) / 1e6;
            splits[1][r] = (t2 - d1) / 1e6;
            splits[2][r] = fx[0];
            splits[3][r] = fx[1];
            splits[4][r] = readCpu;
            splits[5][r] = (c2 - c1) / 1e6;
            splits[6][r] = fx[2];
            last[0] = d;
        };
        double[] total = timed(runs, () -> {
            at[0]++;
            once.run();
        }, () -> at[0] = -1);
        double[] treeParse = timed(3, () -> {
            try {
                JSON.readTree(textA);
                JSON.readTree(textB);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        double read = medianOf(splits[0]);
        double diff = medianOf(splits[1]);
        double screen = medianOf(splits[2]);
        double frame = medianOf(splits[3]);
        out.put("diff_100k_from_text_ms", round(total[0] - frame)); // text -> first screen laid out, no render
        out.put("diff_100k_from_text_cpu_ms", round(total[1]));
        out.put("diff_100k_from_text_read_both_ms", round(read));
        out.put("diff_100k_from_text_diff_ms", round(diff));
        out.put("diff_100k_from_text_first_screen_ms", round(screen));
        out.put("diff_100k_from_text_first_frame_ms", round(total[0]));
        out.put("diff_100k_from_text_render_ms", round(frame));
        // CPU time of the thread doing each step (GC and other processes' time left out): the figures to compare under load
        double threadCpu = medianOf(splits[4]) + medianOf(splits[5]) + medianOf(splits[6]);
        out.put("diff_100k_from_text_thread_cpu_ms", round(threadCpu));
        out.put("diff_100k_from_text_read_both_thread_cpu_ms", round(medianOf(splits[4])));
        out.put("diff_100k_from_text_diff_thread_cpu_ms", round(medianOf(splits[5])));
        out.put("diff_100k_from_text_first_screen_fx_thread_cpu_ms", round(medianOf(splits[6])));
        out.put("diff_100k_from_text_gc_ms", round(medianOf(splits[7])));
        out.put("diff_100k_from_text_entries_equal_as_text", last[0].entriesEqualAsText());
        out.put("diff_100k_from_text_entries_parsed", last[0].entriesParsed());
        out.put("diff_100k_from_text_changes", last[0].changeCount());
        out.put("diff_100k_from_text_baseline_json_parse_of_both_ms", round(treeParse[0]));
        out.put("diff_100k_from_text_baseline_json_parse_of_both_cpu_ms", round(treeParse[1]));
        out.put("diff_100k_from_text_ratio_vs_json_parse", round((total[0] - frame) / treeParse[0]));
        if (Boolean.getBoolean("bench.typed")) {
            double[] typed = timed(1, () -> {
                try {
                    SnapshotDiff.between(ReportModel.of(JSON.readTree(textA)), ReportModel.of(JSON.readTree(textB)));
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            out.put("diff_100k_from_text_baseline_typed_walk_ms", round(typed[0]));
            out.put("diff_100k_from_text_baseline_typed_walk_cpu_ms", round(typed[1]));
        }
        out.put("diff_100k_from_text_target_ms", 200);
    }

    private static Stage diffStage;
    private static FieldTreeTable diffTree;

    /**
     * On the FX thread: {@code shown} against its diff with changed only on, the changed maps opened, CSS and layout
     * (the visible rows' cells made); then one rendered frame. Returns both wall times and the FX thread's CPU time of
     * the first, in ms.
     */
    private static double[] firstScreen(SnapshotReports.Loaded shown, SnapshotDiff d) {
        CompletableFuture<double[]> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                if (diffStage == null) {
                    diffTree = new FieldTreeTable();
                    diffTree.setChangedOnly(true);
                    diffStage = new Stage();
                    diffStage.setScene(new Scene(diffTree, 1200, 800));
                    diffStage.show();
                }
                var threads = java.lang.management.ManagementFactory.getThreadMXBean();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                diffTree.show(shown.model(), d, shown.cpus());
                for (TreeItem<dev.freezeframe.snapshots.model.FieldNode> section : diffTree.getRoot().getChildren()) {
                    if (!section.isExpanded()) continue;
                    for (TreeItem<dev.freezeframe.snapshots.model.FieldNode> map : section.getChildren()) {
                        var n = map.getValue();
                        if (n != null && n.role() == dev.freezeframe.snapshots.model.FieldNode.Role.MAP
                                && d.changesUnder(n.path()) > 0) {
                            map.setExpanded(true);
                        }
                    }
                }
                diffTree.applyCss();
                diffTree.layout();
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                diffTree.getScene().snapshot(null);
                long t2 = System.nanoTime();
                done.complete(new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (c1 - c0) / 1e6});
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done.join();
    }

    /** CPU time of the report threads so far (ns): a diff parses its base side's entries there. */
    private static long reportThreadsCpu() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info != null && info.getThreadName().startsWith("report-reader-")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /** A report read into its top rows, with the reading thread's CPU time in ms. */
    private static Object[] readTimed(String text) {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = threads.getCurrentThreadCpuTime();
        SnapshotReports.Loaded loaded = SnapshotReports.parse(text);
        return new Object[] {loaded, (threads.getCurrentThreadCpuTime() - c0) / 1e6};
    }

    /** The collectors' accumulated time (pauses and concurrent work as the JVM counts them), ms. */
    private static long gcMillis() {
        long sum = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    private static double medianOf(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static void plot300(Map<String, Object> out) throws Exception {
        Path dir = Files.createTempDirectory("ff-svbench");
        try (Archive archive = Archive.open(dir.resolve("archive.db"))) {
            long run = plotRun(archive, 300);
            List<SnapshotInfo> snaps = archive.runs().snapshots(run);
            FieldRef plain = FieldRef.plain("scx_qmap.bss", "nr_enqueued");
            FieldRef perCpu = new FieldRef("stats", "[0]", "", 2);
            double q = median(11, () -> archive.runs().fieldSeries(run, plain.map(), plain.path()));
            double p1 = median(11, () -> plot(archive, run, plain, snaps));
            double p2 = median(11, () -> plot(archive, run, perCpu, snaps));
            out.put("plot_300_plain_ms", round(p1));
            out.put("plot_300_percpu_sum_ms", round(p2));
            out.put("plot_300_baseline_one_query_ms", round(q));
            out.put("plot_300_ratio_vs_query", round(p2 / q));
            out.put("plot_300_points", plot(archive, run, plain, snaps).size());
            out.put("plot_300_target_ms", 100);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode parsedB;

    static {
        try {
            parsedB = JSON.readTree(report(100_000, 2));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static List<dev.freezeframe.timeline.SeriesPoint> plot(Archive archive, long run, FieldRef f,
                                                                   List<SnapshotInfo> snaps) {
        List<List<FieldPoint>> per = new ArrayList<>();
        for (String p : f.paths()) per.add(archive.runs().fieldSeries(run, f.map(), p));
        return PlotSeries.combine(per, PlotSeries.Combine.SUM, snaps);
    }

    private static long plotRun(Archive archive, int snapshots) {
        RunConfig config = new RunConfig("scx_qmap", List.of(), "cpu-pingpong", 2, 1024, "kit", 10, List.of());
        long id = archive.createRun(config, Instant.parse("2026-12-07T09:00:00Z"), Optional.of("7.3.4"));
        try (EventIngest ingest = archive.startIngest(id)) {
            for (int i = 0; i < snapshots; i++) {
                ingest.append(new SnapshotRecord(String.format("periodic_%03d", i), SnapshotKind.PERIODIC,
                        (i + 1) * 100_000_000L, Optional.of(0), false, Optional.empty(), report(50, i)));
            }
            ingest.flush();
        }
        return id;
    }

    private static Stage stage;
    private static FieldTreeTable tree;
    private static volatile double fxCpuMs = Double.NaN; // the FX thread's CPU time in the last first paint

    /**
     * Report text → rows → one rendered frame of the tree with the big map expanded, on the FX thread, in a window
     * that is already open (as the run tab's is: making a window is not part of opening a snapshot).
     */
    private static void firstPaint(String report) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                if (stage == null) {
                    tree = new FieldTreeTable();
                    stage = new Stage();
                    stage.setScene(new Scene(tree, 1200, 800));
                    stage.show();
                }
                long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                SnapshotReports.Loaded loaded = SnapshotReports.parse(report);
                tree.show(loaded.model(), null, loaded.cpus());
                for (TreeItem<?> section : tree.getRoot().getChildren()) {
                    for (TreeItem<?> map : section.getChildren()) map.setExpanded(true);
                }
                tree.getScene().snapshot(null); // CSS, layout and a rendered frame
                fxCpuMs = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0) / 1e6;
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        done.join();
    }

    private static Map<String, String> leaves(FlatReport f) {
        Map<String, String> m = new HashMap<>();
        f.all().forEach((k, v) -> {
            if (v.value() != null) m.put(k, v.value().exact());
        });
        return m;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /**
     * Per run: the median wall time, the mean CPU time of the process (every thread: the FX thread, the software
     * renderer, GC; a mean because the clock ticks in 10 ms) and the mean FX-thread CPU time of a first paint (NaN for
     * other work). CPU time barely grows when other processes share the cores, so it is the figure to compare under
     * load.
     */
    private static double[] timed(int runs, Runnable r) {
        return timedPair(runs, r, null, () -> { })[0];
    }

    /** As {@link #timed}, with {@code afterWarmUp} run between the warm-up runs and the measured ones. */
    private static double[] timed(int runs, Runnable r, Runnable afterWarmUp) {
        return timedPair(runs, r, null, afterWarmUp)[0];
    }

    /** As {@link #timed}, for two operations run alternately; {@code b} may be null. */
    private static double[][] timedPair(int runs, Runnable a, Runnable b) {
        return timedPair(runs, a, b, () -> { });
    }

    private static double[][] timedPair(int runs, Runnable a, Runnable b, Runnable afterWarmUp) {
        Runnable[] ops = b == null ? new Runnable[] {a} : new Runnable[] {a, b};
        for (int i = 0; i < 2; i++) for (Runnable r : ops) r.run();
        afterWarmUp.run();
        double[][] wall = new double[ops.length][runs];
        double[] cpu = new double[ops.length];
        double[] fx = new double[ops.length];
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < ops.length; k++) {
                fxCpuMs = Double.NaN;
                long c0 = OS.getProcessCpuTime();
                long t0 = System.nanoTime();
                ops[k].run();
                wall[k][i] = (System.nanoTime() - t0) / 1e6;
                cpu[k] += (OS.getProcessCpuTime() - c0) / 1e6 / runs;
                fx[k] += fxCpuMs / runs;
            }
        }
        double[][] out = new double[ops.length][];
        for (int k = 0; k < ops.length; k++) {
            Arrays.sort(wall[k]);
            out[k] = new double[] {wall[k][runs / 2], cpu[k], fx[k]};
        }
        return out;
    }

    /** The 1-minute load average (how busy the machine was), or -1 where /proc is not there. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return -1;
        }
    }

    private static double median(int runs, Runnable r) {
        for (int i = 0; i < 2; i++) r.run();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String int64(long v) {
        return "{\"kind\":\"int\",\"type\":\"u64\",\"signed\":false,\"bits\":64,\"value\":" + v + "}";
    }

    /**
     * A report with a .bss global, a per-CPU map over 2 CPUs and a hash of {@code entries} struct entries (a tenth
     * of them differ between seeds; every entry's valueAddress does).
     */
    static String report(int entries, long seed) {
        StringBuilder hash = new StringBuilder(entries * 260);
        for (int k = 0; k < entries; k++) {
            if (k > 0) hash.append(',');
            long v = (k % 10 == 0) ? k * 10 + seed : k * 10; // a tenth of the entries change between seeds
            // each element at another address in each snapshot, as across runs: the diff must not care
            hash.append("{\"key\":").append(int64(k)).append(",\"valueAddress\":\"0xffff8880").append(seed)
                    .append(Long.toHexString(k * 64L)).append("\",\"value\":{\"kind\":\"struct\",\"type\":\"struct task_ctx\","
                    + "\"size\":16,\"fields\":[{\"name\":\"seq\",\"offset\":0,\"value\":").append(int64(v))
                    .append("},{\"name\":\"weight\",\"offset\":8,\"value\":").append(int64(100)).append("}]}}");
        }
        return """
                {"schema":"freezeframe-snapshot/1","sched_ext":{"attached":true,"opsName":"qmap","exitKindName":"SCX_EXIT_NONE","exitInfo":null},
                 "maps":[
                  {"id":1,"name":"scx_qmap.bss","type":"BPF_MAP_TYPE_ARRAY","valueType":"datasec .bss","entries":[{"key":%s,
                    "value":{"kind":"struct","type":"datasec .bss","size":8,"fields":[{"name":"nr_enqueued","offset":0,"value":%s}]}}],
                    "truncated":false,"summary":null,"unavailable":null},
                  {"id":2,"name":"stats","type":"BPF_MAP_TYPE_PERCPU_ARRAY","valueType":"u64","entries":[{"key":%s,"perCpu":[%s,%s]}],
                   "truncated":false,"summary":null,"unavailable":null},
                  {"id":3,"name":"task_ctx","type":"BPF_MAP_TYPE_HASH","valueType":"struct task_ctx","entries":[%s],
                   "truncated":false,"summary":null,"unavailable":null}],"unavailable":{}}"""
                .formatted(int64(0), int64(seed * 100), int64(0), int64(seed), int64(2 * seed), hash);
    }
}
