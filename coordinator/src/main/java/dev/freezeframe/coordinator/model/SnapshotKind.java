package dev.freezeframe.coordinator.model;

import java.util.Arrays;

/** Why a snapshot was captured. The wire names are stored in the archive. */
public enum SnapshotKind {
    /** One of the periodic captures spread over the workload window (tags {@code periodic_NNN}). */
    PERIODIC("periodic"),
    /** Requested by the user or by a scenario step. */
    REQUESTED("requested"),
    /** Captured when the scheduler exited with an error-class exit kind. */
    ERROR("error"),
    /** Captured on a watchpoint hit (tagged with the symbol). */
    WATCH("watch");

    private final String wireName;

    SnapshotKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static SnapshotKind fromWireName(String name) {
        return Arrays.stream(values())
                .filter(k -> k.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown snapshot kind '" + name + "'"));
    }
}
