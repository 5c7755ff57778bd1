package dev.freezeframe.app.ui;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the workbench remembers between sessions.
 *
 * @param theme  {@link Theme} name
 * @param window last window bounds, or null to let the window take its default place
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Settings(Theme theme, WindowBounds window) {
    public static final Settings DEFAULTS = new Settings(Theme.SYSTEM, null);

    public Settings {
        theme = theme == null ? Theme.SYSTEM : theme;
    }

    public Settings withTheme(Theme newTheme) {
        return new Settings(newTheme, window);
    }

    public Settings withWindow(WindowBounds newWindow) {
        return new Settings(theme, newWindow);
    }

    /** Window geometry in screen coordinates. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
        public boolean plausible() {
            return width >= 400 && height >= 300 && width < 20_000 && height < 20_000
                    && Double.isFinite(x) && Double.isFinite(y);
        }
    }
}
