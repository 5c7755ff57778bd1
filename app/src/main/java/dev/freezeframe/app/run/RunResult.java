package dev.freezeframe.app.run;

import dev.freezeframe.coordinator.run.RunOutcome;

/**
 * A finished run as the command line and the window report it.
 *
 * @param runId     the run's id in the archive
 * @param outcome   verdict, reason, event count and duration
 * @param snapshots snapshots stored for the run
 */
public record RunResult(long runId, RunOutcome outcome, long snapshots) {
}
