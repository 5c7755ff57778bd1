package dev.freezeframe.app.ui.run;

/** What the guest of a run tab is doing, as the toolbar, the tab glyph and the status chip show it. */
public enum GuestState {
    BOOTING("● BOOTING"),
    RUNNING("● RUNNING"),
    FREEZING("❄ FREEZING"),
    FROZEN("❄ FROZEN"),
    RESUMING("● RESUMING"),
    ENDED("■ ENDED"),
    ARCHIVED("◼ ARCHIVED");

    private final String chip;

    GuestState(String chip) {
        this.chip = chip;
    }

    /** The status bar chip text. */
    public String chip() {
        return chip;
    }

    public boolean live() {
        return this != ENDED && this != ARCHIVED;
    }
}
