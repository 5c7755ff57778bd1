package dev.freezeframe.coordinator.introspect.bpf;

import dev.freezeframe.coordinator.introspect.btf.ValueRenderer;
import dev.freezeframe.coordinator.introspect.kernel.WalkBudget;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Caps for reading maps: {@code maxEntriesPerMap} entries per map (then {@code truncated}), {@code maxMaps} maps, the
 * walk budget for {@code map_idr} and hash chains, value rendering limits, and the number of possible CPUs for per-CPU
 * maps (empty: the {@code nr_cpu_ids} symbol is read when known, else per-CPU values are unavailable).
 */
public record MapReadOptions(int maxEntriesPerMap, int maxMaps, WalkBudget walkBudget, ValueRenderer.Limits limits,
        OptionalInt cpus) {
    public static final MapReadOptions DEFAULT = new MapReadOptions(256, 1024, WalkBudget.DEFAULT,
            ValueRenderer.Limits.DEFAULT, OptionalInt.empty());

    public MapReadOptions {
        Objects.requireNonNull(walkBudget, "walkBudget");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(cpus, "cpus");
        if (maxEntriesPerMap < 0 || maxMaps < 0) {
            throw new IllegalArgumentException("caps must not be negative");
        }
    }

    public MapReadOptions withCpus(int n) {
        return new MapReadOptions(maxEntriesPerMap, maxMaps, walkBudget, limits, OptionalInt.of(n));
    }

    public MapReadOptions withMaxEntriesPerMap(int n) {
        return new MapReadOptions(n, maxMaps, walkBudget, limits, cpus);
    }
}
