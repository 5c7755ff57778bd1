package dev.freezeframe.coordinator.scenario;

import java.util.Locale;

/**
 * A workload's scheduling policy. {@code ext} (SCHED_EXT) matters for schedulers started in partial mode ({@code -p}):
 * only SCHED_EXT tasks are theirs; the rest stay with the fair class. {@code fifo} and {@code rr} are real-time: such a
 * worker is a hog that runs before any sched_ext task on its CPU (to test starvation handling).
 */
public enum Policy {
    NORMAL(0), FIFO(1), RR(2), BATCH(3), IDLE(5), EXT(7);

    private final int linuxValue;

    Policy(int linuxValue) {
        this.linuxValue = linuxValue;
    }

    /** The SCHED_* constant the agent passes to sched_setscheduler. */
    public int linuxValue() {
        return linuxValue;
    }

    public boolean realTime() {
        return this == FIFO || this == RR;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
