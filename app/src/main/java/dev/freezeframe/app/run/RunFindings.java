package dev.freezeframe.app.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.findings.Finding;
import dev.freezeframe.coordinator.findings.Findings;
import dev.freezeframe.coordinator.findings.SnapshotView;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.SnapshotInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** An archived run's snapshots as the findings rules see them (for `findings`, `runs show` and the workbench). */
public final class RunFindings {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    public static List<Finding> of(Archive archive, long runId) throws IOException {
        return Findings.of(snapshots(archive, runId));
    }
}
