package dev.freezeframe.app.bench;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.ui.Workbench;
import dev.freezeframe.persistence.Archive;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * Heap for an open 10 M-event run (workbench issue: ≤ 1.5 GB): the real workbench window on the timeline benchmark's
 * archive ({@code app/bench/timeline.sh} generates it), its Runs browser first (the baseline, same process), then the
 * run's tab with the product's timeline, console and events table. Heap is measured after a full GC, once it has
 * settled (two samples a second apart within 2 %). Prints one JSON object.
 *
 * <p>Properties: {@code bench.db} (the archive), {@code bench.settleSeconds} (at most, 30).
 */
public final class OpenRunHeapBench {
    private OpenRunHeapBench() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(System.getProperty("bench.db", "app/target/bench/timeline-10000000.db"));
        if (!Files.exists(db)) throw new IllegalStateException(db + " is missing: run app/bench/timeline.sh first");
        int settleSeconds = Integer.getInteger("bench.settleSeconds", 30);
        long runId;
        long events;
        try (Archive a = Archive.open(db)) {
            runId = a.listRuns().getFirst().id();
            events = a.runs().detail(runId).orElseThrow().eventCount();
        }
        Path home = Files.createTempDirectory("ff-heapbench");
        AppDirs dirs = new AppDirs(home.resolve("data"), home.resolve("config"), home.resolve("state"),
                home.resolve("cache"));

        Platform.startup(() -> { });
        Workbench workbench = fx(() -> {
            Workbench w = new Workbench(dirs, "hint");
            Stage stage = new Stage();
            w.show(stage, db);
            stage.setWidth(1600);
            stage.setHeight(1000);
            return w;
        });
        long baseline = settledHeap(settleSeconds);

        CompletableFuture<?> opened = fx(() -> workbench.runs().open(runId, Optional.empty()));
        opened.get(60, TimeUnit.SECONDS);
        long open = settledHeap(settleSeconds);
        long max = Runtime.getRuntime().maxMemory();

        System.out.println(String.format(Locale.ROOT, "{\"bench\":\"open_run_heap\",\"events\":%d,"
                        + "\"baseline_runs_browser_heap_mb\":%d,\"open_run_heap_mb\":%d,\"run_tab_mb\":%d,"
                        + "\"max_heap_mb\":%d,\"target_mb\":1536,\"meets_target\":%b}",
                events, baseline >> 20, open >> 20, (open - baseline) >> 20, max >> 20, open <= 1536L << 20));
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    /** Heap in use after a full GC, once two samples a second apart agree within 2 % (or the time is up). */
    private static long settledHeap(int seconds) throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long last = -1;
        while (true) {
            Thread.sleep(1000);
            memory.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (last > 0 && Math.abs(now - last) <= last / 50 || System.nanoTime() > deadline) return now;
            last = now;
        }
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
}
