package dev.freezeframe.timeline;

import dev.freezeframe.coordinator.model.Lane;
import java.util.Objects;
import java.util.Set;

/** What is selected in a run tab: nothing, one event, one snapshot, a time area, or one console line. */
public sealed interface TimelineSelection {
    /** Nothing selected. */
    record None() implements TimelineSelection {
    }

    /** One event of the run, by its seq. */
    record Event(long seq, long atNs, Lane lane) implements TimelineSelection {
        public Event {
            Objects.requireNonNull(lane, "lane");
        }
    }

    /** One snapshot, by its archive id. */
    record Snapshot(long snapshotId, String tag, long atNs) implements TimelineSelection {
        public Snapshot {
            Objects.requireNonNull(tag, "tag");
        }
    }

    /** A range of time over some lanes (all lanes when {@code lanes} is empty). */
    record Area(long fromNs, long toNs, Set<Lane> lanes) implements TimelineSelection {
        public Area {
            if (toNs < fromNs) throw new IllegalArgumentException("area ends before it starts");
            lanes = Set.copyOf(lanes);
        }
    }

    /** One console line (an event of the console lane), by its seq. */
    record ConsoleLine(long seq, long atNs) implements TimelineSelection {
    }

    TimelineSelection NONE = new None();
}
