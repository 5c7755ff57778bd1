package dev.freezeframe.vmm;

/**
 * Receives watchpoint hits. Called on a backend thread, one hit at a time, while the guest is stopped; the guest stays
 * stopped until the hit is closed, which the listener may do itself or leave to another thread (for example after a
 * capture). A listener that throws has its hit closed for it, so the guest never stays stopped by accident.
 */
@FunctionalInterface
public interface WatchHitListener {

    void onHit(WatchHit hit);
}
