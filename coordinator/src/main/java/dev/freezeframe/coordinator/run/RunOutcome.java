package dev.freezeframe.coordinator.run;

/**
 * How a run ended.
 *
 * @param decision   verdict and reason
 * @param events     events on the run's stream
 * @param durationNs run time from start to the verdict's settling
 */
public record RunOutcome(VerdictDecision decision, long events, long durationNs) {
}
