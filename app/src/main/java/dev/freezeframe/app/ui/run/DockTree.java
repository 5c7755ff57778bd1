package dev.freezeframe.app.ui.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The arrangement inside one dock (the drawer or the inspector): either a tab group of panels with one selected, or a
 * split of two or more arrangements side by side ({@code vertical} = stacked) with its divider positions. The user
 * makes splits by dragging a panel's tab onto the edge of a tab group.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DockTree(List<String> panels, String selected, boolean vertical, List<Double> dividers,
                       List<DockTree> split) {
    public DockTree {
        panels = panels == null ? List.of() : List.copyOf(panels);
        selected = selected == null ? "" : selected;
        dividers = dividers == null ? List.of() : List.copyOf(dividers);
        split = split == null ? List.of() : List.copyOf(split);
    }

    /** A tab group. */
    public static DockTree tabs(List<String> panels, String selected) {
        return new DockTree(panels, selected, false, List.of(), List.of());
    }

    /** A split of {@code parts}. */
    public static DockTree split(boolean vertical, List<Double> dividers, List<DockTree> parts) {
        return new DockTree(List.of(), "", vertical, dividers, parts);
    }

    @JsonIgnore
    public boolean isSplit() {
        return !split.isEmpty();
    }

    /** Every panel, tab groups in order (top/left first). */
    @JsonIgnore
    public List<String> allPanels() {
        if (!isSplit()) return panels;
        List<String> all = new ArrayList<>();
        for (DockTree part : split) all.addAll(part.allPanels());
        return all;
    }

    /** Without {@code id}; tab groups left empty disappear from splits (a dock keeps one group, maybe empty). */
    public DockTree without(String id) {
        return pruned(keep -> !keep.equals(id), null);
    }

    /** {@code id} added as the selected tab of the first tab group. */
    public DockTree withAdded(String id) {
        return added(id, true);
    }

    /** {@code id} added as the last tab of the first tab group, the selection unchanged (unless there was none). */
    public DockTree withAppended(String id) {
        return added(id, false);
    }

    private DockTree added(String id, boolean select) {
        if (!isSplit()) {
            List<String> p = new ArrayList<>(panels);
            if (!p.contains(id)) p.add(id);
            return tabs(p, select || selected.isEmpty() ? id : selected);
        }
        List<DockTree> parts = new ArrayList<>(split);
        parts.set(0, parts.getFirst().added(id, select));
        return split(vertical, dividers, parts);
    }

    /** Only the panels {@code keep} accepts, each once ({@code placed} collects them); dividers within reach. */
    DockTree sanitized(java.util.function.Predicate<String> keep, Set<String> placed) {
        return pruned(keep, placed);
    }

    private DockTree pruned(java.util.function.Predicate<String> keep, Set<String> placed) {
        if (!isSplit()) {
            List<String> p = new ArrayList<>();
            for (String id : panels) {
                if (keep.test(id) && !p.contains(id) && (placed == null || placed.add(id))) p.add(id);
            }
            return tabs(p, p.contains(selected) ? selected : p.isEmpty() ? "" : p.getFirst());
        }
        List<DockTree> parts = new ArrayList<>();
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            DockTree part = split.get(i).pruned(keep, placed);
            if (part.allPanels().isEmpty()) continue;
            parts.add(part);
            if (i < dividers.size()) kept.add(dividers.get(i));
        }
        if (parts.isEmpty()) return tabs(List.of(), "");
        if (parts.size() == 1) return parts.getFirst();
        return split(vertical, validDividers(kept, parts.size()), parts);
    }

    /** Increasing positions strictly inside (0, 1), one fewer than parts; else evenly spaced. */
    private static List<Double> validDividers(List<Double> given, int parts) {
        boolean ok = given.size() >= parts - 1;
        double last = 0;
        for (int i = 0; ok && i < parts - 1; i++) {
            Double d = given.get(i);
            ok = d != null && Double.isFinite(d) && d > last + 0.02 && d < 0.98;
            if (ok) last = d;
        }
        if (ok) return List.copyOf(given.subList(0, parts - 1));
        List<Double> even = new ArrayList<>();
        for (int i = 1; i < parts; i++) even.add((double) i / parts);
        return even;
    }
}
