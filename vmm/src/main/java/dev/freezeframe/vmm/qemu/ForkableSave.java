package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.ForkableCapture;
import dev.freezeframe.vmm.template.PageDelta;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frozen half of a forkable snapshot: QEMU writes the device state (as for a boot template), we copy the RAM pages
 * that differ from the base out of the shared RAM file. Compressing and writing them waits until the guest runs again.
 */
final class ForkableSave {
    private static final Logger LOG = LoggerFactory.getLogger(ForkableSave.class);

    private ForkableSave() {
    }

    static ForkableCapture capture(QmpClient qmp, MemorySegment ram, Path ramFile, Path folder,
                                   PageDelta.BaseImage base, Duration timeout, String name) {
        long t0 = System.nanoTime();
        TemplateSave.saveDevices(qmp, folder.resolve(BootTemplate.DEVICES), timeout);
        long t1 = System.nanoTime();
        try {
            PageDelta.Captured captured = PageDelta.capture(ram, ramFile, base);
            long t2 = System.nanoTime();
            LOG.info("VM {}: forkable state taken into {}: device state {} ms, RAM compare and copy {} ms ({} pages)",
                    name, folder, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, captured.storedPages());
            return new ForkableCapture(folder, base.path().orElse(null), ram.byteSize(), captured, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000);
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "The guest's RAM could not be compared with its "
                    + "base image (" + e.getMessage() + ").", e);
        }
    }
}
