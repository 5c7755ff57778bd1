package dev.freezeframe.coordinator.introspect.kernel;

import java.util.List;
import java.util.Optional;

/**
 * What a bounded walk found: the {@code items} in walk order (also those found before a failure), {@code truncated}
 * when a {@link WalkBudget} bound stopped it, and {@code unavailable}: why it could not be completed (null when it was).
 */
public record Walk<T>(List<T> items, boolean truncated, String unavailable) {
    public Walk {
        items = List.copyOf(items);
    }

    public boolean complete() {
        return unavailable == null && !truncated;
    }

    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailable);
    }
}
