package dev.freezeframe.app.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema 2 scenarios on the real guest kit under scx_simple: cgroups with weights and cpusets, workers placed in them,
 * nice levels, a SCHED_FIFO hog, the new work kinds, and the per-cgroup metrics (CPU share against weight, cpuset
 * escapes) they produce.
 */
class ScenarioCgroupsIT {
    /** How far a cgroup's CPU share may be from its weight's share, relative to it, for "in proportion" (30 %). */
    private static final double WEIGHT_TOLERANCE_PCT = 30;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKit() {
        GuestKitForTests.require();
    }

    /** A run's result and its metrics by {@code step/group/metric}. */
    private record Run(int exit, JsonNode result, String err) {
        Map<String, Double> metrics() {
            return GuestCli.metrics(result);
        }
    }

    private Run run(String scenario) throws Exception {
        GuestCli cli = GuestCli.run(dir, "run", "--scheduler", "scx_simple", "--scenario", scenario, "--vcpus", "2",
                "--json");
        System.out.println(cli.err()); // the run's progress, in the failsafe report
        return new Run(cli.exit(), cli.lastJson(), cli.err());
    }

    /**
     * scx_simple's vtime orders tasks by their own weight (nice) and knows nothing of cgroups: with cpu.weight 100 and
     * 300 alone the two cgroups split the CPUs evenly (the metric says the weights were not honoured), and with the
     * heavier cgroup's workers at nice -5 (task weight about 3x) the split follows 25/75 within the tolerance.
     */
    @Test
    void cgroupCpuSharesAreHeldAgainstTheirWeights() throws Exception {
        Run run = run("weights");

        assertEquals(0, run.exit(), run.err());
        Map<String, Double> m = run.metrics();
        assertEquals(25.0, m.get("task-weights/low/weight_share_pct"), 1e-9, m.toString());
        assertEquals(75.0, m.get("task-weights/high/weight_share_pct"), 1e-9, m.toString());
        for (String group : List.of("low", "high")) {
            assertTrue(m.get("task-weights/" + group + "/weight_error_pct") < WEIGHT_TOLERANCE_PCT,
                    "task weights in proportion: " + m);
            assertTrue(m.get("task-weights/" + group + "/rate") > 0, m.toString());
        }
        double highRatePerLow = m.get("task-weights/high/rate") / m.get("task-weights/low/rate");
        assertTrue(highRatePerLow > 2 && highRatePerLow < 4.5, "work done follows the 3:1 weights: " + highRatePerLow);
        assertTrue(m.get("cgroup-weights/low/weight_error_pct") > 50,
                "scx_simple ignores cpu.weight, and the metric shows it: " + m);

        GuestCli show = GuestCli.run(dir, "runs", "show", run.result().get("run_id").asText());
        assertTrue(show.out().contains("weight_error_pct") && show.out().contains("high"), show.out());
    }

    /**
     * Workers pinned by cpusets, a noisy neighbour, both cpusets swapped while a step runs, then the pinned workers
     * moved into the noisy cgroup while one runs: no escapes throughout.
     */
    @Test
    void cpusetPinnedWorkersNeverRunOutsideTheirCpusets() throws Exception {
        Run run = run("isolation");

        assertEquals(0, run.exit(), run.err());
        assertEquals("passed", run.result().get("verdict").asText(), "the scenario expects no escapes");
        Map<String, Double> m = run.metrics();
        for (String key : List.of("isolated/pinned", "isolated/noisy", "swap/pinned", "swap/noisy", "merge/pinned",
                "merge/noisy")) {
            assertEquals(0.0, m.get(key + "/cpuset_escapes"), m.toString());
            assertTrue(m.get(key + "/rate") > 0, m.toString());
        }
        double p50 = m.get("isolated/latency/wake_p50_us"), p99 = m.get("isolated/latency/wake_p99_us");
        assertTrue(0 < p50 && p50 <= p99, "the pinned probe's distribution: " + m);
    }

    /** A SCHED_FIFO hog pinned to CPU 0 takes nearly all of it; the probe keeps reporting a distribution. */
    @Test
    void aRealTimeHogRunsAsRealTimeBesideTheProbe() throws Exception {
        Run run = run("rt-hog");

        assertEquals(0, run.exit(), run.err());
        Map<String, Double> m = run.metrics();
        assertTrue(m.get("hog/hog/on_cpu_pct") > 50, "the FIFO hog owns CPU 0: " + m);
        for (String step : List.of("baseline", "hog")) {
            double p50 = m.get(step + "/latency/wake_p50_us"), p90 = m.get(step + "/latency/wake_p90_us");
            double p99 = m.get(step + "/latency/wake_p99_us"), max = m.get(step + "/latency/wake_max_us");
            assertTrue(m.get(step + "/latency/wake_samples") > 10 && 0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max,
                    m.toString());
        }
    }

    /** Every schema 2 work kind does work, alone and all together (with policies and nice levels). */
    @Test
    void everyNewWorkKindDoesWork() throws Exception {
        Run run = run("kinds");

        assertEquals(0, run.exit(), run.err());
        Map<String, Double> m = run.metrics();
        for (String kind : List.of("futex", "yield", "bursty", "memory", "threads")) {
            assertTrue(m.get(kind + "/" + kind + "/rate") > 0, kind + ": " + m);
            assertTrue(m.get("all/" + kind + "/rate") > 0, kind + " among the others: " + m);
        }
    }
}
