package dev.freezeframe.app.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.app.ui.console.ConsoleView;
import dev.freezeframe.app.ui.events.EventRow;
import dev.freezeframe.app.ui.events.EventsTableView;
import dev.freezeframe.app.ui.source.RunEventSource;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventIngest;
import dev.freezeframe.timeline.RunContext;
import dev.freezeframe.timeline.TimeWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;

/**
 * The run tab's drawers on big runs (design benches B5, B6), on JavaFX's headless platform: the console's jump to the
 * middle of a 1 M-line run (cursor set → that line laid out, banded and visible) against the page query it runs, and
 * the events table's Ctrl+End on 10 M events (key → last row laid out with its event) against the raw query of that
 * page; also the table's open (view created → first rows shown) against counting the run. Both runs are generated into
 * the archive once ({@code bench.dir}, default {@code app/target/bench-drawers}) and reused. Prints one JSON object.
 */
public final class DrawerBench {
    private static final double TARGET_MS = 200;
    private static final EnumSet<Lane> CONSOLE = EnumSet.of(Lane.CONSOLE, Lane.SCHEDULER);
    private static final long NS_PER_EVENT = 1_000;
    private static final int WARMUP = 3;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("bench.dir", "app/target/bench-drawers"));
        long consoleLines = Long.getLong("bench.consoleLines", 1_000_000);
        long tableEvents = Long.getLong("bench.events", 10_000_000);
        int rounds = Integer.getInteger("bench.rounds", 10);
        Files.createDirectories(dir);
        Path db = dir.resolve("drawers.db");
        long genStart = System.nanoTime();
        long consoleRun = runWith(db, "console-" + consoleLines, consoleLines * 4 / 3, DrawerBench::consoleHeavy);
        long tableRun = runWith(db, "events-" + tableEvents, tableEvents, DrawerBench::mixed);
        double generatedS = (System.nanoTime() - genStart) / 1e9;

        Platform.startup(() -> { });
        // the workbench's theme: the views' colours are its looked-up tokens
        Platform.runLater(() -> javafx.application.Application.setUserAgentStylesheet(
                new atlantafx.base.theme.PrimerLight().getUserAgentStylesheet()));
        Stage stage = fx(() -> {
            Stage s = new Stage();
            s.setScene(new Scene(new Label("bench"), 1600, 260)); // the drawer's size in the run tab
            s.show();
            return s;
        });

        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("generated_or_reused_s", Math.round(generatedS * 10) / 10.0);
        out.put("target_ms", TARGET_MS);
        out.set("baseline_ui_round_trip_ms", pulseFloor(json, stage));
        out.set("console_jump", consoleJump(json, stage, db, consoleRun, consoleLines * 4 / 3, rounds));
        out.set("events_table", eventsTable(json, stage, db, tableRun, tableEvents, Math.max(3, rounds / 2)));
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(out));
        Platform.exit();
        System.exit(0);
    }

    /** A label's text changed → laid out: what any UI change costs on this machine now (the load floor). */
    private static ObjectNode pulseFloor(ObjectMapper json, Stage stage) throws Exception {
        Label label = fx(() -> {
            Label l = new Label("0");
            stage.getScene().setRoot(l);
            return l;
        });
        List<Double> times = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String text = Integer.toString(i);
            times.add(timeUntilLaidOut(stage, () -> label.setText(text),
                    () -> text.equals(label.getText()) && label.getWidth() > 0));
        }
        return stats(json, times);
    }

    // ---- console ----

    private static ObjectNode consoleJump(ObjectMapper json, Stage stage, Path db, long run, long events, int rounds)
            throws Exception {
        RunContext context = fx(() -> new RunContext(new TimeWindow(0, events * NS_PER_EVENT)));
        ConsoleView view = fx(() -> {
            ConsoleView v = new ConsoleView(context, RunEventSource.archived(db, run));
            stage.getScene().setRoot(v);
            return v;
        });
        waitUntil(() -> view.bandedLineInView().isPresent(), 60);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < WARMUP; i++) { // JIT and first-use class loading, not measured
            long seq = random.nextLong(events / 8, events / 4);
            while (!CONSOLE.contains(consoleHeavy(seq).lane())) seq++;
            RunEvent line = consoleHeavy(seq);
            timeUntilLaidOut(stage, () -> context.setCursor(line.atNanos()), () -> bandedAndVisible(view, line.text()));
        }
        List<Double> ui = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        double[] jumpCpu = new double[3];
        for (int i = 0; i < rounds; i++) {
            // around the middle, a different place each time (no page is reused)
            long seq = events / 2 + random.nextLong(-events / 4, events / 4);
            while (!CONSOLE.contains(consoleHeavy(seq).lane())) seq++;
            targets.add(seq);
            RunEvent line = consoleHeavy(seq);
            String text = line.text();
            ui.add(timeUntilLaidOut(stage, () -> context.setCursor(line.atNanos()), () -> bandedAndVisible(view, text),
                    jumpCpu));
        }
        fx(() -> {
            view.close();
            return null;
        });
        List<Double> query = new ArrayList<>();
        try (Archive archive = Archive.open(db)) {
            archive.events().count(run); // the view's directory was loaded before its first jump too
            for (long seq : targets) {
                long at = consoleHeavy(seq).atNanos() + 7 * NS_PER_EVENT; // other pages than the view's: no cache
                long t0 = System.nanoTime();
                archive.events().around(run, CONSOLE, at, ConsoleViewPage.BEFORE, ConsoleViewPage.AFTER);
                query.add((System.nanoTime() - t0) / 1e6);
            }
        }
        ObjectNode n = json.createObjectNode();
        n.put("console_lines_approx", events * 3 / 4);
        n.put("rounds", rounds);
        n.set("ui_ms", stats(json, ui));
        n.set("ui_cpu_ms_per_jump", cpu(json, jumpCpu, rounds));
        n.set("baseline_page_query_ms", stats(json, query));
        n.put("ui_over_query_p50", round(median(ui) / Math.max(1e-3, median(query))));
        n.put("meets_target", median(ui) <= TARGET_MS);
        return n;
    }

    /** The page the console asks for on a jump (ConsoleView.JUMP_LINES each side). */
    private static final class ConsoleViewPage {
        static final int BEFORE = 300;
        static final int AFTER = 300;
    }

    private static boolean bandedAndVisible(ConsoleView view, String text) {
        return view.bandedLineInView().map(shown -> shown.endsWith(text)).orElse(false);
    }

    // ---- events table ----

    private static ObjectNode eventsTable(ObjectMapper json, Stage stage, Path db, long run, long events, int rounds)
            throws Exception {
        List<Double> open = new ArrayList<>();
        List<Double> end = new ArrayList<>();
        double[] endCpu = new double[3];
        for (int i = -WARMUP; i < rounds; i++) {
            RunContext context = fx(() -> new RunContext(new TimeWindow(0, events * NS_PER_EVENT)));
            EventsTableView[] view = new EventsTableView[1];
            open.add(timeUntilLaidOut(stage, () -> {
                view[0] = new EventsTableView(context, RunEventSource.archived(db, run));
                stage.getScene().setRoot(view[0]);
            }, () -> rowShown(view[0], 0, 0)));
            int last = (int) events - 1;
            double[] cpu = i < 0 ? new double[3] : endCpu;
            end.add(timeUntilLaidOut(stage, view[0]::goToLastRow, () -> rowShown(view[0], last, last), cpu));
            if (i < 0) { // warm-up round: not counted
                open.removeLast();
                end.removeLast();
            }
            fx(() -> {
                view[0].close();
                return null;
            });
        }
        List<Double> countQuery = new ArrayList<>();
        List<Double> pageQuery = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            try (Archive archive = Archive.open(db)) {
                long t0 = System.nanoTime();
                long n = archive.events().count(run);
                countQuery.add((System.nanoTime() - t0) / 1e6);
                t0 = System.nanoTime();
                archive.events().bySeq(run, n - n % 512, n);
                pageQuery.add((System.nanoTime() - t0) / 1e6);
            }
        }
        ObjectNode n = json.createObjectNode();
        n.put("events", events);
        n.put("rounds", rounds);
        n.set("open_to_first_rows_ms", stats(json, open));
        n.set("baseline_open_count_query_ms", stats(json, countQuery));
        n.set("ctrl_end_to_last_row_ms", stats(json, end));
        n.set("ctrl_end_cpu_ms", cpu(json, endCpu, rounds));
        n.set("baseline_last_page_query_ms", stats(json, pageQuery));
        n.put("end_over_query_p50", round(median(end) / Math.max(1e-3, median(pageQuery))));
        n.put("meets_target", median(end) <= TARGET_MS);
        return n;
    }

    /** Whether table row {@code row} is laid out showing the event with seq {@code seq}. */
    private static boolean rowShown(Parent view, int row, long seq) {
        for (Node n : view.lookupAll(".table-row-cell")) {
            if (n instanceof TableRow<?> r && r.getItem() instanceof EventRow e && e.index() == row
                    && e.event() != null && e.event().seq() == seq && r.isVisible()) {
                return true;
            }
        }
        return false;
    }

    // ---- timing on the FX thread ----

    /** CPU time (ms) so far of the FX thread, the renderer and the views' archive threads. */
    private static double[] cpuNow() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] c = new double[3];
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t == null) continue;
            long ns = mx.getThreadCpuTime(t.getThreadId());
            if (ns < 0) continue;
            String name = t.getThreadName();
            int k = name.equals("JavaFX Application Thread") ? 0 : name.startsWith("QuantumRenderer") ? 1
                    : name.startsWith("console-run-") || name.startsWith("events-run-") ? 2 : -1;
            if (k >= 0) c[k] += ns / 1e6;
        }
        return c;
    }

    private static ObjectNode cpu(ObjectMapper json, double[] total, int rounds) {
        ObjectNode n = json.createObjectNode();
        n.put("fx_thread", round(total[0] / rounds));
        n.put("renderer", round(total[1] / rounds));
        n.put("archive_thread", round(total[2] / rounds));
        return n;
    }

    /**
     * Runs {@code action} on the FX thread and times it until {@code done} holds after a layout pass; adds the CPU the
     * UI's threads spent meanwhile to {@code cpu} (on a loaded machine, wall time is mostly waiting for a core).
     */
    private static double timeUntilLaidOut(Stage stage, Runnable action, BooleanSupplier done, double[] cpu)
            throws Exception {
        double[] before = cpuNow();
        double wall = timeUntilLaidOut(stage, action, done);
        double[] after = cpuNow();
        for (int k = 0; k < 3; k++) cpu[k] += after[k] - before[k];
        return wall;
    }

    /** Runs {@code action} on the FX thread and times it until {@code done} holds after a layout pass. */
    private static double timeUntilLaidOut(Stage stage, Runnable action, BooleanSupplier done) throws Exception {
        CompletableFuture<Double> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            Scene scene = stage.getScene();
            long t0 = System.nanoTime();
            Runnable[] listener = new Runnable[1];
            listener[0] = () -> {
                if (!result.isDone() && done.getAsBoolean()) {
                    result.complete((System.nanoTime() - t0) / 1e6);
                    Platform.runLater(() -> scene.removePostLayoutPulseListener(listener[0]));
                }
            };
            scene.addPostLayoutPulseListener(listener[0]);
            action.run();
            Platform.requestNextPulse();
        });
        return result.get(120, TimeUnit.SECONDS);
    }

    private static void waitUntil(BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!fx(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out");
            Thread.sleep(20);
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

    // ---- data ----

    private interface Stream {
        RunEvent event(long seq);
    }

    /** A run whose scenario names it, reused when present; otherwise recorded through an ingest. */
    private static long runWith(Path db, String name, long events, Stream stream) {
        try (Archive archive = Archive.open(db)) {
            for (var r : archive.listRuns()) {
                if (r.scenario().equals(name) && r.verdict().isPresent()) return r.id();
            }
            RunConfig config = new RunConfig("scx_qmap", List.of(), name, 2, 512, "kit", 0, List.of());
            long run = archive.createRun(config, Instant.now(), Optional.empty());
            try (EventIngest ingest = archive.startIngest(run)) {
                for (long seq = 0; seq < events; seq++) ingest.append(stream.event(seq));
            }
            archive.finishRun(run, Verdict.PASSED, null, Instant.now());
            return run;
        }
    }

    /** Three console-lane lines (console, every 7th a scheduler line) per stats sample. */
    private static RunEvent consoleHeavy(long seq) {
        long at = seq * NS_PER_EVENT;
        if (seq % 4 == 3) return new RunEvent(seq, at, Lane.STATS, "nr_queued", "", (double) (seq % 97), null);
        if (seq % 7 == 2) return RunEvent.of(seq, at, Lane.SCHEDULER, "stderr", "scx_qmap: tick " + seq);
        return RunEvent.of(seq, at, Lane.CONSOLE, "line", "[  " + seq / 1000 + "] guest console line " + seq);
    }

    /** The events tests' mix: stats, watchpoint hits, scheduler and console lines. */
    private static RunEvent mixed(long seq) {
        long at = seq * NS_PER_EVENT;
        if (seq % 5 == 4) return new RunEvent(seq, at, Lane.STATS, "nr_queued", "", (double) (seq % 97), null);
        if (seq % 50 == 13) return RunEvent.of(seq, at, Lane.WATCHPOINTS, "hit", "total_forks hit " + seq);
        if (seq % 7 == 3) return RunEvent.of(seq, at, Lane.SCHEDULER, "stderr", "scx_qmap: tick " + seq);
        return RunEvent.of(seq, at, Lane.CONSOLE, "line", "console line " + seq);
    }

    // ---- figures ----

    private static ObjectNode stats(ObjectMapper json, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        ObjectNode n = json.createObjectNode();
        n.put("p50", round(median(values)));
        n.put("max", round(sorted.getLast()));
        n.put("min", round(sorted.getFirst()));
        return n;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
