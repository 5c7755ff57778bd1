package dev.freezeframe.coordinator.metrics;

import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.coordinator.wire.WorkerRole;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the agent's raw per-worker samples of one step into {@link WorkloadMetric}s, per group of workers with the same
 * role: rates and shares are normalised by the step's measured length so steps of different lengths compare.
 */
public final class StepMetrics {
    private StepMetrics() {
    }

    public static List<WorkloadMetric> of(String stepName, WireMessage.WorkloadMetrics m) {
        List<WorkloadMetric> out = new ArrayList<>();
        double seconds = m.elapsedNs() / 1e9;
        if (seconds <= 0) return out;
        Map<WorkerRole, List<WireMessage.WorkerSample>> byRole = new EnumMap<>(WorkerRole.class);
        for (WireMessage.WorkerSample w : m.workers()) byRole.computeIfAbsent(w.role(), r -> new ArrayList<>()).add(w);
        byRole.forEach((role, workers) -> {
            String group = role.label();
            int n = workers.size();
            long iterations = 0, onCpu = 0, runDelay = 0, slices = 0, migrations = 0, switches = 0, preemptions = 0;
            long escapes = 0, minCpu = Long.MAX_VALUE, maxCpu = 0;
            for (WireMessage.WorkerSample w : workers) {
                iterations += w.iterations();
                onCpu += w.onCpuNs();
                runDelay += w.runDelayNs();
                slices += w.timeslices();
                migrations += w.migrations();
                switches += w.voluntarySwitches() + w.involuntarySwitches();
                preemptions += w.involuntarySwitches();
                escapes += w.cpusetEscapes();
                minCpu = Math.min(minCpu, w.onCpuNs());
                maxCpu = Math.max(maxCpu, w.onCpuNs());
            }
            add(out, m.stepIndex(), stepName, group, MetricName.ITERATIONS, iterations);
            add(out, m.stepIndex(), stepName, group, MetricName.RATE, iterations / seconds);
            add(out, m.stepIndex(), stepName, group, MetricName.ON_CPU, 100.0 * onCpu / n / m.elapsedNs());
            add(out, m.stepIndex(), stepName, group, MetricName.RUN_DELAY, 100.0 * runDelay / n / m.elapsedNs());
            if (slices > 0) add(out, m.stepIndex(), stepName, group, MetricName.WAIT_PER_SLICE, runDelay / 1e3 / slices);
            add(out, m.stepIndex(), stepName, group, MetricName.MIGRATIONS, migrations / seconds);
            add(out, m.stepIndex(), stepName, group, MetricName.SWITCHES, switches / seconds);
            add(out, m.stepIndex(), stepName, group, MetricName.PREEMPTIONS, preemptions / seconds);
            add(out, m.stepIndex(), stepName, group, MetricName.CPUSET_ESCAPES, escapes);
            if (n >= 2 && onCpu > 0) {
                add(out, m.stepIndex(), stepName, group, MetricName.SPREAD, 100.0 * (maxCpu - minCpu) / ((double) onCpu / n));
            }
        });
        for (WireMessage.LatencySummary l : m.latencies()) {
            String group = WorkerRole.LATENCY.label();
            add(out, m.stepIndex(), stepName, group, MetricName.WAKE_SAMPLES, l.samples());
            if (l.samples() == 0) continue;
            add(out, m.stepIndex(), stepName, group, MetricName.WAKE_P50, l.p50Ns() / 1e3);
            add(out, m.stepIndex(), stepName, group, MetricName.WAKE_P90, l.p90Ns() / 1e3);
            add(out, m.stepIndex(), stepName, group, MetricName.WAKE_P99, l.p99Ns() / 1e3);
            add(out, m.stepIndex(), stepName, group, MetricName.WAKE_MAX, l.maxNs() / 1e3);
        }
        return out;
    }

    private static void add(List<WorkloadMetric> out, int step, String stepName, String group, MetricName name,
                            double value) {
        out.add(new WorkloadMetric(step, stepName, group, name, value));
    }
}
