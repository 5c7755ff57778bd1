package dev.freezeframe.coordinator.metrics;

import dev.freezeframe.coordinator.scenario.CgroupSpec;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.Step;
import dev.freezeframe.coordinator.scenario.StepAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host needs to name and judge a step's worker groups: the scenario's cgroups by their wire number (a worker
 * sample's {@code group}, 1.. in declaration order), their parents, and each cgroup's {@code cpu.weight} during each
 * step (following the scenario's weight actions). A step whose weights change, or whose workers move, while it runs
 * has no single weight to hold its CPU shares against.
 */
public final class GroupLayout {
    /** No cgroups: every worker is grouped by its kind, as in schema 1. */
    public static final GroupLayout NONE = new GroupLayout(List.of(), Map.of(), Map.of());

    private final List<CgroupSpec> cgroups;
    private final Map<Integer, int[]> weightsByStep;
    private final Map<Integer, Boolean> steadyByStep;

    private GroupLayout(List<CgroupSpec> cgroups, Map<Integer, int[]> weightsByStep, Map<Integer, Boolean> steady) {
        this.cgroups = List.copyOf(cgroups);
        this.weightsByStep = weightsByStep;
        this.steadyByStep = steady;
    }

    public static GroupLayout of(Scenario scenario) {
        if (scenario.cgroups().isEmpty()) return NONE;
        int[] weights = scenario.cgroups().stream()
                .mapToInt(c -> c.cpuWeight() == null ? CgroupSpec.DEFAULT_WEIGHT : c.cpuWeight()).toArray();
        Map<Integer, int[]> byStep = new HashMap<>();
        Map<Integer, Boolean> steady = new HashMap<>();
        for (int s = 0; s < scenario.steps().size(); s++) {
            Step step = scenario.steps().get(s);
            boolean stable = true;
            List<StepAction> later = new ArrayList<>();
            for (StepAction a : step.actions()) {
                if (a.atMsOrZero() > 0) {
                    later.add(a);
                } else if (a.cgroup() != null && a.cpuWeight() != null) {
                    weights[scenario.cgroupIndex(a.cgroup()) - 1] = a.cpuWeight();
                }
            }
            byStep.put(s + 1, weights.clone());
            for (StepAction a : later) {
                if (a.move() != null) stable = false;
                if (a.cgroup() != null && a.cpuWeight() != null) {
                    weights[scenario.cgroupIndex(a.cgroup()) - 1] = a.cpuWeight();
                    stable = false;
                }
            }
            steady.put(s + 1, stable);
        }
        return new GroupLayout(scenario.cgroups(), byStep, steady);
    }

    /** The metric group of a worker sample's cgroup number, or null for 0 (group it by its kind). */
    public String cgroupName(int wireGroup) {
        return wireGroup >= 1 && wireGroup <= cgroups.size() ? cgroups.get(wireGroup - 1).name() : null;
    }

    /** The cgroup's parent's name, or "" at the top: only siblings compete by weight. */
    String parentOf(String cgroupName) {
        return cgroups.stream().filter(c -> c.name().equals(cgroupName)).findFirst()
                .map(c -> c.parent() == null ? "" : c.parent()).orElse("");
    }

    /** The cgroup's weight during the step, if it held one weight throughout. */
    java.util.OptionalInt steadyWeight(int stepIndex, String cgroupName) {
        int[] weights = weightsByStep.get(stepIndex);
        if (weights == null || !steadyByStep.getOrDefault(stepIndex, false)) return java.util.OptionalInt.empty();
        for (int i = 0; i < cgroups.size(); i++) {
            if (cgroups.get(i).name().equals(cgroupName)) return java.util.OptionalInt.of(weights[i]);
        }
        return java.util.OptionalInt.empty();
    }
}
