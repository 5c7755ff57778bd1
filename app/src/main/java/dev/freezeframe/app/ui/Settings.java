package dev.freezeframe.app.ui;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.freezeframe.app.ui.launch.LaunchChoices;

/**
 * What the workbench remembers between sessions.
 *
 * @param theme  {@link Theme} name
 * @param window last window bounds, or null to let the window take its default place
 * @param launch the launch form's last choices (absent in files written before the form existed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Settings(Theme theme, WindowBounds window, LaunchChoices launch) {
    public static final Settings DEFAULTS = new Settings(Theme.SYSTEM, null);

    public Settings {
        theme = theme == null ? Theme.SYSTEM : theme;
        launch = launch == null ? LaunchChoices.DEFAULTS : launch;
    }

    public Settings(Theme theme, WindowBounds window) {
        this(theme, window, null);
    }

    public Settings withTheme(Theme newTheme) {
        return new Settings(newTheme, window, launch);
    }

    public Settings withWindow(WindowBounds newWindow) {
        return new Settings(theme, newWindow, launch);
    }

    public Settings withLaunch(LaunchChoices newLaunch) {
        return new Settings(theme, window, newLaunch);
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
