package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.Lane;
import java.util.Objects;

/** An event the fold wants on the run's stream; {@link RunLoop} stamps it with its sequence number and time. */
public record EventDraft(Lane lane, String kind, String text, Double value, String detailJson) {
    public EventDraft {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(kind, "kind");
        text = text == null ? "" : text;
    }

    public static EventDraft of(Lane lane, String kind, String text) {
        return new EventDraft(lane, kind, text, null, null);
    }
}
