package dev.freezeframe.app.bench;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.run.RunLauncher;
import dev.freezeframe.app.run.RunResult;
import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.MonitorConfig;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.monitor.MonitorSeries;
import dev.freezeframe.coordinator.run.RunFold;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.qemu.QemuBackend;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Issue 13: the live monitor at 10 Hz costs the guest's workload at most 1 % of its throughput. Runs the same scx_qmap
 * scenario (CPU workers) with the monitor on (100 ms, one --monitor arena field) and off, in pairs whose order
 * alternates (on/off, off/on, ...) so a host getting busier or quieter hurts both sides alike, and compares the
 * workers' summed {@code rate} (work per second of the workload step, measured in the guest, so boot and teardown are
 * not in it) as the median of the per-pair ratios. Before the measured pairs it runs {@code bench.warmup} unmeasured
 * pairs in the same JVM: without them the first monitored run compiles the monitor's code, its fold and the stats
 * lane's ingest during its workload step, a one-off that a long run never pays again and that the unmonitored side
 * does not pay at all. Wall-clock rates on a shared host are noisy; the host CPU the monitor costs much less so: the
 * bench also reports CPU time per sample — the sampling thread's per tick (from the monitor's summary event), the
 * process's extra over the unmonitored run of the same pair, and every thread family's extra
 * ({@link ThreadCpuWatch}: this JVM's threads and QEMU's, "qemu:CPU 0/TCG"...) — which is what the monitor takes from
 * the guest's vCPU threads on a saturated host. Prints one JSON object; the load average is recorded before, after and
 * per pair.
 */
public final class MonitorBench {
    private static final double TARGET_RATIO = 0.99;
    private static final Pattern SUMMARY = Pattern.compile(
            "live monitor: (\\d+) samples \\([0-9.]+ ms each on average, ([0-9.]+) µs of CPU each\\)");

