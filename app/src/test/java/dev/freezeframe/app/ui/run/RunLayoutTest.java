package dev.freezeframe.app.ui.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored layout is made valid for the panels that exist; moving a panel keeps every panel in exactly one dock. */
class RunLayoutTest {
    private static final Set<String> PANELS = RunPanels.NAMES.keySet();

    @TempDir
    Path dir;

    @Test
    void unknownPanelsAreDroppedMissingOnesReturnHomeAndDuplicatesCountOnce() {
        RunLayout stored = new RunLayout(2, DockTree.split(true, List.of(0.5), List.of(
                DockTree.tabs(List.of("console", "plot", "console"), "plot"), DockTree.tabs(List.of("plot"), "plot"))),
                DockTree.tabs(List.of("console", "slots"), "slots"), 0.5, 0.99, true, false);
        RunLayout fixed = stored.sanitized(PANELS);
        assertEquals(DockTree.tabs(List.of("console", "events", "selection", "findings"), "console"), fixed.drawer(),
                "the split whose only panel is unknown folds away; events returns home");
        assertEquals(List.of("slots", "snapshot", "symbols"), fixed.inspector().allPanels());
        assertEquals("slots", fixed.inspector().selected());
        assertEquals(0.5, fixed.drawerDivider());
        assertEquals(RunLayout.DEFAULT.inspectorDivider(), fixed.inspectorDivider(), "an absurd divider is reset");
        assertTrue(!fixed.inspectorShown());
        assertEveryPanelOnce(fixed);
    }

    @Test
    void aNullStoredTreeIsEmptyNotAFailure() {
        RunLayout fixed = new RunLayout(2, null, null, Double.NaN, Double.NaN, true, true).sanitized(PANELS);
        assertEquals(RunLayout.DEFAULT.sanitized(PANELS), fixed);
    }

    @Test
    void aSplitKeepsItsOrientationAndDividersAndAbsurdDividersAreSpreadEvenly() {
        DockTree split = DockTree.split(false, List.of(0.3), List.of(DockTree.tabs(List.of("console", "selection", "findings"), "console"),
                DockTree.tabs(List.of("events"), "events")));
        RunLayout kept = RunLayout.DEFAULT.withDocks(split, RunLayout.DEFAULT.inspector()).sanitized(PANELS);
        assertEquals(split, kept.drawer());
        DockTree bad = DockTree.split(true, List.of(7.0), split.split());
        assertEquals(List.of(0.5), RunLayout.DEFAULT.withDocks(bad, RunLayout.DEFAULT.inspector()).sanitized(PANELS)
                .drawer().dividers());
    }

    @Test
    void movingAPanelShowsItInTheOtherDockAndBackAgain() {
        RunLayout moved = RunLayout.DEFAULT.moved(RunPanels.CONSOLE);
        assertEquals(List.of(RunPanels.EVENTS, RunPanels.SELECTION, RunPanels.FINDINGS), moved.drawer().allPanels());
        assertEquals(List.of(RunPanels.SNAPSHOT, RunPanels.SLOTS, RunPanels.SYMBOLS, RunPanels.CONSOLE),
                moved.inspector().allPanels());
        assertEquals(RunPanels.CONSOLE, moved.inspector().selected());
        assertEquals(RunPanels.EVENTS, moved.drawer().selected());
        RunLayout back = moved.moved(RunPanels.CONSOLE);
        assertEquals(List.of(RunPanels.EVENTS, RunPanels.SELECTION, RunPanels.FINDINGS, RunPanels.CONSOLE), back.drawer().allPanels());
        assertEquals(RunPanels.CONSOLE, back.drawer().selected());
        assertEquals(RunLayout.DEFAULT.moved("no such panel"), RunLayout.DEFAULT);
        assertEquals(RunLayout.DEFAULT, RunLayout.DEFAULT.movedTo(RunPanels.CONSOLE, RunLayout.DRAWER));
    }

    @Test
    void movingTheLastPanelOutOfASplitFoldsTheSplit() {
        DockTree split = DockTree.split(true, List.of(0.5), List.of(DockTree.tabs(List.of("console", "selection", "findings"), "console"),
                DockTree.tabs(List.of("events"), "events")));
        RunLayout moved = RunLayout.DEFAULT.withDocks(split, RunLayout.DEFAULT.inspector())
                .movedTo(RunPanels.EVENTS, RunLayout.INSPECTOR);
        assertEquals(DockTree.tabs(List.of("console", "selection", "findings"), "console"), moved.drawer());
        assertEveryPanelOnce(moved);
    }

    @Test
    void aSchemaOneFileIsConvertedAndAGarbledOneGivesTheShippedLayout() throws Exception {
        LayoutStore store = new LayoutStore(dir);
        Files.createDirectories(store.file().getParent());
        Files.writeString(store.file(), """
                {"schema":1,"drawer":["events","plot"],"inspector":["snapshot","console","slots"],
                 "drawerSelected":"events","inspectorSelected":"console","drawerDivider":0.5,
                 "inspectorDivider":0.7,"drawerShown":true,"inspectorShown":true}""");
        RunLayout old = store.load(PANELS);
        assertEquals(RunLayout.INSPECTOR, old.dockOf(RunPanels.CONSOLE));
        assertEquals("console", old.inspector().selected());
        assertEquals(0.7, old.inspectorDivider());
        assertEveryPanelOnce(old);

        Files.writeString(store.file(), "{\"schema\":2,\"drawer\":{\"split\":[3]}}");
        assertEquals(RunLayout.DEFAULT.sanitized(PANELS), store.load(PANELS));
        Files.writeString(store.file(), "[not json");
        assertEquals(RunLayout.DEFAULT.sanitized(PANELS), store.load(PANELS));
    }

    @Test
    void aSavedLayoutReadsBackTheSame() {
        LayoutStore store = new LayoutStore(dir);
        RunLayout layout = RunLayout.DEFAULT.withDocks(DockTree.split(true, List.of(0.4), List.of(
                DockTree.tabs(List.of("console", "selection", "findings"), "console"), DockTree.tabs(List.of("events"), "events"))),
                RunLayout.DEFAULT.inspector()).withShown(false, true);
        store.save(layout);
        assertEquals(layout, store.load(PANELS));
    }

    static void assertEveryPanelOnce(RunLayout layout) {
        List<String> all = new ArrayList<>(layout.drawer().allPanels());
        all.addAll(layout.inspector().allPanels());
        assertEquals(PANELS.size(), all.size(), all.toString());
        assertEquals(PANELS, Set.copyOf(all));
    }
}
