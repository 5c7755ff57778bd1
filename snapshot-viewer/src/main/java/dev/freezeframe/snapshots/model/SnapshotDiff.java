package dev.freezeframe.snapshots.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What changed from a base snapshot to the shown one, row by row (rows pair by path). A leaf is {@code SAME},
 * {@code CHANGED} (with a numeric delta when both values are numbers), {@code ADDED} or {@code REMOVED}; an inner row
 * counts the changed, added and removed leaves under it. Rows of the base that the shown snapshot lacks are kept,
 * under their parent, so a removed entry is shown with its old value.
 */
public final class SnapshotDiff {
    /** The state of one row against the base. */
    public enum State { SAME, CHANGED, ADDED, REMOVED }

    /** One leaf's change; {@code delta} only for numeric pairs. */
    public record Change(State state, FieldNode base, Optional<BigDecimal> delta) {
    }

    private final Map<String, Change> leaves;
    private final Map<String, Integer> counts;
    private final Map<String, List<FieldNode>> removedUnder;
    private final int changed;

    private SnapshotDiff(Map<String, Change> leaves, Map<String, Integer> counts,
                         Map<String, List<FieldNode>> removedUnder, int changed) {
        this.leaves = leaves;
        this.counts = counts;
        this.removedUnder = removedUnder;
        this.changed = changed;
    }

    public static SnapshotDiff between(FlatReport base, FlatReport shown) {
        Map<String, Change> leaves = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, List<FieldNode>> removedUnder = new HashMap<>();
        int changed = 0;
        for (FieldNode n : shown.all().values()) {
            FieldNode b = base.get(n.path());
            if (n.value() == null) {
                if (b == null) {
                    leaves.put(n.path(), new Change(State.ADDED, null, Optional.empty()));
                    if (shown.get(n.parentPath()) == null || base.get(n.parentPath()) != null) {
                        changed++;
                        countUp(shown, n.parentPath(), counts);
                    }
                }
                continue;
            }
            Change c = compare(n, b);
            if (c.state() == State.SAME) continue;
            leaves.put(n.path(), c);
            // an added entry counts once at the map, not once per field
            if (c.state() == State.ADDED && base.get(n.parentPath()) == null) continue;
            changed++;
            countUp(shown, n.parentPath(), counts);
        }
        for (FieldNode b : base.all().values()) {
            if (shown.get(b.path()) != null) continue;
            if (shown.get(b.parentPath()) == null) continue; // inside a removed row: shown with it
            leaves.put(b.path(), new Change(State.REMOVED, b, Optional.empty()));
            removedUnder.computeIfAbsent(b.parentPath(), p -> new ArrayList<>()).add(b);
            changed++;
            countUp(shown, b.parentPath(), counts);
        }
        return new SnapshotDiff(leaves, counts, removedUnder, changed);
    }

    private static void countUp(FlatReport shown, String path, Map<String, Integer> counts) {
        String p = path;
        while (p != null && !p.isEmpty()) {
            counts.merge(p, 1, Integer::sum);
            FieldNode n = shown.get(p);
            p = n == null ? null : n.parentPath();
        }
    }

    private static Change compare(FieldNode n, FieldNode b) {
        if (b == null || b.value() == null) return new Change(State.ADDED, b, Optional.empty());
        LeafValue now = n.value();
        LeafValue was = b.value();
        boolean same = now.exact().equals(was.exact()) && perCpuSame(now, was);
        if (same) return new Change(State.SAME, b, Optional.of(BigDecimal.ZERO));
        return new Change(State.CHANGED, b, delta(was, now));
    }

    private static boolean perCpuSame(LeafValue a, LeafValue b) {
        if (a.perCpu().size() != b.perCpu().size()) return false;
        for (int i = 0; i < a.perCpu().size(); i++) {
            if (!a.perCpu().get(i).exact().equals(b.perCpu().get(i).exact())) return false;
        }
        return true;
    }

    /** now − was, exactly for integers (u64 counters keep every digit). */
    public static Optional<BigDecimal> delta(LeafValue was, LeafValue now) {
        if (!was.isNumeric() || !now.isNumeric() || was.kind() == LeafValue.Kind.POINTER
                || now.kind() == LeafValue.Kind.POINTER) {
            return Optional.empty();
        }
        if (was.integer() != null && now.integer() != null) {
            return Optional.of(new BigDecimal(now.integer().subtract(was.integer())));
        }
        return Optional.of(BigDecimal.valueOf(now.number()).subtract(BigDecimal.valueOf(was.number())));
    }

    /** The state of row {@code path} (a leaf or an added inner row); {@code SAME} when nothing changed there. */
    public State state(String path) {
        Change c = leaves.get(path);
        return c == null ? State.SAME : c.state();
    }

    public Optional<Change> change(String path) {
        return Optional.ofNullable(leaves.get(path));
    }

    /** Changed, added and removed leaves under an inner row. */
    public int changesUnder(String path) {
        return counts.getOrDefault(path, 0);
    }

    /** Rows of the base that the shown snapshot lacks, under {@code parentPath}. */
    public List<FieldNode> removedUnder(String parentPath) {
        return removedUnder.getOrDefault(parentPath, List.of());
    }

    /** All changed, added and removed rows (an added or removed entry counts once). */
    public int changeCount() {
        return changed;
    }
}
