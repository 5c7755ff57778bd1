package dev.freezeframe.app.ui.shell;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One row of the command palette: a command of the {@link KeyMap}, or what a mode made of the typed text ("Go to
 * +12.500 s", "Open run #55").
 *
 * @param id          a stable id ({@code ff.run.freeze}, {@code ff.goto.time})
 * @param detail      shown on the right: the command's keys, or what the row will do
 * @param unavailable why it cannot run now, or an empty string when it can
 * @param alternate   what Shift+Enter does instead (e.g. pin a field that Enter plots); null when nothing
 */
public record PaletteItem(String id, String title, String detail, Supplier<String> unavailable, Runnable action,
                          Runnable alternate) {
    public PaletteItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        detail = detail == null ? "" : detail;
        unavailable = unavailable == null ? () -> "" : unavailable;
    }

    /** A row with one action (Shift+Enter does what Enter does). */
    public PaletteItem(String id, String title, String detail, Supplier<String> unavailable, Runnable action) {
        this(id, title, detail, unavailable, action, null);
    }

    /** The row of a registered action; it runs through the key map, which checks it is available. */
    static PaletteItem of(KeyMap.Action a, KeyMap keyMap) {
        return new PaletteItem(a.id(), a.title(), a.keyText(), () -> keyMap.whyNot(a), () -> keyMap.run(a));
    }

    /** A row that only says why the typed text cannot be used (it never runs). */
    public static PaletteItem refusal(String id, String title, String why) {
        return new PaletteItem(id, title, "", () -> why, () -> { });
    }

    /** The keys shown for a command (kept for callers that read a command's keys). */
    public String keyText() {
        return detail;
    }
}
