package dev.freezeframe.coordinator.run;

import java.util.Objects;

/**
 * How the VM ended, as the run needs it.
 *
 * @param description one sentence from the backend (e.g. "the VMM crashed (signal 9)")
 */
public record VmEnd(String description) {
    public VmEnd {
        Objects.requireNonNull(description, "description");
    }

    public String describe() {
        return description;
    }
}
