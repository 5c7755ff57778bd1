package dev.freezeframe.vmm.channel;

import java.util.concurrent.locks.LockSupport;

/**
 * How a ring end waits for its peer. The shared-memory channel has no doorbell (a guest write to the ring causes no VM
 * exit), so each side polls: a few spins for back-to-back traffic, then sleeps that double up to {@link #MAX_PARK_NANOS}
 * so an idle channel costs almost no CPU on a shared host. Worst-case added latency is one maximum sleep.
 */
final class PollingBackoff {

    static final long MAX_PARK_NANOS = 1_000_000;
    private static final int SPINS = 64;
    private static final long FIRST_PARK_NANOS = 20_000;

    private int spins;
    private long parkNanos;

    void reset() {
        spins = 0;
        parkNanos = 0;
    }

    void pause() {
        if (spins < SPINS) {
            spins++;
            Thread.onSpinWait();
            return;
        }
        parkNanos = parkNanos == 0 ? FIRST_PARK_NANOS : Math.min(parkNanos * 2, MAX_PARK_NANOS);
        LockSupport.parkNanos(parkNanos);
    }
}
