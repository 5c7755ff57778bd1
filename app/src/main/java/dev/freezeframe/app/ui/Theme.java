package dev.freezeframe.app.ui;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.ColorScheme;
import javafx.application.Platform;

/** The workbench's themes: AtlantaFX Primer light or dark, or whichever the desktop prefers (the default). */
public enum Theme {
    SYSTEM, LIGHT, DARK;

    /** The stylesheet for this choice; {@link #SYSTEM} asks the desktop's colour scheme (JavaFX 22+). */
    public String userAgentStylesheet() {
        return resolved() == DARK ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet();
    }

    /** LIGHT or DARK: what {@link #SYSTEM} means on this desktop right now. */
    public Theme resolved() {
        if (this != SYSTEM) return this;
        try {
            return Platform.getPreferences().getColorScheme() == ColorScheme.DARK ? DARK : LIGHT;
        } catch (RuntimeException | Error toolkitNotUp) {
            return LIGHT;
        }
    }
}
