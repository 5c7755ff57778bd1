package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rows in display order — groups Run, Captures, Output, Stats with their lanes — and their heights (design: lanes
 * 22 px, series 44 px). A collapsed group shows its header only.
 */
final class LaneLayout {
    static final double GROUP_HEIGHT = 18;
    static final double LANE_HEIGHT = 22;
    static final double SERIES_HEIGHT = 44;

    static final String RUN = "Run";
    static final String CAPTURES = "Captures";
    static final String OUTPUT = "Output";
    static final String STATS = "Stats";

    private final List<LaneRow> rows;
    private final double height;

    private LaneLayout(List<LaneRow> rows, double height) {
        this.rows = List.copyOf(rows);
        this.height = height;
    }

    static LaneLayout of(TimelineItems items, Set<String> collapsed) {
        Builder b = new Builder(collapsed);
        b.group(RUN, RUN);
        b.lane(LaneRow.Kind.STEPS, "steps", Lane.STEPS, 0, null, LANE_HEIGHT);
        b.lane(LaneRow.Kind.LIFECYCLE, "lifecycle", Lane.LIFECYCLE, 0, null, LANE_HEIGHT);
        // forks are links between runs, not events of this one: no archive lane (an area drag does not count them)
        if (!items.branches().isEmpty()) b.lane(LaneRow.Kind.BRANCHES, "forks", null, 0, null, LANE_HEIGHT);
        b.group(CAPTURES, CAPTURES);
        b.lane(LaneRow.Kind.SNAPSHOTS, "snapshots", Lane.SNAPSHOTS, 0, null, LANE_HEIGHT);
        int maxSlot = 0;
        for (TimelineItems.WatchHit h : items.watchHits()) maxSlot = Math.max(maxSlot, h.slot());
        for (int s = 1; s <= Math.min(3, maxSlot); s++) {
            b.lane(LaneRow.Kind.WATCH, "watch " + circled(s), Lane.WATCHPOINTS, s, null, LANE_HEIGHT);
        }
        b.group(OUTPUT, OUTPUT);
        b.lane(LaneRow.Kind.DENSITY, "console", Lane.CONSOLE, 0, null, LANE_HEIGHT);
        b.lane(LaneRow.Kind.DENSITY, "scheduler", Lane.SCHEDULER, 0, null, LANE_HEIGHT);
        b.lane(LaneRow.Kind.DENSITY, "harness", Lane.HARNESS, 0, null, LANE_HEIGHT);
        if (!items.seriesKinds().isEmpty()) {
            b.group(STATS, STATS + " (" + items.seriesKinds().size() + ")");
            for (String kind : items.seriesKinds()) {
                b.lane(LaneRow.Kind.SERIES, kind, Lane.STATS, 0, kind, SERIES_HEIGHT);
            }
        }
        return new LaneLayout(b.rows, b.y);
    }

    static String circled(int slot) {
        return slot >= 1 && slot <= 9 ? String.valueOf((char) ('\u2460' + slot - 1)) : String.valueOf(slot);
    }

    List<LaneRow> rows() {
        return rows;
    }

    double height() {
        return height;
    }

    /** The row at lane coordinate {@code y}, or null below the last one. */
    LaneRow at(double y) {
        for (LaneRow r : rows) if (y >= r.y() && y < r.bottom()) return r;
        return null;
    }

    /** The first lane row of {@code kind} (and slot / series kind when given), or null. */
    LaneRow find(LaneRow.Kind kind, int slot, String seriesKind) {
        for (LaneRow r : rows) {
            if (r.kind() == kind && r.slot() == slot
                    && (seriesKind == null || seriesKind.equals(r.seriesKind()))) return r;
        }
        return null;
    }

    private static final class Builder {
        final Set<String> collapsed;
        final List<LaneRow> rows = new ArrayList<>();
        String group;
        double y;

        Builder(Set<String> collapsed) {
            this.collapsed = collapsed;
        }

        void group(String name, String label) {
            group = name;
            rows.add(new LaneRow(LaneRow.Kind.GROUP, name, label, null, 0, null, y, GROUP_HEIGHT));
            y += GROUP_HEIGHT;
        }

        void lane(LaneRow.Kind kind, String label, Lane lane, int slot, String seriesKind, double h) {
            if (collapsed.contains(group)) return;
            rows.add(new LaneRow(kind, group, label, lane, slot, seriesKind, y, h));
            y += h;
        }
    }
}
