package dev.freezeframe.snapshots.model;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every row of a snapshot by path (inner rows and leaves), for pins and searches. Making it makes every row, so the
 * viewer makes it only when asked, never before the first paint; a diff does not need it ({@link SnapshotDiff}).
 */
public final class FlatReport {
    private final ReportModel model;
    private final Map<String, FieldNode> byPath;
    private final int leaves;

    private FlatReport(ReportModel model, Map<String, FieldNode> byPath, int leaves) {
        this.model = model;
        this.byPath = byPath;
        this.leaves = leaves;
    }

    /** Walks the whole tree (making every row) without recursion, so deep values cannot overflow the stack. */
    public static FlatReport of(ReportModel model) {
        Map<String, FieldNode> all = new HashMap<>(1024);
        Deque<FieldNode> todo = new ArrayDeque<>(model.sections().reversed());
        int leaves = 0;
        while (!todo.isEmpty()) {
            FieldNode n = todo.pop();
            if (n.role() != FieldNode.Role.CHUNK) all.putIfAbsent(n.path(), n);
            List<FieldNode> c = n.children();
            if (c.isEmpty()) {
                if (n.value() != null) leaves++;
            } else {
                for (int i = c.size() - 1; i >= 0; i--) todo.push(c.get(i));
            }
        }
        return new FlatReport(model, all, leaves);
    }

    /** The rows this index was made from. */
    public ReportModel model() {
        return model;
    }

    public FieldNode get(String path) {
        return byPath.get(path);
    }

    public Map<String, FieldNode> all() {
        return byPath;
    }

    public int leafCount() {
        return leaves;
    }
}
