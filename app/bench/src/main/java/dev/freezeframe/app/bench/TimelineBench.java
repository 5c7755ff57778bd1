package dev.freezeframe.app.bench;

import dev.freezeframe.app.ui.timeline.ArchiveTimelineSource;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.timeline.RenderStats;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimeWindow;
import dev.freezeframe.timeline.TimelineView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.stage.Stage;

/**
 * Timeline benchmark (design check B1): a 10 M-event synthetic run (generated once into {@code bench.dir}, reused
 * after), opened in a {@link TimelineView} over {@link ArchiveTimelineSource} on the headless glass with the SW
 * pipeline. Prints one JSON object: open → first frame, pan/zoom frame times (the FX thread's aggregation + paint of
 * each data-layer frame), the time for a window change to settle (all its tiles fetched and drawn), the hover handler
 * (tooltip text + overlay repaint), against the raw viewport query over the same archive measured in the same run.
 * Rasterising the canvases happens on the render thread and is not in the frame times.
 *
 * <p>Properties: {@code bench.events} (10 000 000), {@code bench.steps} (pan/zoom steps, 240), {@code bench.dir}.
 */
public final class TimelineBench {
    private static final int LANES_PX = 1600;

    private TimelineBench() {
    }

    public static void main(String[] args) throws Exception {
        long events = Long.getLong("bench.events", 10_000_000L);
        int steps = Integer.getInteger("bench.steps", 240);
        Path dir = Files.createDirectories(Path.of(System.getProperty("bench.dir", "app/target/bench")));
        Path db = dir.resolve("timeline-" + events + ".db");
        double generatedSeconds = Files.exists(db) ? 0 : generate(db, events);
        long runId;
        long end;
        long stored;
        try (Archive a = Archive.open(db)) {
            runId = a.listRuns().getFirst().id();
            var detail = a.runs().detail(runId).orElseThrow();
            end = detail.lastEventNs().orElseThrow();
            stored = detail.eventCount();
        }
        double[] baseline = baselineQueries(db, runId, end);

        double sourceOpenMs;
        try (ArchiveTimelineSource probe = new ArchiveTimelineSource(db, runId)) {
            long ps = System.nanoTime();
            probe.refresh();
            probe.items();
            sourceOpenMs = (System.nanoTime() - ps) / 1e6;
        }
        CountDownLatch started = new CountDownLatch(1);
        Platform.startup(started::countDown);
        started.await();
        Platform.setImplicitExit(false);
        fx(() -> {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            return null;
        });

        ArchiveTimelineSource source = new ArchiveTimelineSource(db, runId);
        List<Long> frameNanos = new ArrayList<>();
        List<Long> frameCpuNanos = new ArrayList<>();
        AtomicLong firstFrame = new AtomicLong();
        AtomicLong firstComplete = new AtomicLong();
        CompletableFuture<Void> opened = new CompletableFuture<>();
        Holder h = new Holder();
        long t0 = System.nanoTime();
        fx(() -> {
            h.context = new RunContext(new TimeWindow(0, 1_000_000_000L));
            h.view = new TimelineView(h.context, source);
            h.context.runEndProperty().addListener((o, a, b) -> h.extentKnown = true);
            h.view.renderStatsProperty().addListener((o, a, s) -> {
                if (s.frames() > a.frames()) {
                    frameNanos.add(s.lastFrameNanos());
                    frameCpuNanos.add(s.lastFrameCpuNanos());
                }
                if (!h.extentKnown || s.frames() == 0) return;
                if (firstFrame.get() == 0) firstFrame.set(System.nanoTime() - t0);
                if (s.pendingTiles() == 0 && firstComplete.get() == 0) {
                    firstComplete.set(System.nanoTime() - t0);
                    opened.complete(null);
                }
            });
            h.stage = new Stage();
            h.stage.setScene(new Scene(h.view, LANES_PX + 168, 900));
            h.stage.show();
            return null;
        });
        opened.get(60, TimeUnit.SECONDS);
        double[] openFrameMs = frameNanos.stream().mapToDouble(n -> n / 1e6).toArray();

        // pan/zoom: a mix of ×2 zooms at random x, ¼-window pans, 40-px drags and jumps to a random place and zoom
        SplittableRandom random = new SplittableRandom(5);
        int warmup = Integer.getInteger("bench.warmup", 40);
        double[] settleAll = new double[warmup + steps];
        int measuredFrom = -1;
        for (int i = 0; i < warmup + steps; i++) {
            if (i == warmup) measuredFrom = frameNanos.size();
            int op = random.nextInt(10);
            double x = random.nextDouble();
            boolean jump = op == 9;
            long jumpSpan = (long) Math.max(TimeWindow.MIN_SPAN_NS * 10, end / Math.pow(2, random.nextInt(28)));
            long jumpFrom = random.nextLong(Math.max(1, end - jumpSpan));
            long ts = System.nanoTime();
            long generation = fx(() -> {
                TimeWindow w = h.context.window();
                long anchor = w.fromNs() + Math.round(x * w.spanNs());
                TimeWindow next = switch (op) {
                    case 0, 1, 2 -> w.zoomedAround(anchor, 0.5);
                    case 3, 4 -> w.zoomedAround(anchor, w.spanNs() * 2 > end ? 1 : 2);
                    case 5, 6 -> w.startingAt(w.fromNs() + (x < 0.5 ? -1 : 1) * w.spanNs() / 4);
                    case 7, 8 -> w.startingAt(w.fromNs() + Math.round((x < 0.5 ? -40 : 40) * w.spanNs() / LANES_PX));
                    default -> new TimeWindow(jumpFrom, jumpFrom + jumpSpan);
                };
                if (next.fromNs() < 0) next = next.startingAt(0);
                if (next.toNs() > end) next = next.startingAt(Math.max(0, end - next.spanNs()));
                if (next.equals(w)) return -1L;
                h.context.setWindow(next);
                return h.view.renderStats().appliedGeneration();
            });
            if (generation < 0) {
                i--;
                continue;
            }
            waitFor(() -> fx(() -> {
                RenderStats s = h.view.renderStats();
                return s.appliedGeneration() > generation && s.pendingTiles() == 0;
            }));
            settleAll[i] = (System.nanoTime() - ts) / 1e6;
        }
        double[] settleMs = Arrays.copyOfRange(settleAll, warmup, warmup + steps);
        double[] frames = frameNanos.subList(measuredFrom, frameNanos.size()).stream()
                .mapToDouble(n -> n / 1e6).toArray();
        double[] framesCpu = frameCpuNanos.subList(measuredFrom, frameCpuNanos.size()).stream()
                .mapToDouble(n -> n / 1e6).toArray();

        // hover: the pointer moving over the lanes, each move dispatched like the glass would
        int moves = 300;
        double[] hoverMs = new double[moves];
        double[] hoverCpuMs = new double[moves];
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) fx(() -> {
            Node lanes = h.view.lookup("#timelineLanes");
            for (int i = 0; i < moves; i++) {
                double x = 5 + (i * 37) % (LANES_PX - 10);
                double y = 30 + (i * 13) % 300;
                Point2D sc = lanes.localToScene(x, y);
                MouseEvent e = new MouseEvent(MouseEvent.MOUSE_MOVED, sc.getX(), sc.getY(), sc.getX(), sc.getY(),
                        MouseButton.NONE, 0, false, false, false, false, false, false, false, false, false, false,
                        null);
                long hs = System.nanoTime();
                long hc = cpu.getCurrentThreadCpuTime();
                lanes.fireEvent(e);
                hoverCpuMs[i] = (cpu.getCurrentThreadCpuTime() - hc) / 1e6;
                hoverMs[i] = (System.nanoTime() - hs) / 1e6;
            }
            return null;
        });
        RenderStats last = fx(() -> h.view.renderStats());
        fx(() -> {
            h.view.dispose();
            h.stage.close();
            return null;
        });
        source.close();

