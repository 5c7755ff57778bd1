package dev.freezeframe.app.ui.run;

/** What the guest of a run tab is doing, as the toolbar, the tab glyph and the status chip show it. */
public enum GuestState {
    BOOTING("● BOOTING", "booting"),
    RUNNING("● RUNNING", "running"),
    FREEZING("❄ FREEZING", "freezing"),
    FROZEN("❄ FROZEN", "frozen"),
    RESUMING("● RESUMING", "resuming"),
    ENDED("■ ENDED", "ended"),
    ARCHIVED("◼ ARCHIVED", "archived");

    private final String chip;
    private final String word;

    GuestState(String chip, String word) {
        this.chip = chip;
        this.word = word;
    }

    /** The status bar chip text. */
    public String chip() {
        return chip;
    }

    public String word() {
        return word;
    }

    public boolean live() {
        return this != ENDED && this != ARCHIVED;
    }
}
