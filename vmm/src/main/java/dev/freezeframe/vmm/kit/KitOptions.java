package dev.freezeframe.vmm.kit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code kit build} was asked for.
 *
 * @param kernel     a user's bzImage instead of Debian's kernel
 * @param vmlinux    the user kernel's vmlinux (otherwise extracted from the bzImage)
 * @param schedulers user scheduler binaries to add to the guest (static, or dynamic with their libraries)
 * @param refresh    resolve the newest Debian packages again instead of keeping the current kit's versions
 */
public record KitOptions(Optional<Path> kernel, Optional<Path> vmlinux, List<Path> schedulers, boolean refresh) {
    public KitOptions {
        schedulers = List.copyOf(schedulers);
        if (vmlinux.isPresent() && kernel.isEmpty()) {
            throw new IllegalArgumentException("--vmlinux goes with --kernel");
        }
    }

    public static KitOptions defaults() {
        return new KitOptions(Optional.empty(), Optional.empty(), List.of(), false);
    }

    public boolean hasOverrides() {
        return kernel.isPresent() || !schedulers.isEmpty();
    }
}
