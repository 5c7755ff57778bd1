package dev.freezeframe.vmm;

import java.util.Objects;

/**
 * The one error type of the {@code vmm} module. Its message is a sentence a user can act on (what happened and what to
 * do); technical detail belongs in the cause, which goes to the log. {@link #kind()} lets callers branch without parsing
 * the message.
 */
public class VmmException extends RuntimeException {

    /** What went wrong, coarse enough for a caller to decide what to do next. */
    public enum Kind {
        /** Anything not classified below. */
        OTHER,
        /** The host lacks something the VM needs (QEMU binary, /dev/kvm, a kernel file). */
        HOST_SETUP,
        /** The requested VM configuration is invalid. */
        BAD_SPEC,
        /** The VM could not be started or did not come up in time. */
        START_FAILED,
        /** The VMM's control channel (QMP or the gdbstub) failed, answered nonsense, or did not answer in time. */
        CONTROL_FAILED,
        /** A guest-physical access fell outside guest RAM. */
        MEMORY_OUT_OF_RANGE,
        /** The guest broke the data channel's rules (bad indices, wrong magic). */
        CHANNEL_CORRUPT,
        /** The VM is gone (exited, killed or closed) and cannot serve the request. */
        VM_GONE,
        /** This backend (or its accelerator) cannot do what was asked; the message says what it lacks. */
        UNSUPPORTED,
        /** A watchpoint was not armed: bad size or alignment, unsupported kind, already armed, or refused by the VMM. */
        WATCHPOINT_REFUSED,
        /** A boot template could not be saved or restored (missing, stale, or refused by the VMM); the message says why. */
        TEMPLATE_FAILED
    }

    private final Kind kind;

    public VmmException(String userMessage) {
        this(Kind.OTHER, userMessage, null);
    }

    public VmmException(String userMessage, Throwable cause) {
        this(Kind.OTHER, userMessage, cause);
    }

    public VmmException(Kind kind, String userMessage) {
        this(kind, userMessage, null);
    }

    public VmmException(Kind kind, String userMessage, Throwable cause) {
        super(userMessage, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
