package dev.freezeframe.app.ui.runs;

import dev.freezeframe.persistence.AbMark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * Which runs of the Runs browser are marked as side A (the baseline) and which as side B, for "Compare A vs B". A run
 * is on one side at most: marking it for the other side moves it. Each side keeps the order its runs were marked in,
 * so the first run marked is the one whose snapshots and outcome the Compare tab shows first. The archive keeps them
 * ({@link #rows}, {@link #restore}), so they survive a restart. FX thread only.
 */
public final class AbMarks {
    public enum Side { A, B }

    private final Map<Long, Side> marks = new LinkedHashMap<>();
    private final ReadOnlyLongWrapper version = new ReadOnlyLongWrapper(this, "version");

    /** Marks {@code runIds} as {@code side} (moving any that were on the other side). */
    public void mark(Collection<Long> runIds, Side side) {
        boolean changed = false;
        for (long id : runIds) {
            if (marks.get(id) == side) continue;
            marks.remove(id); // re-inserted last: a moved run counts as marked now
            marks.put(id, side);
            changed = true;
        }
        if (changed) changed();
    }

    /** Removes the marks of {@code runIds}; runs that had none are ignored. */
    public void unmark(Collection<Long> runIds) {
        boolean changed = false;
        for (long id : runIds) changed |= marks.remove(id) != null;
        if (changed) changed();
    }

    public void clear() {
        if (marks.isEmpty()) return;
        marks.clear();
        changed();
    }

    /** Replaces every mark with the archive's (when it opens): no change is reported if they are the same. */
    public void restore(List<AbMark> saved) {
        Map<Long, Side> restored = new LinkedHashMap<>();
        for (AbMark m : saved) restored.put(m.runId(), Side.valueOf(m.side().name()));
        if (List.copyOf(restored.entrySet()).equals(List.copyOf(marks.entrySet()))) return; // same marks, same order
        marks.clear();
        marks.putAll(restored);
        changed();
    }

    /** Every mark in the order it was made, as the archive keeps them. */
    public List<AbMark> rows() {
        List<AbMark> out = new ArrayList<>();
        marks.forEach((id, side) -> out.add(new AbMark(id, AbMark.Side.valueOf(side.name()))));
        return out;
    }

    public Optional<Side> sideOf(long runId) {
        return Optional.ofNullable(marks.get(runId));
    }

    /** The runs marked {@code side}, in the order they were marked. */
    public List<Long> runs(Side side) {
        List<Long> out = new ArrayList<>();
        marks.forEach((id, s) -> {
            if (s == side) out.add(id);
        });
        return out;
    }

    /** True when both sides have a run: "Compare A vs B" can run. */
    public boolean comparable() {
        return marks.containsValue(Side.A) && marks.containsValue(Side.B);
    }

    public boolean isEmpty() {
        return marks.isEmpty();
    }

    /** {@code A #3 #1 · B #2 #4}, or empty without marks. */
    public String summary() {
        if (marks.isEmpty()) return "";
        return side(Side.A) + " · " + side(Side.B);
    }

    private String side(Side side) {
        List<Long> ids = runs(side);
        if (ids.isEmpty()) return side + " none";
        StringBuilder b = new StringBuilder(side.name());
        for (long id : ids) b.append(" #").append(id);
        return b.toString();
    }

    /** Changes on every change of the marks (views refresh their badges). */
    public ReadOnlyLongProperty versionProperty() {
        return version.getReadOnlyProperty();
    }

    private void changed() {
        version.set(version.get() + 1);
    }
}
