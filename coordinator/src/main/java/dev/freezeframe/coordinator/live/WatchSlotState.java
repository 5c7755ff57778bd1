package dev.freezeframe.coordinator.live;

import java.util.Objects;

/**
 * One watch slot as the live view shows it.
 *
 * @param slot      0..3 (0 = the scheduler-error trigger)
 * @param state     what the slot holds now
 * @param label     the watched symbol ({@code total_forks}), {@code scx_root->exit_kind} for slot 0, empty when free
 * @param detail    "write, 8 bytes at 0x…", or the reason it was disarmed; may be empty
 * @param hits      hits since it was armed
 * @param snapshots hits that got a snapshot
 * @param stayFrozen a hit keeps the guest frozen on its snapshot until resumed
 */
public record WatchSlotState(int slot, State state, String label, String detail, long hits, int snapshots,
                             boolean stayFrozen) {
    public enum State { FREE, ARMED, AUTO_DISARMED, DISARMED }

    public WatchSlotState {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(detail, "detail");
    }

    /** A slot whose hits let the guest run on. */
    public WatchSlotState(int slot, State state, String label, String detail, long hits, int snapshots) {
        this(slot, state, label, detail, hits, snapshots, false);
    }

    public static WatchSlotState free(int slot) {
        return new WatchSlotState(slot, State.FREE, "", "", 0, 0);
    }

    /** This slot with its "stay frozen on hit" setting. */
    public WatchSlotState withStayFrozen(boolean stay) {
        return new WatchSlotState(slot, state, label, detail, hits, snapshots, stay);
    }
}
