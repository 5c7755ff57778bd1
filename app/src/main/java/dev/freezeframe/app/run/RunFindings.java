package dev.freezeframe.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.findings.Finding;
import dev.freezeframe.coordinator.findings.Findings;
import dev.freezeframe.coordinator.findings.SeriesFindings;
import dev.freezeframe.coordinator.findings.SnapshotView;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.EventPage;
import dev.freezeframe.persistence.SnapshotInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An archived run as the findings rules see it — its snapshots, the live monitor's series and the watch events — for
 * `findings`, `runs show`, the JUnit headline and the workbench.
 */
public final class RunFindings {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 4096;

    private RunFindings() {
    }

    public static List<SnapshotView> snapshots(Archive archive, long runId) throws IOException {
        List<SnapshotView> out = new ArrayList<>();
        for (SnapshotInfo s : archive.runs().snapshots(runId)) {
            JsonNode report = s.placeholder() ? null : JSON.readTree(archive.runs().snapshotReport(s.id()));
            out.add(new SnapshotView(s.tag(), s.kind().wireName(), s.atNanos() / 1_000_000, report,
                    s.placeholderReason().orElse(null)));
        }
        return out;
    }

    /** The findings of the run's snapshots, monitor series and watch events, worst first. */
    public static List<Finding> of(Archive archive, long runId) throws IOException {
        return of(archive, runId, snapshots(archive, runId));
    }

    /** As {@link #of(Archive, long)} with the snapshots already read. */
    public static List<Finding> of(Archive archive, long runId, List<SnapshotView> snapshots) {
        return Findings.of(snapshots, SeriesFindings.of(series(archive, runId), notes(archive, runId)));
    }

    private static List<SeriesFindings.Series> series(Archive archive, long runId) {
        List<SeriesFindings.Series> out = new ArrayList<>();
        for (MonitorSeriesReader.Series s : MonitorSeriesReader.read(archive, runId, n -> true)) {
            long[] at = new long[s.points().size()];
            double[] values = new double[at.length];
            for (int i = 0; i < at.length; i++) {
                at[i] = s.points().get(i).atNs() / 1_000_000;
                values[i] = s.points().get(i).value();
            }
            out.add(new SeriesFindings.Series(s.name(), at, values));
        }
        return out;
    }

    /** The watch lane's harness events the rules read (an auto-disarmed hot watch). */
    private static List<SeriesFindings.Note> notes(Archive archive, long runId) {
        List<SeriesFindings.Note> out = new ArrayList<>();
        long from = 0;
        while (true) {
            EventPage page = archive.events().after(runId, Set.of(Lane.WATCHPOINTS), from, PAGE);
            for (RunEvent e : page.events()) {
                from = e.seq() + 1;
                if (e.kind().equals("auto_disarmed")) {
                    out.add(new SeriesFindings.Note(e.kind(), e.text(), e.atNanos() / 1_000_000));
                }
            }
            if (page.atEnd() || page.events().isEmpty()) return out;
        }
    }
}
