package dev.freezeframe.vmm;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the backend waits for each phase before giving up.
 *
 * @param start         from launching the VMM until it is under control (control channel answered); past it, start fails
 * @param run           longest the VM may live; past it, the backend kills it and reports the exit as killed on timeout
 * @param shutdownGrace after a clean shutdown request, how long to wait before killing
 * @param command       longest wait for one control-channel command
 */
public record VmTimeouts(Duration start, Duration run, Duration shutdownGrace, Duration command) {

    public static final VmTimeouts DEFAULTS =
            new VmTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(30), Duration.ofSeconds(5), Duration.ofSeconds(10));

    public VmTimeouts {
        requirePositive(start, "start");
        requirePositive(run, "run");
        requirePositive(shutdownGrace, "shutdownGrace");
        requirePositive(command, "command");
    }

    public VmTimeouts withRun(Duration newRun) {
        return new VmTimeouts(start, newRun, shutdownGrace, command);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new VmmException(VmmException.Kind.BAD_SPEC, "The " + name + " timeout must be positive, not " + d + ".");
        }
    }
}
