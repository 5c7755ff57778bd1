package dev.freezeframe.snapshots.model;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

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
    private final Map<String, Integer> chunkCounts;
    private final Map<String, List<FieldNode>> removedUnder;
    private final int changed;
    private final int equalAsText;
    private final int parsed;

    private SnapshotDiff(Walk w) {
        this.leaves = w.leaves;
        this.counts = w.counts;
        this.chunkCounts = w.chunkCounts;
        this.removedUnder = w.removedUnder;
        this.changed = w.changed;
        this.equalAsText = w.equalAsText;
        this.parsed = w.parsed;
    }

    /** The diff of two indexed snapshots (their trees are walked; the index itself is not needed). */
    public static SnapshotDiff between(FlatReport base, FlatReport shown) {
        return between(base.model(), shown.model());
    }

    /**
     * Walks both trees side by side, pairing each row's children by position when both list the same paths in the same
     * order (the usual case: the same struct, a map whose keys did not move) and through a map of that one row's base
     * children otherwise. Only changed rows are recorded. A map whose entries are still report text on both sides
     * ({@link ReportModel#parse}) is compared as text first: entries are paired by the text of their keys, an entry
     * written exactly as its base is equal and never parsed, and only the others are parsed and compared typed (so
     * text that differs only in spacing or member order is still equal).
     */
    public static SnapshotDiff between(ReportModel base, ReportModel shown) {
        return between(base, shown, ReportThreads.pool());
    }

    /** As {@link #between(ReportModel, ReportModel)}, with the base side's half of the entry work on {@code threads}. */
    static SnapshotDiff between(ReportModel base, ReportModel shown, Executor threads) {
        Walk w = new Walk(threads);
        w.pair("", shown.sections(), base.sections());
        return new SnapshotDiff(w);
    }

    /** One diff in progress; {@link #pair} returns the number of changes under a row so counts add up on return. */
    private static final class Walk {
        /** Entries whose text differs are parsed this many at a time (one parser per batch and side). */
        private static final int BATCH = 512;
        /** Fewer entries than this (both sides) are parsed on the walking thread alone: not worth a handoff. */
        private static final int ALONE = 64;

        private final Executor threads;

        final Map<String, Change> leaves = new HashMap<>();
        final Map<String, Integer> counts = new HashMap<>();
        final Map<String, Integer> chunkCounts = new HashMap<>();
        final Map<String, List<FieldNode>> removedUnder = new HashMap<>();
        int changed;
        int equalAsText;
        int parsed;

        Walk(Executor threads) {
            this.threads = threads;
        }

        int pair(String parentPath, List<FieldNode> shownRows, List<FieldNode> baseRows) {
            // per shown row: the chunk listing it, or null; no list at all for rows without chunks (most)
            List<String> chunks = hasChunk(shownRows) ? new ArrayList<>() : null;
            List<FieldNode> now = unchunked(shownRows, null, chunks);
            List<FieldNode> was = unchunked(baseRows, null, null);
            int under = 0;
            if (samePaths(now, was)) {
                for (int i = 0; i < now.size(); i++) {
                    under += inChunk(chunks == null ? null : chunks.get(i), row(now.get(i), was.get(i)));
                }
                return under;
            }
            Map<String, FieldNode> byPath = new HashMap<>(was.size() * 2);
            for (FieldNode b : was) byPath.putIfAbsent(b.path(), b);
            for (int i = 0; i < now.size(); i++) {
                FieldNode n = now.get(i);
                under += inChunk(chunks == null ? null : chunks.get(i), row(n, byPath.remove(n.path())));
            }
            return under + removed(parentPath, was, byPath);
        }

        /** Base rows still in {@code unpaired} are removed (listed under the parent, in base order). */
        private int removed(String parentPath, List<FieldNode> was, Map<String, FieldNode> unpaired) {
            int under = 0;
            for (FieldNode b : was) {
                if (unpaired.remove(b.path()) == null) continue; // paired, or a duplicate path already listed
                leaves.put(b.path(), new Change(State.REMOVED, b, Optional.empty()));
                removedUnder.computeIfAbsent(parentPath, p -> new ArrayList<>()).add(b);
                changed++;
                under++;
            }
            return under;
        }

        /** Adds a shown row's changes to its chunk's count (a folded chunk tells its changes without its rows). */
        private int inChunk(String chunk, int changes) {
            if (chunk != null && changes > 0) chunkCounts.merge(chunk, changes, Integer::sum);
            return changes;
        }

        /**
         * A map whose entries are text on both sides: entries are paired by key text; those written exactly alike are
         * equal and skipped, the rest are parsed (one parser per side) and compared as rows, and entries whose key text
         * has no match are paired by their rows' paths, as {@link #pair} does. Assumes what a map guarantees: no key
         * twice in one map (two keys written alike make the typed walk decide instead).
         */
        private int entries(FieldNode n, FieldNode b) {
            IndexedMap nm = n.indexedMap();
            IndexedMap bm = b.indexedMap();
            EntryTextMatch match = EntryTextMatch.of(nm.entries(), bm.entries());
            if (match == null) return pair(n.path(), n.children(), b.children());
            int under = pair(n.path(), nm.others().get(), bm.others().get());
            equalAsText += match.sameText;
            ReportThreads.Both<List<FieldNode>, List<FieldNode>> only = rows(nm, match.shownOnly, bm, match.baseOnly,
                    false);
            List<FieldNode> shownOnly = only.here();
            List<FieldNode> baseOnly = only.other();
            List<Integer> shownOnlyAt = new ArrayList<>();
            for (int p : match.shownOnly) shownOnlyAt.add(p);
            // a batch at a time, so the parsed JSON dies young instead of all of it living through the walk
            for (int from = 0; from < match.shownDiffering.length; from += BATCH) {
                int to = Math.min(match.shownDiffering.length, from + BATCH);
                ReportThreads.Both<List<FieldNode>, List<FieldNode>> batch = rows(nm, Arrays.copyOfRange(
                        match.shownDiffering, from, to), bm, Arrays.copyOfRange(match.baseDiffering, from, to), true);
                List<FieldNode> nowDiffering = batch.here();
                List<FieldNode> wasDiffering = batch.other();
                for (int k = 0; k < nowDiffering.size(); k++) {
                    FieldNode now = nowDiffering.get(k);
                    FieldNode was = wasDiffering.get(k);
                    if (now.path().equals(was.path())) {
                        under += inChunk(nm.chunkPath(match.shownDiffering[from + k]), row(now, was));
                    } else { // key text alike but not the key the parser reads (a repeated member): pair by path
                        shownOnly.add(now);
                        shownOnlyAt.add(match.shownDiffering[from + k]);
                        baseOnly.add(was);
                    }
                }
            }
            Map<String, FieldNode> byPath = new HashMap<>(baseOnly.size() * 2);
            for (FieldNode r : baseOnly) byPath.putIfAbsent(r.path(), r);
            for (int k = 0; k < shownOnly.size(); k++) {
                FieldNode now = shownOnly.get(k);
                under += inChunk(nm.chunkPath(shownOnlyAt.get(k)), row(now, byPath.remove(now.path())));
            }
            return under + removed(n.path(), baseOnly, byPath);
        }

        /**
         * The rows of the shown map's entries at {@code shownAt} and of the base map's at {@code baseAt}; the base's
         * are parsed on another thread meanwhile (parsing an entry and making its row change nothing shared).
         * {@code walked}: the walk compares every row under these, so they are made here, on both threads.
         */
        private ReportThreads.Both<List<FieldNode>, List<FieldNode>> rows(IndexedMap shown, int[] shownAt,
                IndexedMap base, int[] baseAt, boolean walked) {
            parsed += shownAt.length + baseAt.length;
            Executor on = shownAt.length + baseAt.length < ALONE ? Runnable::run : threads;
            return ReportThreads.both(on, () -> rows(shown, shownAt, walked), () -> rows(base, baseAt, walked));
        }

        /** The rows of the entries at {@code positions}, parsed together (and every row under them if {@code all}). */
        private static List<FieldNode> rows(IndexedMap m, int[] positions, boolean all) {
            com.fasterxml.jackson.databind.JsonNode[] json = m.entries().parse(positions);
            List<FieldNode> out = new ArrayList<>(positions.length);
            for (int k = 0; k < positions.length; k++) out.add(m.row().make(json[k], positions[k]));
            if (all) {
                Deque<FieldNode> todo = new ArrayDeque<>(out);
                while (!todo.isEmpty()) {
                    FieldNode r = todo.pop();
                    if (r.indexedMap() == null) todo.addAll(r.children()); // a map's entries are the walk's to read
                }
            }
            return out;
        }

        /** One shown row against its base row (null: added); returns the changes it adds to its parent's count. */
        private int row(FieldNode n, FieldNode b) {
            if (b == null) {
                leaves.put(n.path(), new Change(State.ADDED, null, Optional.empty()));
                markAdded(n.children());
                changed++;
                return 1; // an added entry counts once at the map, not once per field
            }
            if (n.indexedMap() != null && b.indexedMap() != null) {
                int under = entries(n, b);
                if (under > 0) counts.put(n.path(), under);
                return under;
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

        /**
         * A chunk (a big map's [0 … 999] group) is only a way of showing the map: its rows belong to the map. When
         * {@code chunks} is given, it gets the path of the (outermost) chunk listing each row, or null.
         */
        private static boolean hasChunk(List<FieldNode> rows) {
            for (FieldNode r : rows) if (r.role() == FieldNode.Role.CHUNK) return true;
            return false;
        }

        private static List<FieldNode> unchunked(List<FieldNode> rows, String chunk, List<String> chunks) {
            if (!hasChunk(rows)) {
                if (chunks != null) for (int i = 0; i < rows.size(); i++) chunks.add(chunk);
                return rows;
            }
            List<FieldNode> out = new ArrayList<>();
            for (FieldNode r : rows) {
                if (r.role() == FieldNode.Role.CHUNK) {
                    out.addAll(unchunked(r.children(), chunk == null ? r.path() : chunk, chunks));
                } else {
                    out.add(r);
                    if (chunks != null) chunks.add(chunk);
                }
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

    /** Changed, added and removed rows listed in chunk row {@code chunkPath} (and under them), without making them. */
    public int changesInChunk(String chunkPath) {
        return chunkCounts.getOrDefault(chunkPath, 0);
    }

    /** Map entries found equal by their text alone (never parsed by this diff). */
    public int entriesEqualAsText() {
        return equalAsText;
    }

    /** Map entries this diff parsed to compare them (text differing from the base, added or removed). */
    public int entriesParsed() {
        return parsed;
    }

    /** Everything this diff found, in a comparable form (tests: a text diff must find what a typed walk finds). */
    Map<String, Object> findings() {
        Map<String, Object> out = new java.util.TreeMap<>();
        leaves.forEach((p, c) -> out.put("leaf " + p, c.state() + " " + (c.base() == null ? "-" : c.base().path()
                + "=" + (c.base().value() == null ? c.base().summary() : c.base().value().exact())) + " " + c.delta()));
        counts.forEach((p, c) -> out.put("under " + p, c));
        chunkCounts.forEach((p, c) -> out.put("chunk " + p, c));
        removedUnder.forEach((p, l) -> out.put("removed " + p, l.stream().map(FieldNode::path).toList()));
        out.put("changed", changed);
        return out;
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
