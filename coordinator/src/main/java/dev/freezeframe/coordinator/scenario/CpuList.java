package dev.freezeframe.coordinator.scenario;

import java.util.Optional;

/** A kernel CPU list ({@code "0-2,5"}), as cpusets and affinity masks are written, for CPUs 0 to 63. */
public final class CpuList {
    public static final int MAX_CPU = 63;

    private CpuList() {
    }

    /** The mask of a CPU list (bit N = CPU N), or empty when it is not one ("a-b" ranges need a <= b). */
    public static Optional<Long> mask(String list) {
        if (list == null || list.isEmpty() || !list.matches("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*")) {
            return Optional.empty();
        }
        long mask = 0;
        for (String part : list.split(",")) {
            String[] ends = part.split("-");
            if (ends[0].length() > 2 || ends[ends.length - 1].length() > 2) return Optional.empty();
            int from = Integer.parseInt(ends[0]);
            int to = Integer.parseInt(ends[ends.length - 1]);
            if (from > to || to > MAX_CPU) return Optional.empty();
            for (int cpu = from; cpu <= to; cpu++) mask |= 1L << cpu;
        }
        return Optional.of(mask);
    }

    /** The highest CPU a list names. */
    public static int highest(String list) {
        return 63 - Long.numberOfLeadingZeros(mask(list).orElseThrow());
    }
}
