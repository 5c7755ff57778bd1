package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import java.util.Objects;
import java.util.Set;

/**
 * Which events of a run a filtered view shows: events of one of {@code lanes} (any lane when empty) whose kind is one of
 * {@code kinds} (any kind when empty) and whose text holds every word of {@code text} as the start of one of its words
 * (no condition when blank; see {@link RunQueries#search}).
 */
public record EventFilter(Set<Lane> lanes, Set<String> kinds, String text) {
    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), "");

    public EventFilter {
        lanes = Set.copyOf(Objects.requireNonNull(lanes, "lanes"));
        kinds = Set.copyOf(Objects.requireNonNull(kinds, "kinds"));
        text = text == null ? "" : text.strip();
    }

    /** True when the filter lets every event through. */
    public boolean isAll() {
        return lanes.isEmpty() && kinds.isEmpty() && text.isEmpty();
    }
}
