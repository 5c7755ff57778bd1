package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.RunEvent;

/** Receives a run's events in stream order, on the run loop's thread: must not block for long (queue, then write). */
@FunctionalInterface
public interface RunEventSink {
    void accept(RunEvent event);
}
