package dev.freezeframe.app.ui.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a run tab's panels sit: which are docked in the drawer (under the timeline) and which in the inspector (right),
 * which tab is selected in each, and the divider positions. Stored as JSON and restored on the next start; unknown
 * panel ids in a stored layout are dropped and missing ones return to their default dock, so a layout written by
 * another version is never fatal.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunLayout(int schema, List<String> drawer, List<String> inspector, String drawerSelected,
                        String inspectorSelected, double drawerDivider, double inspectorDivider, boolean drawerShown,
                        boolean inspectorShown) {
    public static final int SCHEMA = 1;
    /** The shipped "Live" layout: console, events, the selection's figures and the findings under the
     * timeline, snapshot, watch slots and symbols on the right. */
    public static final RunLayout DEFAULT = new RunLayout(SCHEMA, List.of(RunPanels.CONSOLE, RunPanels.EVENTS, RunPanels.SELECTION,
            RunPanels.FINDINGS),
            List.of(RunPanels.SNAPSHOT, RunPanels.SLOTS, RunPanels.SYMBOLS), RunPanels.CONSOLE, RunPanels.SNAPSHOT, 0.64, 0.64, true, true);

    public RunLayout {
        drawer = drawer == null ? List.of() : List.copyOf(drawer);
        inspector = inspector == null ? List.of() : List.copyOf(inspector);
        drawerSelected = drawerSelected == null ? "" : drawerSelected;
        inspectorSelected = inspectorSelected == null ? "" : inspectorSelected;
    }

    /** This layout made valid for the panels that exist: known ids once each, dividers within reach. */
    public RunLayout sanitized(Set<String> known) {
        List<String> d = new ArrayList<>();
        List<String> i = new ArrayList<>();
        for (String id : drawer) if (known.contains(id) && !d.contains(id)) d.add(id);
        for (String id : inspector) if (known.contains(id) && !d.contains(id) && !i.contains(id)) i.add(id);
        for (String id : DEFAULT.drawer) if (known.contains(id) && !d.contains(id) && !i.contains(id)) d.add(id);
        for (String id : DEFAULT.inspector) if (known.contains(id) && !d.contains(id) && !i.contains(id)) i.add(id);
        for (String id : known.stream().sorted().toList()) if (!d.contains(id) && !i.contains(id)) d.add(id);
        return new RunLayout(SCHEMA, d, i, d.contains(drawerSelected) ? drawerSelected : d.isEmpty() ? "" : d.getFirst(),
                i.contains(inspectorSelected) ? inspectorSelected : i.isEmpty() ? "" : i.getFirst(),
                clamp(drawerDivider, DEFAULT.drawerDivider), clamp(inspectorDivider, DEFAULT.inspectorDivider),
                drawerShown, inspectorShown);
    }

    private static double clamp(double v, double fallback) {
        if (!Double.isFinite(v) || v < 0.15 || v > 0.92) return fallback;
        return v;
    }

    /** {@code id} moved to the other dock (it becomes that dock's selected tab). */
    public RunLayout moved(String id) {
        List<String> d = new ArrayList<>(drawer);
        List<String> i = new ArrayList<>(inspector);
        if (d.remove(id)) {
            i.add(id);
            return new RunLayout(SCHEMA, d, i, drawerSelected.equals(id) ? (d.isEmpty() ? "" : d.getFirst())
                    : drawerSelected, id, drawerDivider, inspectorDivider, drawerShown, true);
        }
        if (i.remove(id)) {
            d.add(id);
            return new RunLayout(SCHEMA, d, i, id, inspectorSelected.equals(id) ? (i.isEmpty() ? "" : i.getFirst())
                    : inspectorSelected, drawerDivider, inspectorDivider, true, inspectorShown);
        }
        return this;
    }

    public RunLayout withSelection(String drawerTab, String inspectorTab) {
        return new RunLayout(SCHEMA, drawer, inspector, drawerTab, inspectorTab, drawerDivider, inspectorDivider,
                drawerShown, inspectorShown);
    }

    public RunLayout withDividers(double drawerAt, double inspectorAt) {
        return new RunLayout(SCHEMA, drawer, inspector, drawerSelected, inspectorSelected, drawerAt, inspectorAt,
                drawerShown, inspectorShown);
    }

    public RunLayout withShown(boolean drawerOn, boolean inspectorOn) {
        return new RunLayout(SCHEMA, drawer, inspector, drawerSelected, inspectorSelected, drawerDivider,
                inspectorDivider, drawerOn, inspectorOn);
    }
}
