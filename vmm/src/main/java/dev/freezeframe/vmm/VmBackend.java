package dev.freezeframe.vmm;

import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.TemplateKey;
import java.util.Optional;

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

    /**
     * The key a boot template of {@code spec} has on this host (docs/fork-and-templates.md); empty when this backend
     * cannot make templates.
     */
    default Optional<TemplateKey> templateKey(VmSpec spec) {
        return Optional.empty();
    }

    /**
     * Starts a guest from a boot template instead of booting it: it runs on from where {@link RunningVm#saveTemplate}
     * saved it, with the same data channel.
     *
     * @throws VmmException TEMPLATE_FAILED saying why the template cannot be used (missing, damaged, made for another
     *                      machine); the other kinds as for {@link #start}
     */
    default RunningVm restore(VmSpec spec, BootTemplate template) {
        throw new VmmException(VmmException.Kind.UNSUPPORTED, "The " + name() + " backend cannot restore boot templates.");
    }
}
