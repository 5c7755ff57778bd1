package dev.freezeframe.coordinator.introspect.scx;

import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import java.util.Optional;

/**
 * The sched_ext state of the guest at one moment, as {@code tools/sched_ext/scx_show_state.py} reads it: {@code
 * scx_root} (the root {@code struct scx_sched}, NULL when no BPF scheduler is attached), its ops name, {@code
 * exit_kind} and, once it is exiting, its {@code struct scx_exit_info}.
 *
 * @param root          {@code scx_root}; {@link KernelVirtAddr#NULL} when no scheduler is attached
 * @param opsName       {@code scx_root->ops.name}, or null
 * @param exitKind      {@code scx_root->exit_kind} ({@code enum scx_exit_kind}), or -1 when unreadable/no root
 * @param exitKindName  the enumerator ({@code "SCX_EXIT_NONE"}, {@code "SCX_EXIT_ERROR_BPF"}), or null
 * @param exitKindAddr  where {@code exit_kind} lives (the address the error watchpoint watches), or null
 * @param exitInfoAddr  {@code scx_root->exit_info} (allocated before {@code scx_root} is published), or null
 * @param exitInfo      the exit info when {@code exit_kind} is not {@code SCX_EXIT_NONE}, or null. Note the order
 *                      in which 7.x {@code scx_vexit()} writes it: {@code exit_kind} is claimed first, then
 *                      {@code exit_code}, {@code msg}, {@code kind} and last {@code reason} — a capture stopped on the
 *                      {@code exit_kind} write sees an empty exit info; one stopped on the write of
 *                      {@code exit_info->reason} sees it complete, still before teardown
 * @param unavailable   why some of this could not be read; null when everything was
 */
public record ScxState(KernelVirtAddr root, String opsName, long exitKind, String exitKindName,
        KernelVirtAddr exitKindAddr, KernelVirtAddr exitInfoAddr, ExitInfo exitInfo, String unavailable) {

    /**
     * {@code struct scx_exit_info}: the kind, {@code exit_code}, {@code reason} (a fixed sentence such as "scx_bpf_error")
     * and {@code msg} (the scheduler's or kernel's message, e.g. the {@code scx_bpf_error()} text).
     */
    public record ExitInfo(long kind, String kindName, long exitCode, String reason, String message) {
    }

    /** Whether a BPF scheduler is attached. */
    public boolean attached() {
        return root != null && !root.isNull();
    }

    /** {@code &scx_root->exit_kind}, for the error watchpoint (re-bind when {@link #root()} changes). */
    public Optional<KernelVirtAddr> exitKindAddress() {
        return Optional.ofNullable(exitKindAddr);
    }

    /** Error-class exit kinds are ≥ {@code SCX_EXIT_ERROR} (1024). */
    public boolean isError() {
        return exitKind >= ScxStateReader.SCX_EXIT_ERROR;
    }
}
