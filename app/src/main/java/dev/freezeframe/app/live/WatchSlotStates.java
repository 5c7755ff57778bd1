package dev.freezeframe.app.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.live.WatchSlotState;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The four watch slots of a live run as its events tell them: slot 0 from the scheduler-error trigger's
 * {@code error_trigger} events (lane snapshots, detail {@code state}), slots 1–3 from the watchpoints lane's
 * {@code armed}, {@code hit}, {@code on_hit}, {@code disarmed} and {@code auto_disarmed} events (detail
 * {@code slot}). Folding the
 * stream rather than asking the engine gives the same answer for a recorded run, the engine and a scripted one.
 * Thread-safe.
 */
public final class WatchSlotStates {
    static final String ERROR_TRIGGER_LABEL = "scx_root->exit_kind";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WatchSlotState[] slots = new WatchSlotState[4];

    public WatchSlotStates() {
        for (int i = 0; i < slots.length; i++) slots[i] = WatchSlotState.free(i);
    }

    public synchronized List<WatchSlotState> slots() {
        return List.of(slots);
    }

    /** Takes one event into account; events of other lanes and kinds are ignored. */
    public synchronized void apply(RunEvent event) {
        if (event.lane() == Lane.SNAPSHOTS && event.kind().equals("error_trigger")) {
            JsonNode d = detail(event);
            if (d != null) errorTrigger(event, d);
        } else if (event.lane() == Lane.WATCHPOINTS) {
            JsonNode d = detail(event);
            if (d == null || !d.has("slot")) return;
            int n = d.get("slot").asInt();
            if (n < 1 || n >= slots.length) return;
            WatchSlotState was = slots[n];
            switch (event.kind()) {
                case "armed" -> slots[n] = new WatchSlotState(n, WatchSlotState.State.ARMED, d.path("watch").asText(),
                        where(d), 0, 0);
                case "hit" -> {
                    if (was.state() == WatchSlotState.State.ARMED) {
                        slots[n] = new WatchSlotState(n, was.state(), was.label(), was.detail(), was.hits() + 1,
                                was.snapshots() + (d.path("snapshot").asBoolean() ? 1 : 0), was.stayFrozen());
                    }
                }
                case "on_hit" -> {
                    if (was.state() == WatchSlotState.State.ARMED) {
                        slots[n] = was.withStayFrozen(d.path("stay_frozen").asBoolean());
                    }
                }
                case "disarmed" -> slots[n] = new WatchSlotState(n, WatchSlotState.State.DISARMED,
                        d.path("watch").asText(was.label()), "disarmed", d.path("hits").asLong(was.hits()),
                        d.path("snapshots").asInt(was.snapshots()));
                case "auto_disarmed" -> slots[n] = new WatchSlotState(n, WatchSlotState.State.AUTO_DISARMED,
                        d.path("watch").asText(was.label()), event.text(), d.path("hits").asLong(was.hits()),
                        d.path("snapshots").asInt(was.snapshots()));
                default -> {
                    // refused and anything newer: the slot is unchanged
                }
            }
        }
    }

    private void errorTrigger(RunEvent event, JsonNode d) {
        WatchSlotState was = slots[0];
        slots[0] = switch (d.path("state").asText()) {
            case "armed" -> new WatchSlotState(0, WatchSlotState.State.ARMED, ERROR_TRIGGER_LABEL, where(d), 0, 0);
            case "latched" -> new WatchSlotState(0, WatchSlotState.State.ARMED, ERROR_TRIGGER_LABEL,
                    "error exit latched; capturing as the teardown begins", was.hits() + 1, 0);
            case "fired" -> new WatchSlotState(0, WatchSlotState.State.DISARMED, ERROR_TRIGGER_LABEL, event.text(),
                    was.hits() + 1, 1);
            case "disarmed" -> new WatchSlotState(0, WatchSlotState.State.DISARMED, ERROR_TRIGGER_LABEL, event.text(),
                    was.hits() + 1, 0);
            case "not_armed" -> new WatchSlotState(0, WatchSlotState.State.FREE, "", event.text(), 0, 0);
            default -> was;
        };
    }

    /** "write, 8 bytes at 0xffffffff83a00010". */
    private static String where(JsonNode d) {
        int size = d.path("size").asInt();
        return d.path("kind").asText("write") + ", " + size + " byte" + (size == 1 ? "" : "s") + " at "
                + d.path("address").asText("?");
    }

    private static JsonNode detail(RunEvent event) {
        if (event.detailJson() == null) return null;
        try {
            return JSON.readTree(event.detailJson());
        } catch (IOException e) {
            return null;
        }
    }

    /** For tests and logs. */
    @Override
    public synchronized String toString() {
        List<String> parts = new ArrayList<>();
        for (WatchSlotState s : slots) parts.add(s.slot() + ": " + s.state() + " " + s.label());
        return String.join("; ", parts);
    }
}