        // the same run opened again in a new view on a JVM that has drawn a timeline before (a second run tab)
        double warmOpenMs;
        try (ArchiveTimelineSource again = new ArchiveTimelineSource(db, runId)) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Holder h2 = new Holder();
            long w0 = System.nanoTime();
            fx(() -> {
                h2.context = new RunContext(new TimeWindow(0, 1_000_000_000L));
                h2.view = new TimelineView(h2.context, again);
                h2.context.runEndProperty().addListener((o, a, b) -> h2.extentKnown = true);
                h2.view.renderStatsProperty().addListener((o, a, st) -> {
                    if (h2.extentKnown && st.frames() > 0 && st.pendingTiles() == 0) done.complete(null);
                });
                h2.stage = new Stage();
                h2.stage.setScene(new Scene(h2.view, LANES_PX + 168, 900));
                h2.stage.show();
                return null;
            });
            done.get(60, TimeUnit.SECONDS);
            warmOpenMs = (System.nanoTime() - w0) / 1e6;
            fx(() -> {
                h2.view.dispose();
                h2.stage.close();
                return null;
            });
        }

        System.out.println(String.format(Locale.ROOT, """
                {
                  "benchmark": "freezeframe-timeline",
                  "events": %d,
                  "events_in_archive": %d,
                  "run_span_ns": %d,
                  "archive": "%s",
                  "generated_s": %.1f,
                  "cpus": %d,
                  "lanes_px": %d,
                  "baseline_viewport_query_ms": {"p50": %.3f, "p99": %.3f, "n": %d},
                  "source_refresh_and_items_ms": %.1f,
                  "open_first_frame_ms": %.1f,
                  "open_frames_ms": %s,
                  "warmup_steps": %d,
                  "open_first_complete_frame_ms": %.1f,
                  "open_again_first_complete_frame_ms": %.1f,
                  "frame_ms": {"p50": %.3f, "p99": %.3f, "max": %.3f, "n": %d},
                  "frame_cpu_ms": {"p50": %.3f, "p99": %.3f, "max": %.3f},
                  "settle_ms": {"p50": %.1f, "p99": %.1f, "n": %d},
                  "hover_ms": {"p50": %.3f, "p99": %.3f, "n": %d},
                  "hover_cpu_ms": {"p50": %.3f, "p99": %.3f},
                  "load_average_1min": %.2f,
                  "blank_frames": %d,
                  "tile_hits": %d,
                  "tile_misses": %d,
                  "targets": {"first_frame_ms": 1000, "frame_p99_ms": 16, "hover_ms": 4},
                  "frame_p99_vs_baseline_query_p99": %.2f
                }""", events, stored, end, db, generatedSeconds, Runtime.getRuntime().availableProcessors(), LANES_PX,
                pct(baseline, 50), pct(baseline, 99), baseline.length,
                sourceOpenMs, firstFrame.get() / 1e6, Arrays.toString(Arrays.stream(openFrameMs)
                        .map(v -> Math.round(v * 10) / 10.0).toArray()), warmup, firstComplete.get() / 1e6, warmOpenMs,
                pct(frames, 50), pct(frames, 99), pct(frames, 100), frames.length,
                pct(framesCpu, 50), pct(framesCpu, 99), pct(framesCpu, 100),
                pct(settleMs, 50), pct(settleMs, 99), settleMs.length,
                pct(hoverMs, 50), pct(hoverMs, 99), hoverMs.length,
                pct(hoverCpuMs, 50), pct(hoverCpuMs, 99),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                last.blankFrames(), last.tileHits(), last.tileMisses(),
                pct(frames, 99) / Math.max(1e-9, pct(baseline, 99))));
        Platform.exit();
    }

    private static final class Holder {
        RunContext context;
        TimelineView view;
        Stage stage;
        volatile boolean extentKnown;
    }

    /** The raw cost the view builds on: viewport queries for 1 600 px at random places and zooms, one connection. */
    private static double[] baselineQueries(Path db, long runId, long end) {
        SplittableRandom random = new SplittableRandom(9);
        int n = 120;
        double[] ms = new double[n];
        try (Archive a = Archive.open(db)) {
            for (int i = -20; i < n; i++) {
                long span = (long) Math.max(TimeWindow.MIN_SPAN_NS * 10, end / Math.pow(2, random.nextInt(20)));
                long from = random.nextLong(Math.max(1, end - span));
                long t = System.nanoTime();
                a.timeline().viewport(runId, from, from + span, LANES_PX);
                if (i >= 0) ms[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        return ms;
    }

    /**
     * A deterministic run of {@code events} events: persistence's ArchiveBench mix (about 50 k events/s, half numeric
     * series), with watch hits thinned to exact-item numbers, steps every 20 s, a periodic snapshot every 2 s, a 1.5 s
     * freeze and an error snapshot near the end. Written to a temporary file and renamed, so a cut-off generation is
     * never reused.
     */
    private static double generate(Path db, long events) throws Exception {
        long t0 = System.nanoTime();
        Path tmp = db.resolveSibling(db.getFileName() + ".partial");
        Files.deleteIfExists(tmp);
        SplittableRandom random = new SplittableRandom(42);
        String[] texts = new String[256];
        for (int i = 0; i < texts.length; i++) texts[i] = "worker %d: iteration %d done, runnable=%d".formatted(i % 16, i * 31, i % 5);
        double[] series = new double[8];
        try (Archive archive = Archive.open(tmp)) {
            long runId = archive.createRun(new RunConfig("scx_qmap", List.of(), "bench", 4, 1024, "kit", 100,
                    List.of("total_forks")), Instant.now(), Optional.of("7.3.4"));
            long at = 0;
            long seq = 0;
            long nextStep = 0;
            long nextSnap = 2_000_000_000L;
            int step = 0;
            int snap = 0;
            boolean frozen = false;
            try (EventIngest ingest = archive.startIngest(runId)) {
                for (long i = 0; i < events; i++) {
                    at += 1 + random.nextInt(40_000);
                    if (at >= nextStep) {
                        ingest.append(new RunEvent(seq++, nextStep, Lane.STEPS, "step", "step " + step, (double) step, null));
                        step++;
                        nextStep += 20_000_000_000L;
                    }
                    if (at >= nextSnap) {
                        ingest.append(new SnapshotRecord("periodic_%03d".formatted(snap++), SnapshotKind.PERIODIC,
                                nextSnap, Optional.of(step), false, Optional.empty(), "{}"));
                        nextSnap += 2_000_000_000L;
                    }
                    if (!frozen && at >= 100_000_000_000L) {
                        frozen = true;
                        ingest.append(new RunEvent(seq++, at, Lane.LIFECYCLE, "frozen", "guest frozen", null, null));
                        ingest.append(new RunEvent(seq++, at + 1_500_000_000L, Lane.LIFECYCLE, "resumed", "guest resumed",
                                null, "{\"frozen_at_ns\":" + at + ",\"frozen_ns\":1500000000,\"guest_clock\":\"paused\"}"));
                    }
                    int r = random.nextInt(1000);
                    RunEvent e;
                    if (r < 500) {
                        int k = r % series.length;
                        series[k] += random.nextDouble() * 10 - 4.9;
                        e = new RunEvent(seq++, at, Lane.STATS, "counter_" + k, "", series[k], null);
                    } else if (r < 760) {
                        e = new RunEvent(seq++, at, Lane.CONSOLE, "line", texts[random.nextInt(texts.length)], null, null);
                    } else if (r < 960) {
                        e = new RunEvent(seq++, at, Lane.SCHEDULER, "stdout", texts[random.nextInt(texts.length)], null, null);
                    } else if (r < 999 || random.nextInt(100) != 0) {
                        e = new RunEvent(seq++, at, Lane.HARNESS, "tick", "", null, null);
                    } else {
                        e = new RunEvent(seq++, at, Lane.WATCHPOINTS, "hit", "total_forks hit", null,
                                "{\"slot\":1,\"tag\":\"watch:total_forks\",\"snapshot\":false}");
                    }
                    ingest.append(e);
                }
                ingest.append(new SnapshotRecord("error", SnapshotKind.ERROR, at - 1_000_000L, Optional.of(step),
                        false, Optional.empty(), "{}"));
                ingest.flush();
            }
            archive.finishRun(runId, Verdict.SCHEDULER_FAILED, "bench", Instant.now());
        }
        // a write-ahead log left behind still holds committed pages: it moves with the database
        Path wal = Path.of(tmp + "-wal");
        if (Files.exists(wal)) Files.move(wal, Path.of(db + "-wal"), StandardCopyOption.REPLACE_EXISTING);
        for (String suffix : new String[] {"-shm", "-live"}) Files.deleteIfExists(Path.of(tmp + suffix));
        Files.move(tmp, db, StandardCopyOption.ATOMIC_MOVE);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static <T> T fx(Supplier<T> work) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the timeline did not settle in 60 s");
            Thread.sleep(1);
        }
    }

    private static double pct(double[] values, int p) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int i = (int) Math.ceil(v.length * p / 100.0) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }
}
