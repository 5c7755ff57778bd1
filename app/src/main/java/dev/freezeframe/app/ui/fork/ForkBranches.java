package dev.freezeframe.app.ui.fork;

import dev.freezeframe.persistence.ForkLink;
import dev.freezeframe.timeline.TimelineItems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A run's place in the fork tree as its timeline draws it: the forks that left it, and where it came from. */
public final class ForkBranches {
    private ForkBranches() {
    }

    /**
     * @param links every fork link of the archive (child run id → link)
     * @return a branch per fork of {@code runId} at the instant it left, and an origin branch at 0 when {@code runId}
     *         is itself a fork
     */
    public static List<TimelineItems.Branch> of(Map<Long, ForkLink> links, long runId) {
        List<TimelineItems.Branch> out = new ArrayList<>();
        for (ForkLink l : links.values()) {
            if (l.parentRunId() == runId) {
                out.add(new TimelineItems.Branch(l.parentAtNanos(), l.runId(), "fork #" + l.runId() + " from "
                        + l.snapshotTag(), false));
            }
        }
        ForkLink own = links.get(runId);
        if (own != null) out.add(new TimelineItems.Branch(0, own.parentRunId(), "forked from " + own.describeParent(),
                true));
        return out;
    }
}
