package dev.freezeframe.coordinator.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A cgroup v2 group the agent creates under {@code /sys/fs/cgroup/ff/} before the first step (schema 2). Workloads are
 * placed in it by name; actions can change its settings between and during steps.
 *
 * @param name       1-48 of {@code A-Z a-z 0-9 _ . -}, unique; the metric group of the workers placed in it
 * @param parent     another cgroup of the scenario (declared before this one), or null for the top of the tree
 * @param cpuWeight  {@code cpu.weight}, 1-10000 (null: the kernel's default, 100)
 * @param cpuMax     {@code cpu.max}: {@code "max"} or {@code "QUOTA PERIOD"} in microseconds (null: unlimited)
 * @param cpusetCpus {@code cpuset.cpus}, a CPU list such as {@code "0-1"} (null: the parent's CPUs)
 */
public record CgroupSpec(String name, String parent, @JsonProperty("cpu_weight") Integer cpuWeight,
                         @JsonProperty("cpu_max") String cpuMax, @JsonProperty("cpuset_cpus") String cpusetCpus) {
    public static final int DEFAULT_WEIGHT = 100;
}
