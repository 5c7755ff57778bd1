package dev.freezeframe.vmm;

/** How guest instructions run: on the CPU through KVM, or translated by QEMU's TCG. */
public enum Accelerator {
    /** Hardware virtualization (VMX/SVM) through /dev/kvm. */
    KVM,
    /** QEMU's software translator; works everywhere, several times slower. */
    TCG
}
