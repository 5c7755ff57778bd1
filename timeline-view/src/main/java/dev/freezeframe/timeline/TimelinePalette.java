package dev.freezeframe.timeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.layout.Background;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;

/**
 * The canvases' colours, read from invisible swatch regions styled with theme tokens (timeline.css), so the canvases
 * follow the theme like every node does. Each colour has a neutral fallback for a scene without an AtlantaFX theme.
 */
final class TimelinePalette {
    Color bg = Color.WHITE;
    Color subtle = Color.gray(0.96);
    Color fg = Color.gray(0.15);
    Color muted = Color.gray(0.45);
    Color border = Color.gray(0.8);
    Color accent = Color.web("#0969da");
    Color accentMuted = Color.web("#54aeff", 0.4);
    Color danger = Color.web("#cf222e");
    Color warning = Color.web("#9a6700");
    Color[] slots = {Color.web("#E69F00"), Color.web("#56B4E9"), Color.web("#009E73")};

    private final Map<String, Region> swatches = new LinkedHashMap<>();

    /** Adds the swatches to a parent's children (unmanaged, invisible); {@code changed} runs when the theme changes. */
    void install(List<Node> children, Runnable changed) {
        for (String name : new String[] {"bg", "subtle", "fg", "muted", "border", "accent", "accent-muted", "danger",
                "warning", "slot1", "slot2", "slot3"}) {
            Region r = new Region();
            r.getStyleClass().add("tl-c-" + name);
            r.setManaged(false);
            r.setVisible(false);
            r.backgroundProperty().addListener((o, a, b) -> changed.run());
            swatches.put(name, r);
            children.add(r);
        }
    }

    /** How many swatch nodes {@link #install} added (series lanes go after them). */
    int swatchCount() {
        return swatches.size();
    }

    /** Reads the swatches' current colours (after a CSS pass). */
    void refresh() {
        bg = read("bg", bg);
        subtle = read("subtle", subtle);
        fg = read("fg", fg);
        muted = read("muted", muted);
        border = read("border", border);
        accent = read("accent", accent);
        accentMuted = read("accent-muted", accentMuted);
        danger = read("danger", danger);
        warning = read("warning", warning);
        slots[0] = read("slot1", slots[0]);
        slots[1] = read("slot2", slots[1]);
        slots[2] = read("slot3", slots[2]);
    }

    Color slot(int slot) {
        return slot >= 1 && slot <= 3 ? slots[slot - 1] : accent;
    }

    private Color read(String name, Color otherwise) {
        Region r = swatches.get(name);
        Background b = r == null ? null : r.getBackground();
        if (b == null || b.getFills().isEmpty()) return otherwise;
        Paint p = b.getFills().getFirst().getFill();
        return p instanceof Color c ? c : otherwise;
    }
}
