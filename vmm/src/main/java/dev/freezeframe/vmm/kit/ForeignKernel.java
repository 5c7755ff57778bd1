package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel the user boots instead of the kit's ({@code run --kernel}), checked before anything boots: it must be a
 * bzImage, carry BTF (the host decodes snapshots with the guest's own BTF, and schedulers need it for CO-RE) and have
 * sched_ext. The kit's schedulers are built from one {@code linux-source} version; their BPF programs relocate by CO-RE
 * against the running kernel's BTF, which carries them across flavours and builds of that version (verified: the kit's
 * scx_qmap on Debian's generic 7.3.4 kernel), but not across versions, whose sched_ext interface changes (kfuncs are
 * renamed, ops gain and lose callbacks). So a kit scheduler is refused on a kernel of another major.minor version.
 *
 * @param release the kernel's release ({@code uname -r}, from the bzImage's version string)
 * @param config  its embedded config (CONFIG_IKCONFIG), if it has one: libbpf reads it as {@code /boot/config-<release>}
 */
public record ForeignKernel(String release, Optional<String> config) {
    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    /**
     * @param workDir a scratch folder (the vmlinux is decompressed into it and deleted)
     * @throws VmmException with a sentence for the user when the kernel cannot run Freezeframe's schedulers
     */
    public static ForeignKernel check(Path bzImage, Path workDir) {
        BzImage image = BzImage.read(bzImage);
        Path vmlinux = workDir.resolve("foreign-vmlinux");
        try {
            Files.createDirectories(workDir);
            image.extractVmlinux(vmlinux, workDir, new Tools(workDir.resolve("kernel-check.log")));
            ElfInfo elf = ElfInfo.read(vmlinux);
            if (elf.elfClass() != ElfInfo.CLASS_64 || elf.machine() != ElfInfo.EM_X86_64) {
                throw new VmmException("The kernel " + bzImage + " is not an x86-64 kernel.");
            }
            if (!elf.sections().containsKey(".BTF")) {
                throw new VmmException("The kernel " + bzImage + " (" + image.version() + ") has no type information"
                        + " (BTF): Freezeframe decodes snapshots with it and sched_ext schedulers need it. Boot a"
                        + " kernel built with CONFIG_DEBUG_INFO_BTF=y.");
            }
            Optional<String> config = BzImage.embeddedConfig(vmlinux);
            boolean schedExt = config.map(BzImage::configHasSchedExt).orElseGet(() -> BzImage.btfHasSchedExt(elf));
            if (!schedExt) {
                throw new VmmException("The kernel " + bzImage + " (" + image.version() + ") was built without"
                        + " sched_ext (CONFIG_SCHED_CLASS_EXT=y), so no sched_ext scheduler can run on it.");
            }
            return new ForeignKernel(image.version(), config);
        } catch (IOException e) {
            throw new VmmException("Cannot check the kernel " + bzImage + " (" + e.getMessage() + ").", e);
        } finally {
            try {
                Files.deleteIfExists(vmlinux);
            } catch (IOException ignored) {
                // a scratch file in the run's own folder, removed with it
            }
        }
    }

    /**
     * Refuses a kit scheduler on a kernel whose version differs from the kit's: it was built against the kit's
     * sched_ext interface.
     *
     * @throws VmmException saying what to do instead
     */
    public void requireKitSchedulersMatch(Kit kit, String scheduler) {
        Optional<String> kitVersion = majorMinor(kit.kernelVersion());
        Optional<String> version = majorMinor(release);
        if (kitVersion.isEmpty() || !kitVersion.equals(version)) {
            throw new VmmException("The kit's " + scheduler + " was built for Linux " + kitVersion.orElse(
                    kit.kernelVersion()) + " (" + kit.kernelVersion() + "), and this kernel is " + release + ": its"
                    + " BPF programs use that version's sched_ext interface and would not load. Boot a "
                    + kitVersion.orElse(kit.kernelVersion()) + " kernel, or pass a scheduler built for " + release
                    + " as a file path.");
        }
    }

    static Optional<String> majorMinor(String release) {
        Matcher m = MAJOR_MINOR.matcher(release);
        return m.find() ? Optional.of(m.group(1) + "." + m.group(2)) : Optional.empty();
    }
}
