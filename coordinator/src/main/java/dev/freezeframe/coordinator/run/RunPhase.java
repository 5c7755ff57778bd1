package dev.freezeframe.coordinator.run;

/** Where a run is, in the order a healthy run goes through them. */
public enum RunPhase {
    BOOTING, READY, SCHEDULER_STARTING, SCHEDULER_ENABLED, SCENARIO_RUNNING, SCENARIO_FINISHED, SCHEDULER_STOPPING,
    POWERING_OFF, ENDED;

    public boolean atLeast(RunPhase other) {
        return compareTo(other) >= 0;
    }
}
