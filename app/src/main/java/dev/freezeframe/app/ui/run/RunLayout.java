package dev.freezeframe.app.ui.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a run tab's panels sit: the arrangement of the drawer (under the timeline) and of the inspector (right) — tab
 * groups, splits and selected tabs, see {@link DockTree} — the two outer divider positions and whether each dock is
 * shown. Stored as JSON and restored on the next start; unknown panel ids in a stored layout are dropped and missing
 * ones return to their shipped dock, so a layout written by another version is never fatal. Schema 1 (one tab group
 * per dock) is read by {@link LayoutStore} and converted.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunLayout(int schema, DockTree drawer, DockTree inspector, double drawerDivider, double inspectorDivider,
                        boolean drawerShown, boolean inspectorShown) {
    public static final int SCHEMA = 2;
    public static final String DRAWER = "drawer";
    public static final String INSPECTOR = "inspector";
    /**
     * The shipped "Live" layout: console, events, the selection's figures and the findings under the timeline;
     * snapshot, watch slots and symbols on the right.
     */
    public static final RunLayout DEFAULT = new RunLayout(SCHEMA,
            DockTree.tabs(List.of(RunPanels.CONSOLE, RunPanels.EVENTS, RunPanels.SELECTION, RunPanels.FINDINGS),
                    RunPanels.CONSOLE),
            DockTree.tabs(List.of(RunPanels.SNAPSHOT, RunPanels.SLOTS, RunPanels.SYMBOLS), RunPanels.SNAPSHOT),
            0.64, 0.64, true, true);

    public RunLayout {
        drawer = drawer == null ? DockTree.tabs(List.of(), "") : drawer;
        inspector = inspector == null ? DockTree.tabs(List.of(), "") : inspector;
    }

    /** This layout made valid for the panels that exist: known ids once each, dividers within reach. */
    public RunLayout sanitized(Set<String> known) {
        Set<String> placed = new HashSet<>();
        DockTree d = drawer.sanitized(known::contains, placed);
        DockTree i = inspector.sanitized(known::contains, placed);
        // missing panels return to their shipped dock, in the shipped order, without taking the selection
        List<String> missing = new java.util.ArrayList<>(DEFAULT.drawer.allPanels());
        missing.addAll(DEFAULT.inspector.allPanels());
        known.stream().sorted().filter(id -> !missing.contains(id)).forEach(missing::add);
        for (String id : missing) {
            if (!known.contains(id) || placed.contains(id)) continue;
            if (DEFAULT.inspector.allPanels().contains(id)) i = i.withAppended(id);
            else d = d.withAppended(id);
        }
        return new RunLayout(SCHEMA, d, i, clamp(drawerDivider, DEFAULT.drawerDivider),
                clamp(inspectorDivider, DEFAULT.inspectorDivider), drawerShown, inspectorShown);
    }

    private static double clamp(double v, double fallback) {
        if (!Double.isFinite(v) || v < 0.15 || v > 0.92) return fallback;
        return v;
    }

    /** {@link #DRAWER}, {@link #INSPECTOR} or "" for a panel that is in neither. */
    public String dockOf(String id) {
        return drawer.allPanels().contains(id) ? DRAWER : inspector.allPanels().contains(id) ? INSPECTOR : "";
    }

    /** {@code id} moved to the other dock. */
    public RunLayout moved(String id) {
        String from = dockOf(id);
        return from.isEmpty() ? this : movedTo(id, from.equals(DRAWER) ? INSPECTOR : DRAWER);
    }

    /** {@code id} moved into {@code dock}'s first tab group as its selected tab; that dock is shown. */
    public RunLayout movedTo(String id, String dock) {
        if (dockOf(id).isEmpty() || dockOf(id).equals(dock)) return this;
        boolean toDrawer = dock.equals(DRAWER);
        DockTree d = toDrawer ? drawer.withAdded(id) : drawer.without(id);
        DockTree i = toDrawer ? inspector.without(id) : inspector.withAdded(id);
        return new RunLayout(SCHEMA, d, i, drawerDivider, inspectorDivider, drawerShown || toDrawer,
                inspectorShown || !toDrawer);
    }

    public RunLayout withDocks(DockTree drawerTree, DockTree inspectorTree) {
        return new RunLayout(SCHEMA, drawerTree, inspectorTree, drawerDivider, inspectorDivider, drawerShown,
                inspectorShown);
    }

    public RunLayout withDividers(double drawerAt, double inspectorAt) {
        return new RunLayout(SCHEMA, drawer, inspector, drawerAt, inspectorAt, drawerShown, inspectorShown);
    }

    public RunLayout withShown(boolean drawerOn, boolean inspectorOn) {
        return new RunLayout(SCHEMA, drawer, inspector, drawerDivider, inspectorDivider, drawerOn, inspectorOn);
    }

    /** A schema-1 layout (one tab group per dock) in today's form. */
    static RunLayout fromSchema1(List<String> drawer, List<String> inspector, String drawerSelected,
                                 String inspectorSelected, double drawerDivider, double inspectorDivider,
                                 boolean drawerShown, boolean inspectorShown) {
        return new RunLayout(SCHEMA, DockTree.tabs(drawer, drawerSelected), DockTree.tabs(inspector, inspectorSelected),
                drawerDivider, inspectorDivider, drawerShown, inspectorShown);
    }
}
