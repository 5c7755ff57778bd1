package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * QEMU's {@code -initrd} takes one file for a Linux kernel, so several archives (the kit's base plus per-run overlays)
 * are concatenated. The kernel unpacks concatenated archives in order, later files replacing earlier ones; an
 * uncompressed cpio must start on a 4-byte boundary, so each part is zero-padded to one (zeros between archives are
 * skipped by the kernel's unpacker).
 */
final class InitrdMerger {

    private InitrdMerger() {
    }

    static void merge(List<Path> parts, Path target) {
        try (OutputStream out = Files.newOutputStream(target)) {
            for (Path part : parts) {
                long size = Files.copy(part, out);
                out.write(new byte[(int) ((4 - (size & 3)) & 3)]);
            }
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.HOST_SETUP,
                    "Could not prepare the initramfs for the VM from " + parts + "; check that the files are readable.", e);
        }
    }
}
