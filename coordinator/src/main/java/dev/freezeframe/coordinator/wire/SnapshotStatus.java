package dev.freezeframe.coordinator.wire;

import java.util.Optional;

/** How the host answered a snapshot request ({@link MessageType#SNAPSHOT_REPLY}). Mirrors {@code FFWIRE_SNAPSHOT_STATUS_*}. */
public enum SnapshotStatus {
    /** The snapshot was captured. */
    TAKEN(0),
    /** The host declined (e.g. a capture already in progress). */
    REFUSED(1),
    /** The capture was attempted and failed. */
    FAILED(2);

    private final int code;

    SnapshotStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<SnapshotStatus> fromCode(int code) {
        for (SnapshotStatus s : values()) if (s.code == code) return Optional.of(s);
        return Optional.empty();
    }
}
