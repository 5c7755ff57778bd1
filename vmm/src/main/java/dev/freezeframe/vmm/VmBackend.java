package dev.freezeframe.vmm;

/**
 * Boots guests. Implementations: the QEMU backend ({@code dev.freezeframe.vmm.qemu}); a KVM backend over Panama FFM is
 * planned (docs/architecture.md §3). Both give the same {@link RunningVm} capabilities.
 *
 * <p>Freeze/thaw, per-vCPU registers and watchpoints are methods of {@link RunningVm} ({@link RunningVm#freeze()}
 * returns a {@link FrozenVm} that reads registers and thaws on close), so callers never see which backend runs the
 * guest. Each backend maps them to its own control channel: the QEMU backend does all of it through QEMU's gdbstub,
 * which alone decides whether the guest runs (QMP is left to lifecycle).
 */
public interface VmBackend {

    /** A short name for logs and the UI, e.g. "qemu". */
    String name();

    /**
     * Starts a guest and returns once the VMM is running it and under control. The console is captured from the first
     * byte. On failure nothing is left behind (no process, no runtime files).
     *
     * @throws VmmException with a sentence the user can act on (missing QEMU, unreadable kernel, VMM refused the
     *                      configuration, no answer within the start timeout)
     */
    RunningVm start(VmSpec spec);
}
