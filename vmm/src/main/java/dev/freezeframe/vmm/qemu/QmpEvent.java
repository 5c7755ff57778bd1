package dev.freezeframe.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An asynchronous QMP event (e.g. {@code SHUTDOWN}, {@code STOP}, {@code RESUME}).
 *
 * @param name the event name
 * @param data its {@code data} member (an empty object when absent)
 */
public record QmpEvent(String name, JsonNode data) {
}
