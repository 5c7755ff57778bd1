package dev.freezeframe.app.bench;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.app.run.RunResult;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.MonitorConfig;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 13: the live monitor at 10 Hz costs the guest's workload at most 1 % of its throughput. Runs the same scx_qmap
 * scenario (CPU workers) with the monitor on (100 ms, one --monitor arena field) and off, alternating on/off so a host
 * getting busier hurts both alike, and compares the workers' summed {@code rate} (work per second of the step, measured
 * in the guest). Prints one JSON object; the load average is recorded before and after.
 */
public final class MonitorBench {
    private static final double TARGET_RATIO = 0.99;

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        int seconds = Integer.getInteger("bench.seconds", 8);
        int workers = Integer.getInteger("bench.workers", 8);
        Kit kit = new KitCache(AppDirs.fromEnvironment().cacheDir().resolve("kit")).current()
                .orElseThrow(() -> new IllegalStateException("no guest kit: run `freezeframe kit build`"));
        Path work = Files.createTempDirectory("monitor-bench-");
        Path scenarioFile = Files.writeString(work.resolve("bench.json"), """
                {"schema": 1, "name": "monitor-bench", "steps": [
                  {"name": "load", "duration_ms": %d, "workload": {"kind": "cpu", "workers": %d}}]}"""
                .formatted(seconds * 1000, workers));
        Scenario scenario = ScenarioLoader.load(scenarioFile.toString());
        String loadBefore = loadAverage();
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Long> samples = new ArrayList<>();
        int failed = 0;
        try (Archive archive = Archive.open(work.resolve("bench.db"))) {
            for (int i = 0; i < rounds; i++) {
                for (boolean monitored : new boolean[] {true, false}) {
                    MonitorConfig monitor = monitored
                            ? new MonitorConfig(true, 100, List.of("arena:qa.nr_enqueued")) : MonitorConfig.OFF;
                    RunConfig config = new RunConfig("scx_qmap", List.of(), scenarioFile.toString(), 2, 1024, "kit", 0,
                            List.of(), false, monitor);
                    RunResult r = new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT).run(config, kit, scenario,
                            archive, e -> { });
                    double rate = r.outcome().metrics().stream()
                            .filter(m -> m.group().equals("cpu") && m.metric() == MetricName.RATE)
                            .mapToDouble(WorkloadMetric::value).sum();
                    System.err.printf(Locale.ROOT, "round %d monitor %s: rate %.0f/s (%s %s)%n", i,
                            monitored ? "on" : "off", rate, r.outcome().decision().verdict(),
                            r.outcome().decision().reason());
                    if (r.outcome().decision().verdict() != Verdict.PASSED || rate <= 0) {
                        failed++; // a run the busy host broke (a boot timeout) measures nothing: left out
                        continue;
                    }
                    (monitored ? on : off).add(rate);
                    if (monitored) {
                        samples.add(archive.events().count(r.runId(), Lane.STATS));
                    }
                }
            }
        }
        double meanOn = on.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double meanOff = off.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ratio = meanOn / meanOff;
        System.out.printf(Locale.ROOT, """
                {"bench":"monitor","scheduler":"scx_qmap","workers":%d,"step_s":%d,"rounds":%d,"interval_ms":100,\
                "rate_on":%s,"rate_off":%s,"mean_rate_on":%.1f,"mean_rate_off":%.1f,"ratio":%.4f,\
                "target_ratio":%.2f,"met":%s,"runs_left_out":%d,"stats_events_per_monitored_run":%s,\
                "loadavg_before":"%s","loadavg_after":"%s"}%n""",
                workers, seconds, rounds, on, off, meanOn, meanOff, ratio, TARGET_RATIO, ratio >= TARGET_RATIO,
                failed, samples, loadBefore, loadAverage());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
