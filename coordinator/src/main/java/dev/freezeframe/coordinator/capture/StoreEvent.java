package dev.freezeframe.coordinator.capture;

/**
 * Something the {@link SnapshotStore} did to its own contents. Nothing is dropped silently: every eviction, overwrite
 * and failed capture leaves one of these, and a truncated event log says how much it lost.
 */
public sealed interface StoreEvent {
    /** One sentence for the run's timeline. */
    String describe();

    /** The capture for {@code tag} produced nothing; a placeholder carrying {@code reason} was stored instead. */
    record CaptureUnavailable(String tag, String reason) implements StoreEvent {
        @Override
        public String describe() {
            return "snapshot '" + tag + "' unavailable: " + reason;
        }
    }

    /** A second snapshot with the same tag replaced the first (and moved to the back of the eviction order). */
    record Overwrite(String tag) implements StoreEvent {
        @Override
        public String describe() {
            return "snapshot '" + tag + "' replaced an earlier snapshot with the same tag";
        }
    }

    /** The store was full: the oldest snapshot left memory to make room (the archive still has it). */
    record Eviction(String evictedTag, String newTag, int cap) implements StoreEvent {
        @Override
        public String describe() {
            return "snapshot '" + evictedTag + "' left the live store (cap " + cap + ") to make room for '" + newTag
                    + "'; the archive keeps it";
        }
    }

    /** The event log itself was full and dropped its oldest entries. */
    record EventLogTruncated(long droppedCount) implements StoreEvent {
        @Override
        public String describe() {
            return droppedCount + " older snapshot-store events were dropped from the live log";
        }
    }
}
