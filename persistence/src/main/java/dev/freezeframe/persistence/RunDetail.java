package dev.freezeframe.persistence;

import java.util.Optional;

/**
 * One run with what {@code runs show} and the compare view need beyond the list columns.
 *
 * @param configJson    the run's configuration as recorded (JSON object text)
 * @param eventCount    events stored for the run
 * @param snapshotCount snapshots stored for the run (placeholders included)
 * @param lastEventNs   time of the latest event, if any
 */
public record RunDetail(ArchivedRun run, String configJson, long eventCount, long snapshotCount,
                        long placeholderCount, Optional<Long> lastEventNs) {
}
