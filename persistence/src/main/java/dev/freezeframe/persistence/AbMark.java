package dev.freezeframe.persistence;

import java.util.Objects;

/**
 * A run marked as one side of the Runs browser's "Compare A vs B" ({@code ab_marks}).
 *
 * @param runId the run
 * @param side  A (the baseline) or B
 */
public record AbMark(long runId, Side side) {
    public enum Side { A, B }

    public AbMark {
        Objects.requireNonNull(side, "side");
    }
}
