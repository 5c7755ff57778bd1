package dev.freezeframe.coordinator.live;

/**
 * The sentences a {@link LiveRun} refuses a control with, in one place so every implementation (the engine's, the
 * scripted one in UI tests) says the same thing.
 */
public final class LiveRefusals {
    private LiveRefusals() {
    }

    public static String notReady() {
        return "The guest has not reached SYS_RDY yet.";
    }

    public static String ended() {
        return "The run has ended.";
    }

    public static String poweringOff() {
        return "The guest is powering off: the run is ending.";
    }

    public static String alreadyFrozen(String tag) {
        return "The guest is already frozen (since " + tag + "); resume it first.";
    }

    public static String notFrozen() {
        return "The guest is running: there is no freeze to resume.";
    }

    /** Capture now while frozen: a new snapshot would repeat the freeze's own. */
    public static String unchangedSinceFreeze(String tag) {
        return "The guest is frozen: the state has not changed since " + tag + ".";
    }

    public static String watchesNotUp() {
        return "Watches can be armed once the guest's symbol table has arrived and the scheduler is enabled.";
    }
}
