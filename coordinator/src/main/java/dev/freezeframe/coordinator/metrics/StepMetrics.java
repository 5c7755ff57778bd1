package dev.freezeframe.coordinator.metrics;

import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.coordinator.wire.WorkerRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        return of(stepName, m, GroupLayout.NONE);
    }

    /** Workers placed in a cgroup are grouped by the cgroup's name, the others by their kind. */
    public static List<WorkloadMetric> of(String stepName, WireMessage.WorkloadMetrics m, GroupLayout layout) {
        List<WorkloadMetric> out = new ArrayList<>();
        double seconds = m.elapsedNs() / 1e9;
        if (seconds <= 0) return out;
        Map<String, List<WireMessage.WorkerSample>> byGroup = new LinkedHashMap<>();
        for (WireMessage.WorkerSample w : m.workers()) {
            String cgroup = layout.cgroupName(w.group());
            byGroup.computeIfAbsent(cgroup != null ? cgroup : w.role().label(), g -> new ArrayList<>()).add(w);
        }
        Map<String, Long> cgroupCpu = new LinkedHashMap<>();
        byGroup.forEach((group, workers) -> {
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
            if (layout.cgroupName(workers.get(0).group()) != null) cgroupCpu.put(group, onCpu);
            if (n >= 2 && onCpu > 0) {
                add(out, m.stepIndex(), stepName, group, MetricName.SPREAD, 100.0 * (maxCpu - minCpu) / ((double) onCpu / n));
            }
        });
        addWeightAdherence(out, m.stepIndex(), stepName, cgroupCpu, layout);
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

    /**
     * Per busy cgroup: its share of the CPU time its busy siblings got, the share its weight entitles it to, and how far
     * apart the two are. Weights only divide CPU time among siblings that all want more than they get, so this is
     * meaningful when the step saturates the CPUs the siblings share.
     */
    private static void addWeightAdherence(List<WorkloadMetric> out, int step, String stepName,
                                           Map<String, Long> cgroupCpu, GroupLayout layout) {
        Map<String, List<String>> byParent = new LinkedHashMap<>();
        cgroupCpu.keySet().forEach(g -> byParent.computeIfAbsent(layout.parentOf(g), p -> new ArrayList<>()).add(g));
        for (List<String> siblings : byParent.values()) {
            if (siblings.size() < 2) continue;
            double cpuTotal = siblings.stream().mapToLong(cgroupCpu::get).sum();
            if (cpuTotal <= 0) continue;
            boolean weighted = siblings.stream().allMatch(g -> layout.steadyWeight(step, g).isPresent());
            double weightTotal = weighted ? siblings.stream().mapToInt(g -> layout.steadyWeight(step, g).getAsInt()).sum() : 0;
            for (String g : siblings) {
                double share = 100.0 * cgroupCpu.get(g) / cpuTotal;
                add(out, step, stepName, g, MetricName.CPU_SHARE, share);
                if (!weighted) continue;
                double entitled = 100.0 * layout.steadyWeight(step, g).getAsInt() / weightTotal;
                add(out, step, stepName, g, MetricName.WEIGHT_SHARE, entitled);
                add(out, step, stepName, g, MetricName.WEIGHT_ERROR, 100.0 * Math.abs(share - entitled) / entitled);
            }
        }
    }

    private static void add(List<WorkloadMetric> out, int step, String stepName, String group, MetricName name,
                            double value) {
        out.add(new WorkloadMetric(step, stepName, group, name, value));
    }
}
