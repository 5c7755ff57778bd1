package dev.freezeframe.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.coordinator.wire.WorkerRole;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StepMetricsTest {
    private static WireMessage.WorkerSample cpu(long iterations, long onCpuNs, long runDelayNs, long slices) {
        return new WireMessage.WorkerSample(WorkerRole.CPU, 0, iterations, onCpuNs, runDelayNs, slices, 1, 9, 4, 0);
    }

    private static Map<String, Double> byKey(List<WorkloadMetric> metrics) {
        return metrics.stream().collect(Collectors.toMap(WorkloadMetric::key, WorkloadMetric::value));
    }

    @Test
    void ratesAndSharesAreNormalisedByTheStepsLengthAndSpreadComparesEqualWorkers() {
        // two CPU workers over 2 s: one ran 1.5 s, the other 0.5 s
        var m = new WireMessage.WorkloadMetrics(3, 2_000_000_000L,
                List.of(cpu(3000, 1_500_000_000L, 500_000_000L, 100), cpu(1000, 500_000_000L, 1_500_000_000L, 100)),
                List.of());
        Map<String, Double> v = byKey(StepMetrics.of("load", m));
        assertEquals(4000.0, v.get("load/cpu/iterations"));
        assertEquals(2000.0, v.get("load/cpu/rate"));
        assertEquals(50.0, v.get("load/cpu/on_cpu_pct"));
        assertEquals(50.0, v.get("load/cpu/run_delay_pct"));
        assertEquals(10_000.0, v.get("load/cpu/wait_per_slice_us"));
        assertEquals(4.0, v.get("load/cpu/migrations_per_s"));
        assertEquals(10.0, v.get("load/cpu/switches_per_s"));
        assertEquals(9.0, v.get("load/cpu/preemptions_per_s"));
        assertEquals(100.0, v.get("load/cpu/spread_pct"), 1e-9); // (1.5 - 0.5) / 1.0
        assertEquals(0.0, v.get("load/cpu/cpuset_escapes"));
    }

    @Test
    void aSingleWorkerHasNoSpreadAndProbesWithoutSamplesHaveNoPercentiles() {
        var m = new WireMessage.WorkloadMetrics(1, 1_000_000_000L, List.of(cpu(10, 1, 0, 0)),
                List.of(new WireMessage.LatencySummary(0, 0, 0, 0, 0, 0)));
        Map<String, Double> v = byKey(StepMetrics.of("s", m));
        assertFalse(v.containsKey("s/cpu/spread_pct"));
        assertFalse(v.containsKey("s/cpu/wait_per_slice_us"), "no slices: no wait per slice");
        assertEquals(0.0, v.get("s/latency/wake_samples"));
        assertFalse(v.containsKey("s/latency/wake_p99_us"));
    }

    @Test
    void latencyPercentilesAreInMicroseconds() {
        var m = new WireMessage.WorkloadMetrics(1, 1_000_000_000L, List.of(),
                List.of(new WireMessage.LatencySummary(0, 1000, 20_000, 50_000, 90_000, 2_000_000)));
        Map<String, Double> v = byKey(StepMetrics.of("p", m));
        assertEquals(20.0, v.get("p/latency/wake_p50_us"));
        assertEquals(50.0, v.get("p/latency/wake_p90_us"));
        assertEquals(90.0, v.get("p/latency/wake_p99_us"));
        assertEquals(2000.0, v.get("p/latency/wake_max_us"));
    }

    private static WireMessage.WorkerSample placed(int cgroup, long onCpuNs, long escapes) {
        return new WireMessage.WorkerSample(WorkerRole.CPU, cgroup, onCpuNs / 1000, onCpuNs, 0, 10, 0, 1, 0, escapes);
    }

    @Test
    void workersInCgroupsAreGroupedByCgroupAndTheirCpuSharesAreHeldAgainstTheirWeights() {
        var scenario = dev.freezeframe.coordinator.scenario.ScenarioLoader.load("weights");
        GroupLayout layout = GroupLayout.of(scenario);
        // low (weight 100) got 1 s of CPU, high (weight 300) 3 s: exactly by weight
        var m = new WireMessage.WorkloadMetrics(1, 2_000_000_000L, List.of(placed(1, 500_000_000L, 0),
                placed(1, 500_000_000L, 0), placed(2, 1_500_000_000L, 2), placed(2, 1_500_000_000L, 0)), List.of());
        Map<String, Double> v = byKey(StepMetrics.of("cgroup-weights", m, layout));
        assertEquals(25.0, v.get("cgroup-weights/low/cpu_share_pct"), 1e-9);
        assertEquals(25.0, v.get("cgroup-weights/low/weight_share_pct"), 1e-9);
        assertEquals(0.0, v.get("cgroup-weights/low/weight_error_pct"), 1e-9);
        assertEquals(75.0, v.get("cgroup-weights/high/cpu_share_pct"), 1e-9);
        assertEquals(2.0, v.get("cgroup-weights/high/cpuset_escapes"));
        assertFalse(v.containsKey("cgroup-weights/cpu/rate"), "placed workers are not grouped by kind");

        // an even split where the weights ask for 25/75: low got twice its share
        var even = new WireMessage.WorkloadMetrics(1, 2_000_000_000L, List.of(placed(1, 1_000_000_000L, 0),
                placed(2, 1_000_000_000L, 0)), List.of());
        Map<String, Double> e = byKey(StepMetrics.of("cgroup-weights", even, layout));
        assertEquals(100.0, e.get("cgroup-weights/low/weight_error_pct"), 1e-9);
        assertEquals(100.0 / 3, e.get("cgroup-weights/high/weight_error_pct"), 1e-9);
    }

    @Test
    void aStepWhoseWeightsChangeWhileItRunsHasNoWeightToHoldSharesAgainst() {
        var scenario = dev.freezeframe.coordinator.scenario.ScenarioLoader.parse("""
                {"schema": 2, "name": "t", "cgroups": [{"name": "a"}, {"name": "b"}],
                 "steps": [{"name": "s", "duration_ms": 100, "actions": [{"cgroup": "a", "cpu_weight": 300, "at_ms": 50}],
                            "workloads": [{"kind": "cpu", "workers": 1, "cgroup": "a"},
                                          {"kind": "cpu", "workers": 1, "cgroup": "b"}]},
                           {"name": "t", "duration_ms": 100,
                            "workloads": [{"kind": "cpu", "workers": 1, "cgroup": "a"},
                                          {"kind": "cpu", "workers": 1, "cgroup": "b"}]}]}""", "t");
        GroupLayout layout = GroupLayout.of(scenario);
        var m = new WireMessage.WorkloadMetrics(1, 1_000_000_000L, List.of(placed(1, 600_000_000L, 0),
                placed(2, 400_000_000L, 0)), List.of());
        Map<String, Double> first = byKey(StepMetrics.of("s", m, layout));
        assertEquals(60.0, first.get("s/a/cpu_share_pct"), 1e-9);
        assertFalse(first.containsKey("s/a/weight_error_pct"));
        var m2 = new WireMessage.WorkloadMetrics(2, 1_000_000_000L, m.workers(), List.of());
        assertEquals(75.0, byKey(StepMetrics.of("t", m2, layout)).get("t/a/weight_share_pct"), 1e-9);
    }
}
