package dev.freezeframe.vmm;

/** Why the VMM stopped the guest, as far as the VMM knows. */
public enum ShutdownCause {
    /** The guest powered itself off (ACPI S5), e.g. the agent's poweroff at the end of a run. */
    GUEST_POWEROFF,
    /** The guest reset itself; with reboot disabled this ends the VM. A kernel panic with {@code panic=-1} lands here. */
    GUEST_RESET,
    /** A paravirtual panic device reported a guest panic. */
    GUEST_PANIC,
    /** The host asked the VMM to stop (our shutdown request, a signal). */
    HOST_REQUEST,
    /** The VMM never said (it failed, crashed, or was killed). */
    UNKNOWN
}
