package dev.freezeframe.snapshots.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a numeric leaf lives in the archive's field index: the map name and the path the index writes
 * ({@code qa.nr_enqueued}, {@code [3].weight}). A per-CPU leaf is one index path per CPU: {@code prefix@cpuN rest}
 * ({@code [0]@cpu1.cnt}).
 */
public record FieldRef(String map, String prefix, String rest, int cpus) {
    /** A plain (not per-CPU) field. */
    public static FieldRef plain(String map, String path) {
        return new FieldRef(map, path, "", 0);
    }

    public boolean perCpu() {
        return cpus > 0;
    }

    /** The index path of a plain field (or of CPU 0). */
    public String path() {
        return perCpu() ? cpuPath(0) : prefix;
    }

    public String cpuPath(int cpu) {
        return prefix + "@cpu" + cpu + rest;
    }

    /** Every index path this field reads (one per CPU for a per-CPU field). */
    public List<String> paths() {
        if (!perCpu()) return List.of(prefix);
        List<String> all = new ArrayList<>(cpus);
        for (int i = 0; i < cpus; i++) all.add(cpuPath(i));
        return all;
    }

    /** How the user names it ({@code scx_qmap.bss:nr_enqueued}). */
    public String label() {
        return map + ":" + (perCpu() ? prefix + "@cpu*" + rest : prefix);
    }
}
