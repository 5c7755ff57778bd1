package dev.freezeframe.snapshots.model;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
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

    /** The diff of two indexed snapshots (their trees are walked; the index itself is not needed). */
    public static SnapshotDiff between(FlatReport base, FlatReport shown) {
        return between(base.model(), shown.model());
    }

    /**
     * Walks both trees side by side, pairing each row's children by position when both list the same paths in the same
     * order (the usual case: the same struct, a map whose keys did not move) and through a map of that one row's base
     * children otherwise. Only changed rows are recorded, so an unchanged 100 000-entry map costs one comparison per
     * leaf and no hashing.
     */
    public static SnapshotDiff between(ReportModel base, ReportModel shown) {
        Walk w = new Walk();
        w.pair("", shown.sections(), base.sections());
        return new SnapshotDiff(w.leaves, w.counts, w.removedUnder, w.changed);
    }

    /** One diff in progress; {@link #pair} returns the number of changes under a row so counts add up on return. */
    private static final class Walk {
        final Map<String, Change> leaves = new HashMap<>();
        final Map<String, Integer> counts = new HashMap<>();
        final Map<String, List<FieldNode>> removedUnder = new HashMap<>();
        int changed;

        int pair(String parentPath, List<FieldNode> shownRows, List<FieldNode> baseRows) {
            List<FieldNode> now = unchunked(shownRows);
            List<FieldNode> was = unchunked(baseRows);
            int under = 0;
            if (samePaths(now, was)) {
                for (int i = 0; i < now.size(); i++) under += row(now.get(i), was.get(i));
                return under;
            }
            Map<String, FieldNode> byPath = new HashMap<>(was.size() * 2);
            for (FieldNode b : was) byPath.putIfAbsent(b.path(), b);
            for (FieldNode n : now) under += row(n, byPath.remove(n.path()));
            for (FieldNode b : was) {
                if (byPath.remove(b.path()) == null) continue; // paired, or a duplicate path already listed
                leaves.put(b.path(), new Change(State.REMOVED, b, Optional.empty()));
                removedUnder.computeIfAbsent(parentPath, p -> new ArrayList<>()).add(b);
                changed++;
                under++;
            }
            return under;
        }

        /** One shown row against its base row (null: added); returns the changes it adds to its parent's count. */
        private int row(FieldNode n, FieldNode b) {
            if (b == null) {
                leaves.put(n.path(), new Change(State.ADDED, null, Optional.empty()));
                markAdded(n.children());
                changed++;
                return 1; // an added entry counts once at the map, not once per field
            }
            int mine = 0;
            if (n.value() != null && !sameValue(n.value(), b.value())) {
                Change c = compare(n, b);
                if (c.state() != State.SAME) {
                    leaves.put(n.path(), c);
                    changed++;
                    mine = 1;
                }
            }
            if (!n.hasChildren() && !b.hasChildren()) return mine;
            int under = pair(n.path(), n.children(), b.children());
            if (under > 0) counts.put(n.path(), under);
            return mine + under;
        }

        /** Rows under an added row are added too (shown tinted), without counting again. */
        private void markAdded(List<FieldNode> rows) {
            Deque<FieldNode> todo = new ArrayDeque<>(rows);
            while (!todo.isEmpty()) {
                FieldNode n = todo.pop();
                if (n.role() != FieldNode.Role.CHUNK) leaves.put(n.path(), new Change(State.ADDED, null,
                        Optional.empty()));
                todo.addAll(n.children());
            }
        }

        /** The common case, answered without making a {@link Change}. */
        private static boolean sameValue(LeafValue now, LeafValue was) {
            return was != null && now.exact().equals(was.exact()) && perCpuSame(now, was);
        }

        private static boolean samePaths(List<FieldNode> a, List<FieldNode> b) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!a.get(i).path().equals(b.get(i).path())) return false;
            return true;
        }

        /** A chunk (a big map's [0 … 999] group) is only a way of showing the map: its rows belong to the map. */
        private static List<FieldNode> unchunked(List<FieldNode> rows) {
            boolean any = false;
            for (FieldNode r : rows) any |= r.role() == FieldNode.Role.CHUNK;
            if (!any) return rows;
            List<FieldNode> out = new ArrayList<>();
            for (FieldNode r : rows) {
                if (r.role() == FieldNode.Role.CHUNK) out.addAll(unchunked(r.children()));
                else out.add(r);
            }
            return out;
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

    /**
     * now − was, exactly for integers (u64 counters keep every digit). None for pointers, bools and enums: their
     * numbers are codes, and "true → false" read as "▼ −1" says nothing the two values do not.
     */
    public static Optional<BigDecimal> delta(LeafValue was, LeafValue now) {
        if (!was.isNumeric() || !now.isNumeric() || !hasMagnitude(was) || !hasMagnitude(now)) {
            return Optional.empty();
        }
        if (was.integer() != null && now.integer() != null) {
            return Optional.of(new BigDecimal(now.integer().subtract(was.integer())));
        }
        return Optional.of(BigDecimal.valueOf(now.number()).subtract(BigDecimal.valueOf(was.number())));
    }

    private static boolean hasMagnitude(LeafValue v) {
        return v.kind() == LeafValue.Kind.INT || v.kind() == LeafValue.Kind.FLOAT;
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
