package dev.freezeframe.coordinator.wire;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link Dispatcher#dispatch} call made of a batch of frames.
 *
 * @param verdictEntries reports that passed the gates, in stream order
 * @param signals        things the coordinator must act on, in stream order
 * @param dropped        frames of this batch that were dropped, by reason
 */
public record DispatchOutcome(List<VerdictEntry> verdictEntries, List<ControlSignal> signals, DispatchCounts dropped) {
    public DispatchOutcome {
        verdictEntries = List.copyOf(verdictEntries);
        signals = List.copyOf(signals);
        Objects.requireNonNull(dropped, "dropped");
    }

    /** True when the batch produced no verdict entries, so the caller can skip publishing (T7 of the seed). */
    public boolean noVerdictEntries() {
        return verdictEntries.isEmpty();
    }

    public long signalCount(Class<? extends ControlSignal> kind) {
        return signals.stream().filter(kind::isInstance).count();
    }
}
