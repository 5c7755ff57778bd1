package dev.freezeframe.coordinator.introspect.kernel;

import dev.freezeframe.coordinator.introspect.mem.Read;
import java.util.Objects;

/**
 * The kernel the guest actually runs, as its agent described it (KERNEL_BTF): what every snapshot of the run is decoded
 * with, whichever kernel the user booted.
 *
 * @param release {@code uname -r}
 * @param buildId the kernel's GNU build id in lower-case hex, empty when it has none
 * @param btf     its raw {@code /sys/kernel/btf/vmlinux} (empty when unavailable), for caching by build id
 * @param types   its struct layouts, or why there are none (no BTF, a broken transfer)
 */
public record GuestKernel(String release, String buildId, byte[] btf, Read<KernelTypes> types) {
    public GuestKernel {
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(buildId, "buildId");
        Objects.requireNonNull(btf, "btf");
        Objects.requireNonNull(types, "types");
    }

    /** {@code 7.3.4+deb13-amd64 (build id 1a2b3c4d5e6f…)}. */
    public String describe() {
        return release + (buildId.isEmpty() ? "" : " (build id " + buildId.substring(0, Math.min(12, buildId.length()))
                + (buildId.length() > 12 ? "…" : "") + ")");
    }
}
