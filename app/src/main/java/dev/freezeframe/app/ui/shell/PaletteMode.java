package dev.freezeframe.app.ui.shell;

import java.util.List;

/**
 * What the palette offers when the text starts with a prefix (Perfetto's omnibox modes): {@code >} commands,
 * {@code t } a run time, {@code run } an archived run. The rest of the text after the prefix is the query.
 *
 * @param prefix what the text starts with ({@code ">"}, {@code "t "})
 * @param hint   one line shown in the palette while this mode is active, saying what to type
 */
public record PaletteMode(String prefix, String hint, Query items) {
    /** The rows for the text after the prefix, best first. */
    @FunctionalInterface
    public interface Query {
        List<PaletteItem> items(String query);
    }
}
