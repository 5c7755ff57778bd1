package dev.freezeframe.snapshots.view;

import dev.freezeframe.persistence.SnapshotInfo;

/** Kind glyphs that differ in shape, not only colour: ◆ periodic, ■ requested, ▲ watch, ✖ error, ◌ unavailable. */
final class SnapshotGlyphs {
    private SnapshotGlyphs() {
    }

    static String of(SnapshotInfo s) {
        if (s.placeholder()) return "◌";
        return switch (s.kind()) {
            case PERIODIC -> "◆";
            case REQUESTED -> "■";
            case WATCH -> "▲";
            case ERROR -> "✖";
        };
    }
}
