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
}
