package dev.freezeframe.coordinator.run;

/**
 * How the VM process ended.
 *
 * @param exitCode the process exit code when it exited, else -1
 * @param signal   the signal that killed it, else 0
 * @param byUs     Freezeframe stopped it (timeout, watchdog, cancel) rather than the guest or someone else
 */
public record VmEnd(int exitCode, int signal, boolean byUs) {
    public static VmEnd exited(int exitCode) {
        return new VmEnd(exitCode, 0, false);
    }

    public static VmEnd killed(int signal, boolean byUs) {
        return new VmEnd(-1, signal, byUs);
    }

    public String describe() {
        if (byUs) return "stopped by Freezeframe";
        if (signal != 0) return "killed by signal " + signal;
        return exitCode == 0 ? "exited normally" : "exited with code " + exitCode;
    }
}
