package dev.freezeframe.app.bench;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.live.FakeLiveRun;
import dev.freezeframe.app.live.FakeScript;
import dev.freezeframe.app.ui.ProductWiring;
import dev.freezeframe.app.ui.Workbench;
import dev.freezeframe.persistence.Archive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * Live-view benchmark (workbench issue, B8): the workbench with a live run tab (the product's timeline, console and
 * events over the archive) while a scripted run records 50 000 console lines a second into a real archive. Measures
 * the FX pulse gaps (frame time) while live against the same window idle (the Runs browser) in the same run, and
 * whether the archive kept up (ingest lag, events per second actually recorded). Prints one JSON object.
 *
 * <p>Run by {@code app/bench/live.sh}, under Xvfb (the SW pipeline). Properties: {@code bench.rate} (lines/s, 50 000),
 * {@code bench.seconds} (measured live seconds, 15), {@code bench.jfr} (a file: record the live phase with JFR).
 */
public final class LiveBench {
    private LiveBench() {
    }

    public static void main(String[] args) throws Exception {
        long rate = Long.getLong("bench.rate", 50_000);
        int seconds = Integer.getInteger("bench.seconds", 15);
        Path home = Files.createTempDirectory("ff-livebench");
        AppDirs dirs = new AppDirs(home.resolve("data"), home.resolve("config"), home.resolve("state"),
                home.resolve("cache"));
        Archive archive = Archive.open(dirs.defaultArchive());
        FakeScript script = FakeScript.standard()
                .withSteps(List.of(new FakeScript.Step("flood", (seconds + 5) * 1000L)))
                .withExtraLinesPerSec(rate);
        AtomicReference<FakeLiveRun> run = new AtomicReference<>();

        Platform.startup(() -> { });
        Workbench workbench = fx(() -> {
            Workbench w = new Workbench(dirs, "hint", (config, path) -> {
                FakeLiveRun r = FakeLiveRun.start(archive, config, script);
                run.set(r);
                return r;
            }, views(), x -> new Label("launch form"));
            Stage stage = new Stage();
            w.show(stage, dirs.defaultArchive());
            stage.setWidth(1600);
            stage.setHeight(1000);
            return w;
        });

        Thread.sleep(3000); // the window settles (first layout, CSS) before the idle baseline
        double[] idle = pulseGaps(5);

        fx(() -> {
            workbench.startRun(FakeLiveRun.config(false));
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (run.get() == null || fx(() -> workbench.runs().current()) == null) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the live tab did not open");
            Thread.sleep(50);
        }
        run.get().playInRealTime(1.0);
        Thread.sleep(2000); // past boot, into the flood
        long events0 = run.get().state().events();
        long t0 = System.nanoTime();
        List<Long> lags = new ArrayList<>();
        Thread sampler = Thread.ofPlatform().daemon(true).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                var s = run.get().state();
                lags.add(Math.max(0, s.events() - 1 - s.committedSeq()));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        // -Dbench.jfr=FILE records the live phase with JFR's profiling settings (where the FX and render threads spend).
        String jfrFile = System.getProperty("bench.jfr");
        jdk.jfr.Recording jfr = null;
        if (jfrFile != null) {
            jfr = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            jfr.start();
        }
        java.util.Map<String, Long> cpu0 = fxThreadsCpu();
        long timelineFrames0 = fx(() -> timelineFrames(workbench));
        double[] live = pulseGaps(seconds);
        long timelineFrames1 = fx(() -> timelineFrames(workbench));
        java.util.Map<String, Long> cpu1 = fxThreadsCpu();
        if (jfr != null) {
            jfr.stop();
            jfr.dump(Path.of(jfrFile));
        }
        long events1 = run.get().state().events();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double fxCpu = (cpu1.getOrDefault("fx", 0L) - cpu0.getOrDefault("fx", 0L)) / 1e6 / seconds;
        double renderCpu = (cpu1.getOrDefault("render", 0L) - cpu0.getOrDefault("render", 0L)) / 1e6 / seconds;
        sampler.interrupt();
        run.get().stop("benchmark over");

        long[] lagArr = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        System.gc();
        long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        String json = String.format(Locale.ROOT, "{\"bench\":\"live_view\",\"cpus\":%d,\"rate_lines_per_s\":%d,"
                        + "\"seconds\":%d,\"events_recorded_per_s\":%.0f,"
                        + "\"frame_gap_ms_live\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f,\"frames\":%d},"
                        + "\"frame_gap_ms_idle_baseline\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f,\"frames\":%d},"
                        + "\"p99_ratio_to_idle\":%.2f,\"ingest_lag_events\":{\"p50\":%d,\"p99\":%d,\"max\":%d},"
                        + "\"target_frame_p99_ms\":33,\"heap_after_gc_mb\":%d,\"fx_thread_cpu_ms_per_s\":%.0f,"
                        + "\"render_thread_cpu_ms_per_s\":%.0f,\"timeline_frames_per_s\":%.1f,\"load_average\":%.1f}",
                Runtime.getRuntime().availableProcessors(), rate, seconds, (events1 - events0) / elapsed,
                pct(live, 50), pct(live, 99), live.length == 0 ? 0 : live[live.length - 1], live.length,
                pct(idle, 50), pct(idle, 99), idle.length == 0 ? 0 : idle[idle.length - 1], idle.length,
                pct(live, 99) / Math.max(0.1, pct(idle, 99)), at(lagArr, 50), at(lagArr, 99),
                lagArr.length == 0 ? 0 : lagArr[lagArr.length - 1], heapMb, fxCpu, renderCpu,
                (timelineFrames1 - timelineFrames0) / (double) seconds,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println(json);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** The product's views, or with {@code -Dbench.views=timeline,console} only those (to find which one costs). */
    private static dev.freezeframe.app.ui.run.RunViewFactory views() {
        String only = System.getProperty("bench.views", "timeline,console,events");
        var product = ProductWiring.views();
        return (archive, model, context) -> {
            var parts = product.create(archive, model, context);
            return new dev.freezeframe.app.ui.run.RunTabView.Parts(
                    only.contains("timeline") ? parts.timeline() : new Label("timeline off"),
                    only.contains("console") ? parts.console() : new Label("console off"),
                    only.contains("events") ? parts.events() : new Label("events off"), parts.closeWithTab());
        };
    }

    /**
     * CPU time so far of the FX application thread ("fx") and the renderer ("render"), in ns: how much of the machine
     * the live view takes, a figure less at the mercy of the machine's load than frame gaps are.
     */
    private static java.util.Map<String, Long> fxThreadsCpu() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> cpu = new java.util.HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String key = t.getName().equals("JavaFX Application Thread") ? "fx"
                    : t.getName().startsWith("QuantumRenderer") ? "render" : null;
            if (key != null) cpu.merge(key, Math.max(0, threads.getThreadCpuTime(t.threadId())), Long::sum);
        }
        return cpu;
    }

    /** How many data frames the live tab's timeline has drawn so far (FX thread). */
    private static long timelineFrames(Workbench workbench) {
        var node = workbench.runs().current() == null ? null : workbench.runs().current().lookup("#timeline");
        return node instanceof dev.freezeframe.timeline.TimelineView t ? t.renderStats().frames() : -1;
    }

    /** The gaps between FX pulses over {@code seconds}, sorted, in ms. */
    private static double[] pulseGaps(int seconds) throws Exception {
        List<Double> gaps = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        fx(() -> {
            new AnimationTimer() {
                private long last = -1;

                @Override
                public void handle(long now) {
                    if (last >= 0) gaps.add((now - last) / 1e6);
                    last = now;
                    if (System.nanoTime() > end) {
                        stop();
                        done.complete(null);
                    }
                }
            }.start();
            return null;
        });
        done.get(seconds + 30L, TimeUnit.SECONDS);
        double[] sorted = fx(() -> gaps.stream().mapToDouble(Double::doubleValue).toArray());
        Arrays.sort(sorted);
        return sorted;
    }

    private static double pct(double[] sorted, int p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long at(long[] sorted, int p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1))];
    }

    private static <T> T fx(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(action.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(60, TimeUnit.SECONDS);
    }
}
