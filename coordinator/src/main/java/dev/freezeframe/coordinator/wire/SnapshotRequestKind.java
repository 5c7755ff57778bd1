package dev.freezeframe.coordinator.wire;

import java.util.Optional;

/** What a {@link MessageType#SNAPSHOT_REQUEST} asks for. Codes mirror {@code FFWIRE_SNAPSHOT_KIND_*}. */
public enum SnapshotRequestKind {
    /** Freeze the guest and capture a snapshot now (a scenario step's capture action). */
    CAPTURE(1);

    private final int code;

    SnapshotRequestKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<SnapshotRequestKind> fromCode(int code) {
        for (SnapshotRequestKind k : values()) if (k.code == code) return Optional.of(k);
        return Optional.empty();
    }
}
