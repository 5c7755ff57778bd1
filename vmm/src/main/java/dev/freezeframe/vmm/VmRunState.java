package dev.freezeframe.vmm;

/** Whether the guest's vCPUs are executing, as reported by the VMM. */
public enum VmRunState {
    /** vCPUs are executing guest code. */
    RUNNING,
    /** vCPUs are stopped (by a pause or a debug stop); guest memory is stable. */
    PAUSED,
    /** The guest has shut down; the VMM is on its way out. */
    SHUT_DOWN,
    /** Any other VMM state (in migration, in an internal error, ...). */
    OTHER
}
