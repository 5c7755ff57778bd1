package dev.freezeframe.coordinator.wire;

import java.util.Objects;

/**
 * A guest report that passed every dispatch gate and may feed the run's lifecycle fold and verdict. Only a
 * {@link WireMessage.Report} fits here, so coordinator-internal messages cannot become entries.
 *
 * @param frameSeq position of the source frame among all frames the dispatcher has seen, from 0
 * @param report   the decoded report
 */
public record VerdictEntry(long frameSeq, WireMessage.Report report) {
    public VerdictEntry {
        Objects.requireNonNull(report, "report");
    }

    public MessageType type() {
        return report.type();
    }
}
