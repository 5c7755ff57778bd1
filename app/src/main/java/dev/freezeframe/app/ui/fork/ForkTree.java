package dev.freezeframe.app.ui.fork;

import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.ForkLink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Runs browser's order: each fork right under its parent (forks of a run oldest first, forks of forks under
 * them), everything else as the archive listed it. A fork whose parent is not listed (filtered out, deleted) stays
 * where it was, at the top level.
 */
public final class ForkTree {
    /** The runs in display order and how deep each one is (0: not under a listed parent). */
    public record Ordered(List<ArchivedRun> runs, Map<Long, Integer> depth) {
        public int depthOf(long runId) {
            return depth.getOrDefault(runId, 0);
        }
    }

    private ForkTree() {
    }

    public static Ordered order(List<ArchivedRun> listed, Map<Long, ForkLink> links) {
        Set<Long> ids = new HashSet<>();
        for (ArchivedRun r : listed) ids.add(r.id());
        Map<Long, List<ArchivedRun>> children = new HashMap<>();
        List<ArchivedRun> roots = new ArrayList<>();
        for (ArchivedRun r : listed) {
            ForkLink link = links.get(r.id());
            if (link != null && ids.contains(link.parentRunId()) && link.parentRunId() != r.id()) {
                children.computeIfAbsent(link.parentRunId(), k -> new ArrayList<>()).add(r);
            } else {
                roots.add(r);
            }
        }
        children.values().forEach(c -> c.sort(Comparator.comparingLong(ArchivedRun::id)));
        List<ArchivedRun> out = new ArrayList<>(listed.size());
        Map<Long, Integer> depth = new LinkedHashMap<>();
        for (ArchivedRun root : roots) add(root, 0, children, out, depth);
        return new Ordered(List.copyOf(out), Map.copyOf(depth));
    }

    private static void add(ArchivedRun run, int level, Map<Long, List<ArchivedRun>> children, List<ArchivedRun> out,
                            Map<Long, Integer> depth) {
        if (depth.containsKey(run.id())) return; // a cycle cannot come from the engine; never loop on one
        out.add(run);
        depth.put(run.id(), level);
        for (ArchivedRun child : children.getOrDefault(run.id(), List.of())) add(child, level + 1, children, out, depth);
    }
}
