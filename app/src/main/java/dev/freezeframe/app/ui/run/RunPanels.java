package dev.freezeframe.app.ui.run;

import java.util.Objects;
import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

/** The dockable panels of a run tab, by stable id (stored in layouts). */
public final class RunPanels {
    public static final String CONSOLE = "console";
    public static final String EVENTS = "events";
    public static final String SNAPSHOT = "snapshot";
    public static final String SLOTS = "slots";
    public static final String SYMBOLS = "symbols";
    public static final String SELECTION = "selection";
    public static final String FINDINGS = "findings";
    /** Every panel and the name the palette's move commands give it. */
    public static final java.util.Map<String, String> NAMES = java.util.Map.of(CONSOLE, "Console", EVENTS, "Events",
            SNAPSHOT, "Snapshots", SLOTS, "Watch slots", SYMBOLS, "Symbols", SELECTION, "Selection", FINDINGS,
            "Findings");

    private RunPanels() {
    }

    /** One panel: its id, tab title, icon and content. */
    public record Panel(String id, String title, Ikon icon, Node content) {
        public Panel {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(content, "content");
        }
    }
}
