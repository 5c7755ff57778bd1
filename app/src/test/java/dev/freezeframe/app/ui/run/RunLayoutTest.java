package dev.freezeframe.app.ui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A stored layout is made valid for the panels that exist; moving a panel keeps every panel in exactly one dock. */
class RunLayoutTest {
    private static final Set<String> PANELS = Set.of(RunPanels.CONSOLE, RunPanels.EVENTS, RunPanels.SNAPSHOT, RunPanels.SELECTION, RunPanels.FINDINGS,
            RunPanels.SLOTS);

    @Test
    void unknownPanelsAreDroppedMissingOnesReturnHomeAndDuplicatesCountOnce() {
        RunLayout stored = new RunLayout(1, List.of("console", "plot", "console"), List.of("console", "slots"),
                "plot", "slots", 0.5, 0.99, true, false);
        RunLayout fixed = stored.sanitized(PANELS);
        assertEquals(List.of("console", "events", "selection", "findings"), fixed.drawer());
        assertEquals(List.of("slots", "snapshot"), fixed.inspector());
        assertEquals("console", fixed.drawerSelected(), "a selected panel that no longer exists falls back");
        assertEquals("slots", fixed.inspectorSelected());
        assertEquals(0.5, fixed.drawerDivider());
        assertEquals(RunLayout.DEFAULT.inspectorDivider(), fixed.inspectorDivider(), "an absurd divider is reset");
        assertTrue(!fixed.inspectorShown());
    }

    @Test
    void aNullStoredListIsEmptyNotAFailure() {
        RunLayout fixed = new RunLayout(1, null, null, null, null, Double.NaN, Double.NaN, true, true).sanitized(PANELS);
        assertEquals(RunLayout.DEFAULT.sanitized(PANELS), fixed);
    }

    @Test
    void movingAPanelShowsItInTheOtherDockAndBackAgain() {
        RunLayout moved = RunLayout.DEFAULT.moved(RunPanels.CONSOLE);
        assertEquals(List.of(RunPanels.EVENTS, RunPanels.SELECTION, RunPanels.FINDINGS), moved.drawer());
        assertEquals(List.of(RunPanels.SNAPSHOT, RunPanels.SLOTS, RunPanels.SYMBOLS, RunPanels.CONSOLE),
                moved.inspector());
        assertEquals(RunPanels.CONSOLE, moved.inspectorSelected());
        assertEquals(RunPanels.EVENTS, moved.drawerSelected());
        RunLayout back = moved.moved(RunPanels.CONSOLE);
        assertEquals(List.of(RunPanels.EVENTS, RunPanels.SELECTION, RunPanels.FINDINGS, RunPanels.CONSOLE),
                back.drawer());
        assertEquals(RunPanels.CONSOLE, back.drawerSelected());
        assertEquals(RunLayout.DEFAULT.moved("no such panel"), RunLayout.DEFAULT);
    }
}
