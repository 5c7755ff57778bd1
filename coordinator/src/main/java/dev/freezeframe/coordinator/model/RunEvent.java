package dev.freezeframe.coordinator.model;

import java.util.Objects;

/**
 * One entry of a run's ordered event stream.
 *
 * @param seq        position in the run's stream, strictly increasing from 0
 * @param atNanos    time since the run started (host monotonic clock)
 * @param lane       timeline lane
 * @param kind       what happened, a short machine name within the lane (e.g. {@code step}, {@code line}, {@code hit})
 * @param text       human-readable text (a console line, a reason); never null, may be empty
 * @param value      numeric value for series lanes, or {@code null}
 * @param detailJson structured detail as a JSON object text, or {@code null}
 */
public record RunEvent(long seq, long atNanos, Lane lane, String kind, String text, Double value, String detailJson) {
    public RunEvent {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(kind, "kind");
        text = text == null ? "" : text;
        if (seq < 0) throw new IllegalArgumentException("seq must be >= 0: " + seq);
    }

    public static RunEvent of(long seq, long atNanos, Lane lane, String kind, String text) {
        return new RunEvent(seq, atNanos, lane, kind, text, null, null);
    }
}
