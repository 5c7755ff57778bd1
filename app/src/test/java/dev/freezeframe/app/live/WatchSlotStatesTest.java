package dev.freezeframe.app.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.coordinator.live.WatchSlotState.State;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import org.junit.jupiter.api.Test;

class WatchSlotStatesTest {
    private final WatchSlotStates states = new WatchSlotStates();
    private long seq;

    private void event(Lane lane, String kind, String text, String detail) {
        states.apply(new RunEvent(seq++, seq * 1000, lane, kind, text, null, detail));
    }

    @Test
    void slotsFollowTheirEventsFromArmedThroughHitsToDisarmed() {
        event(Lane.SNAPSHOTS, "error_trigger", "error trigger armed", """
                {"slot":0,"state":"armed","watch":"scx_root->exit_kind","address":"0xffff888003c41010","size":4,\
                "kind":"write"}""");
        event(Lane.WATCHPOINTS, "armed", "slot 2: total_forks armed", """
                {"slot":2,"watch":"total_forks","address":"0xffffffff83a00010","size":8,"kind":"write","hits":0}""");
        event(Lane.WATCHPOINTS, "hit", "total_forks hit 1", "{\"slot\":2,\"hit\":1,\"snapshot\":true}");
        event(Lane.WATCHPOINTS, "hit", "total_forks hit 2", "{\"slot\":2,\"hit\":2,\"snapshot\":false}");
        event(Lane.WATCHPOINTS, "refused", "no", "{\"request\":\"watch x\",\"reason\":\"no\"}");
        event(Lane.CONSOLE, "line", "slot 3", null);

        assertEquals(new WatchSlotState(0, State.ARMED, "scx_root->exit_kind", "write, 4 bytes at 0xffff888003c41010",
                0, 0), states.slots().get(0));
        assertEquals(WatchSlotState.free(1), states.slots().get(1));
        assertEquals(new WatchSlotState(2, State.ARMED, "total_forks", "write, 8 bytes at 0xffffffff83a00010", 2, 1),
                states.slots().get(2));

        event(Lane.WATCHPOINTS, "auto_disarmed", "total_forks was hit 21 times in 1 s", """
                {"slot":2,"watch":"total_forks","hits":21,"snapshots":10}""");
        assertEquals(new WatchSlotState(2, State.AUTO_DISARMED, "total_forks", "total_forks was hit 21 times in 1 s",
                21, 10), states.slots().get(2));

        event(Lane.SNAPSHOTS, "error_trigger", "scheduler exiting cleanly", "{\"slot\":0,\"state\":\"disarmed\"}");
        assertEquals(State.DISARMED, states.slots().get(0).state());
    }
}
