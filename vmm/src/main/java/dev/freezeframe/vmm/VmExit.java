package dev.freezeframe.vmm;

/** How a VM ended. Every VM ends exactly once with one of these. */
public sealed interface VmExit {

    /** One sentence for logs and the UI. */
    String describe();

    /**
     * The VMM process exited by itself.
     *
     * @param code         its exit code (0 after a guest poweroff or a requested quit; non-zero when the VMM failed)
     * @param cause        why it stopped the guest
     * @param vmmDiagnostics the last lines the VMM wrote to stderr (empty if none)
     */
    record Exited(int code, ShutdownCause cause, String vmmDiagnostics) implements VmExit {
        @Override
        public String describe() {
            String base = "the VM exited with code " + code + " (" + cause.name().toLowerCase().replace('_', ' ') + ")";
            return vmmDiagnostics.isBlank() ? base : base + ": " + vmmDiagnostics.strip();
        }
    }

    /**
     * We killed the VMM.
     *
     * @param reason why
     */
    record Killed(KillReason reason) implements VmExit {
        @Override
        public String describe() {
            return switch (reason) {
                case REQUESTED -> "the VM was killed on request";
                case RUN_TIMEOUT -> "the VM was killed because it ran past its time limit";
                case SHUTDOWN_TIMEOUT -> "the VM was killed because it did not shut down in time";
                case START_FAILED -> "the VM was killed because it did not start properly";
                case CLOSED -> "the VM was killed because it was closed while running";
            };
        }
    }

    /**
     * The VMM died from a signal nobody in this process sent (e.g. a segfault or an outside kill).
     *
     * @param signal         the signal number
     * @param vmmDiagnostics the last lines the VMM wrote to stderr (empty if none)
     */
    record Crashed(int signal, String vmmDiagnostics) implements VmExit {
        @Override
        public String describe() {
            String base = "the VMM crashed (signal " + signal + ")";
            return vmmDiagnostics.isBlank() ? base : base + ": " + vmmDiagnostics.strip();
        }
    }

    /** Why we killed a VM. */
    enum KillReason {
        REQUESTED, RUN_TIMEOUT, SHUTDOWN_TIMEOUT, START_FAILED, CLOSED
    }
}