    /** One run's figures: the workload rate, host CPU of the threads that matter, and the monitor's sample count. */
    /**
     * One run's figures: the workload rate, the process's CPU, the monitor's sample count and CPU per tick, and each
     * thread family's CPU ms during the workload step ({@code windowMs}, over {@code windowS} seconds of host time,
     * in which the monitor took {@code windowSamples} samples).
     */
    record Run(double rate, double processCpuMs, long samples, double sampleCpuUs, Map<String, Double> windowMs,
            double windowS, long windowSamples) {
        /** CPU ms per second of the workload step of a thread family. */
        double msPerS(String family) {
            return windowMs.getOrDefault(family, 0.0) / windowS;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 6);
        int warmup = Integer.getInteger("bench.warmup", 2);
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
        List<Double> ratios = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> sampleUs = new ArrayList<>();
        List<Double> processUs = new ArrayList<>();
        List<Long> samples = new ArrayList<>();
        Map<String, List<Double>> extraUs = new TreeMap<>();
        List<Double> hostExtraUs = new ArrayList<>();
        Map<String, List<Double>> onMs = new TreeMap<>();
        Map<String, List<Double>> offMs = new TreeMap<>();
        List<String> loads = new ArrayList<>();
        int failed = 0;
        try (Archive archive = Archive.open(work.resolve("bench.db"))) {
            // warm-up pairs, not counted: the first runs of a JVM compile the run's code paths (and the monitored one
            // the monitor's, its fold and the stats lane's ingest) while they run, which would be charged to the
            // first measured pair's monitored side only
            for (int i = 0; i < warmup; i++) {
                run(archive, kit, scenario, scenarioFile, true, "warm-up " + i);
                run(archive, kit, scenario, scenarioFile, false, "warm-up " + i);
            }
            for (int i = 0; i < rounds; i++) {
                Run runOn = null;
                Run runOff = null;
                for (boolean monitored : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    Run r = run(archive, kit, scenario, scenarioFile, monitored, "round " + i);
                    if (r == null) {
                        failed++;
                        continue;
                    }
                    if (monitored) runOn = r;
                    else runOff = r;
                }
                loads.add(loadAverage());
                if (runOn == null || runOff == null) continue; // a half pair compares nothing
                on.add(runOn.rate());
                off.add(runOff.rate());
                ratios.add(runOn.rate() / runOff.rate());
                if (runOn.samples() > 0) {
                    samples.add(runOn.samples());
                    sampleUs.add(runOn.sampleCpuUs());
                    processUs.add((runOn.processCpuMs() - runOff.processCpuMs()) * 1000 / runOn.samples());
                }
                if (runOn.windowSamples() > 0 && runOff.windowS() > 0) {
                    // per second of each run's workload step, so steps of unequal host length compare; then per
                    // sample at the monitored run's rate of samples in its step
                    double samplesPerS = runOn.windowSamples() / runOn.windowS();
                    Set<String> families = new TreeSet<>(runOn.windowMs().keySet());
                    families.addAll(runOff.windowMs().keySet());
                    double total = 0;
                    for (String f : families) {
                        double extra = (runOn.msPerS(f) - runOff.msPerS(f)) * 1000 / samplesPerS;
                        extraUs.computeIfAbsent(f, x -> new ArrayList<>()).add(extra);
                        onMs.computeIfAbsent(f, x -> new ArrayList<>()).add(runOn.msPerS(f));
                        offMs.computeIfAbsent(f, x -> new ArrayList<>()).add(runOff.msPerS(f));
                        if (!f.startsWith("qemu:CPU ")) total += extra;
                    }
                    hostExtraUs.add(total);
                }
            }
        }
        double ratio = median(ratios);
        System.out.printf(Locale.ROOT, """
                {"bench":"monitor","scheduler":"scx_qmap","workers":%d,"step_s":%d,"rounds":%d,"warmup_pairs":%d,\
                "interval_ms":100,"pairs":%d,"rate_on":%s,"rate_off":%s,"pair_ratios":%s,"median_ratio":%.4f,\
                "mean_ratio":%.4f,"target_ratio":%.2f,"met":%s,"runs_left_out":%d,"samples_per_monitored_run":%s,\
                "sample_cpu_us":%s,"median_sample_cpu_us":%.1f,\
                "process_cpu_us_per_sample":%s,"median_process_cpu_us_per_sample":%.1f,\
                "workload_thread_extra_cpu_us_per_sample":%s,"median_workload_thread_extra_cpu_us_per_sample":%s,\
                "workload_host_extra_cpu_us_per_sample":%s,"median_workload_host_extra_cpu_us_per_sample":%.1f,\
                "workload_thread_cpu_ms_per_s_on":%s,"workload_thread_cpu_ms_per_s_off":%s,\
                "loadavg_before":"%s","loadavg_per_pair":%s,"loadavg_after":"%s"}%n""",
                workers, seconds, rounds, warmup, ratios.size(), round(on), round(off), round4(ratios), ratio,
                ratios.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), TARGET_RATIO,
                ratio >= TARGET_RATIO, failed, samples, round(sampleUs), median(sampleUs), round(processUs),
                median(processUs), perFamily(extraUs), medians(extraUs), round(hostExtraUs), median(hostExtraUs),
                perFamily(onMs), perFamily(offMs), loadBefore,
                loads.stream().map(l -> "\"" + l + "\"").collect(Collectors.joining(",", "[", "]")), loadAverage());
    }

    /** One run to its verdict, with the CPU time its threads used; null when the busy host broke it (measures nothing). */
    private static Run run(Archive archive, Kit kit, Scenario scenario, Path scenarioFile, boolean monitored,
            String label) throws Exception {
        MonitorConfig monitor = monitored
                ? new MonitorConfig(true, 100, List.of("arena:qa.nr_enqueued")) : MonitorConfig.OFF;
        RunConfig config = new RunConfig("scx_qmap", List.of(), scenarioFile.toString(), 2, 1024, "kit", 0,
                List.of(), false, monitor);
        ThreadCpuWatch threads = ThreadCpuWatch.start();
        long process0 = processCpuNanos();
        long[] stepAt = {-1, -1};
        RunResult r;
        Map<String, Double> threadMs;
        try {
            // the workload step is the window the guest measures its rate in: the CPU the host spends then is what
            // competes with it (booting, the kernel's symbols and the warm-up reads before it do not)
            r = new RunLauncher(new QemuBackend(), RunFold.Limits.DEFAULT).run(config, kit, scenario, archive, e -> {
                if (e.lane() != Lane.LIFECYCLE) return;
                if (e.kind().equals("scenario_started")) {
                    threads.markStart();
                    stepAt[0] = e.atNanos();
                } else if (e.kind().equals("scenario_finished")) {
                    threads.markEnd();
                    stepAt[1] = e.atNanos();
                }
            });
        } finally {
            threadMs = threads.stop();
        }
        double processMs = (processCpuNanos() - process0) / 1e6;
        double rate = r.outcome().metrics().stream()
                .filter(m -> m.group().equals("cpu") && m.metric() == MetricName.RATE)
                .mapToDouble(WorkloadMetric::value).sum();
        Matcher summary = monitored ? summary(archive, r.runId()) : null;
        long samples = summary == null ? 0 : Long.parseLong(summary.group(1));
        long windowSamples = monitored ? samplesBetween(archive, r.runId(), stepAt[0], stepAt[1]) : 0;
        Run run = new Run(rate, processMs, samples, summary == null ? Double.NaN
                : Double.parseDouble(summary.group(2)), threads.window(), threads.windowSeconds(), windowSamples);
        System.err.printf(Locale.ROOT, "%s monitor %s: rate %.0f/s, %d samples (%.1f µs CPU each), process CPU %.0f ms;"
                        + " workload step %.1f s, %d samples in it, threads (ms) %s; whole run (ms) %s (%s %s)%n", label,
                monitored ? "on" : "off", rate, samples, run.sampleCpuUs(), processMs, run.windowS(), windowSamples,
                roundMap(run.windowMs()), roundMap(threadMs), r.outcome().decision().verdict(),
                r.outcome().decision().reason());
        return r.outcome().decision().verdict() == Verdict.PASSED && rate > 0 ? run : null;
    }

    /** The monitor's samples read in [from, to] of run time: points of cpu0's nr_running series, one per sample. */
    private static long samplesBetween(Archive archive, long runId, long from, long to) {
        if (from < 0 || to < 0) return 0;
        return archive.events().after(runId, Set.of(Lane.STATS), 0, 1_000_000).events().stream()
                .filter(e -> e.kind().equals(MonitorSeries.kindOf("cpu0/nr_running")))
                .filter(e -> e.atNanos() >= from && e.atNanos() <= to).count();
    }

    /** The monitor's summary event ("live monitor: N samples (X ms each on average, Y µs of CPU each)"), or null. */
    private static Matcher summary(Archive archive, long runId) {
        for (RunEvent e : archive.events().after(runId, Set.of(Lane.HARNESS), 0, 100_000).events()) {
            Matcher m = SUMMARY.matcher(e.text());
            if (e.kind().equals("monitor") && m.find()) return m;
        }
        return null;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        List<Double> s = xs.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String round(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).collect(Collectors.joining(",", "[", "]"));
    }

    private static String roundMap(Map<String, Double> m) {
        return m.entrySet().stream().filter(e -> e.getValue() >= 0.5)
                .map(e -> String.format(Locale.ROOT, "%s=%.0f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** {"family": [per pair, ...], ...} as JSON. */
    private static String perFamily(Map<String, List<Double>> m) {
        return m.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + round(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** {"family": median, ...} as JSON, families whose median is at least 1 µs either way. */
    private static String medians(Map<String, List<Double>> m) {
        return m.entrySet().stream().filter(e -> Math.abs(median(e.getValue())) >= 1)
                .map(e -> String.format(Locale.ROOT, "\"%s\":%.1f", e.getKey(), median(e.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String round4(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.4f", x)).collect(Collectors.joining(",", "[", "]"));
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
