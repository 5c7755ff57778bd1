package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.Lane;
import java.util.Objects;

/**
 * An event the fold wants on the run's stream; {@link RunLoop} stamps it with its sequence number and time.
 *
 * @param atNs run time to stamp it with when it happened before the loop saw it (a freeze's exact start), or
 *             {@link #NOW} for the time the loop folds it
 */
public record EventDraft(Lane lane, String kind, String text, Double value, String detailJson, long atNs) {
    public static final long NOW = -1;

    public EventDraft {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(kind, "kind");
        text = text == null ? "" : text;
        if (atNs < NOW) throw new IllegalArgumentException("atNs must be >= 0 or NOW: " + atNs);
    }

    public EventDraft(Lane lane, String kind, String text, Double value, String detailJson) {
        this(lane, kind, text, value, detailJson, NOW);
    }

    public static EventDraft of(Lane lane, String kind, String text) {
        return new EventDraft(lane, kind, text, null, null);
    }
}
