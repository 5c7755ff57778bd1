package dev.freezeframe.coordinator.scenario;

import java.util.List;
import java.util.Optional;

/**
 * A workload scenario: named steps the guest agent runs in order while the scheduler is loaded. The JSON form is
 * documented in {@code docs/scenarios.md}.
 *
 * @param schema      format version ({@link ScenarioLoader#SCHEMA_VERSION})
 * @param name        short name (a built-in's name, or the file's)
 * @param description one sentence for people
 * @param cgroups     schema 2: cgroup v2 groups created before the first step (may be empty)
 * @param steps       at least one
 * @param expect      assertions on the measured workload metrics (may be empty)
 */
public record Scenario(int schema, String name, String description, List<CgroupSpec> cgroups, List<Step> steps,
                       List<Expectation> expect) {
    public Scenario {
        description = description == null ? "" : description;
        cgroups = cgroups == null ? List.of() : List.copyOf(cgroups);
        steps = steps == null ? List.of() : List.copyOf(steps);
        expect = expect == null ? List.of() : List.copyOf(expect);
    }

    public Scenario(int schema, String name, String description, List<Step> steps, List<Expectation> expect) {
        this(schema, name, description, List.of(), steps, expect);
    }

    public Scenario(int schema, String name, String description, List<Step> steps) {
        this(schema, name, description, List.of(), steps, List.of());
    }

    public long totalDurationMs() {
        return steps.stream().mapToLong(Step::durationMs).sum();
    }

    public Optional<CgroupSpec> cgroup(String cgroupName) {
        return cgroups.stream().filter(c -> c.name().equals(cgroupName)).findFirst();
    }

    /** A cgroup's number in the plan and on the wire: 1.. in declaration order; 0 = no cgroup. */
    public int cgroupIndex(String cgroupName) {
        if (cgroupName == null) return 0;
        for (int i = 0; i < cgroups.size(); i++) if (cgroups.get(i).name().equals(cgroupName)) return i + 1;
        return 0;
    }

    /** The {@code swap_scheduler} actions in step order, with the name of the step each starts. */
    public List<Swap> swaps() {
        List<Swap> swaps = new java.util.ArrayList<>();
        for (Step s : steps) {
            for (StepAction a : s.actions()) {
                if (a.swapScheduler() != null) swaps.add(new Swap(s.name(), a.swapScheduler(), a.argsOrEmpty()));
            }
        }
        return swaps;
    }

    /** A scheduler swap: at the start of {@code step}, the running scheduler makes way for {@code scheduler}. */
    public record Swap(String step, String scheduler, List<String> args) {
    }

    /** The names of the included files the scenario's exec workloads run. */
    public java.util.Set<String> execPaths() {
        java.util.Set<String> paths = new java.util.LinkedHashSet<>();
        for (Step s : steps) {
            for (Workload w : s.allWorkloads()) if (w.kind() == Workload.Kind.EXEC && w.path() != null) paths.add(w.path());
        }
        return paths;
    }

    /** The highest CPU any cpuset or affinity mask names, or -1: checked against the guest's vCPUs before boot. */
    public int highestCpuNamed() {
        int highest = -1;
        for (CgroupSpec c : cgroups) if (c.cpusetCpus() != null) highest = Math.max(highest, CpuList.highest(c.cpusetCpus()));
        for (Step s : steps) {
            for (Workload w : s.allWorkloads()) if (w.cpus() != null) highest = Math.max(highest, CpuList.highest(w.cpus()));
            for (StepAction a : s.actions()) {
                if (a.cpusetCpus() != null) highest = Math.max(highest, CpuList.highest(a.cpusetCpus()));
            }
        }
        return highest;
    }
}
