package dev.freezeframe.vmm.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The whole state of a frozen guest, taken for a forkable snapshot: QEMU's device state is already in the folder, the
 * RAM pages that differ from the base are copied out in memory. {@link #finish} (after the guest runs again) compresses
 * them and completes the folder, which {@code VmBackend.restore} then starts like a boot template:
 *
 * <pre>
 * devices.state   QEMU's device and vCPU state
 * ram.img         the base RAM image (a hard link to the run's boot template's, or an empty image)
 * ram.delta       the {@link PageDelta} over it
 * complete        written last
 * </pre>
 */
public final class ForkableCapture implements AutoCloseable {
    public static final String DELTA = "ram.delta";

    /** What one forkable capture cost: inside the freeze (device state, RAM compare and copy) and after it. */
    public record Stats(long devicesMillis, long ramCopyMillis, long writeMillis, PageDelta.Stats pages,
                        long folderBytes) {
        public long freezeMillis() {
            return devicesMillis + ramCopyMillis;
        }
    }

    private final Path folder;
    private final Path baseImage;
    private final long ramBytes;
    private final PageDelta.Captured captured;
    private final long devicesMillis;
    private final long ramCopyMillis;

    public ForkableCapture(Path folder, Path baseImage, long ramBytes, PageDelta.Captured captured, long devicesMillis,
                           long ramCopyMillis) {
        this.folder = folder;
        this.baseImage = baseImage;
        this.ramBytes = ramBytes;
        this.captured = captured;
        this.devicesMillis = devicesMillis;
        this.ramCopyMillis = ramCopyMillis;
    }

    /** Compresses the copied pages into the folder and marks it complete. Call once, with the guest running. */
    public Stats finish() throws IOException {
        long t0 = System.nanoTime();
        PageDelta.Stats pages = captured.write(folder.resolve(DELTA));
        Path base = folder.resolve(BootTemplate.RAM);
        Files.deleteIfExists(base);
        if (baseImage == null) {
            PageDelta.writeEmptyBase(base, ramBytes);
        } else {
            try {
                // a hard link keeps the base when the template is replaced (a new kit deletes the old template)
                Files.createLink(base, baseImage);
            } catch (IOException | UnsupportedOperationException otherFileSystem) {
                Files.copy(baseImage, base, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(folder.resolve(BootTemplate.COMPLETE), "forkable\n");
        long bytes = Files.size(folder.resolve(DELTA)) + Files.size(folder.resolve(BootTemplate.DEVICES));
        return new Stats(devicesMillis, ramCopyMillis, (System.nanoTime() - t0) / 1_000_000, pages, bytes);
    }

    @Override
    public void close() {
        captured.close();
    }
}
