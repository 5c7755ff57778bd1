package dev.freezeframe.vmm.template;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A guest saved at the moment its agent waits for a run plan: the VMM's device state and the guest's RAM as a
 * {@link RamImage}. A template belongs to exactly one {@link TemplateKey}: same kernel, initramfs, command line, vCPUs,
 * memory, accelerator and VMM binary.
 *
 * @param dir where its files are (complete once {@link #COMPLETE} exists: a half-written template is never used)
 * @param key what it was made from
 */
public record BootTemplate(Path dir, TemplateKey key) {
    public static final String DEVICES = "devices.state";
    public static final String RAM = "ram.img";
    public static final String COMPLETE = "complete";

    public Path devices() {
        return dir.resolve(DEVICES);
    }

    public Path ram() {
        return dir.resolve(RAM);
    }

    /** Whether a complete template is on disk. */
    public boolean exists() {
        return Files.isRegularFile(dir.resolve(COMPLETE)) && Files.isRegularFile(devices())
                && Files.isRegularFile(ram());
    }
}
