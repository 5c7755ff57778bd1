package dev.freezeframe.vmm;

/** What the user asked for: let the host decide, or force one accelerator. */
public enum AcceleratorChoice {
    /** KVM when hardware virtualization is usable, else TCG (see {@link AcceleratorDetector}). */
    AUTO,
    KVM,
    TCG
}
