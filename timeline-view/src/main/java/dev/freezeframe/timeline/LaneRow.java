package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;

/**
 * One row of the timeline: a group header or a lane. {@code y} is its top in lane coordinates (before scrolling).
 *
 * @param lane       the archive lane it shows, or null for a group header
 * @param slot       the watch slot of a watch row (1..3), else 0
 * @param seriesKind the STATS kind of a series row, else null
 */
record LaneRow(Kind kind, String group, String label, Lane lane, int slot, String seriesKind, double y, double height) {
    enum Kind { GROUP, STEPS, LIFECYCLE, BRANCHES, SNAPSHOTS, WATCH, DENSITY, SERIES }

    double bottom() {
        return y + height;
    }

    boolean isGroup() {
        return kind == Kind.GROUP;
    }
}
