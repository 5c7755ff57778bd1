package dev.freezeframe.vmm.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.RamImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a stopped guest as a boot template: QEMU writes its device state (migration with {@code x-ignore-shared}), we
 * write its RAM. QEMU leaves the source in "postmigrate" afterwards, from which the gdbstub's continue resumes it, so the
 * guest that was saved runs on as if nothing happened.
 */
final class TemplateSave {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateSave.class);

    private TemplateSave() {
    }

    static RamImage.Stats save(QmpClient qmp, MemorySegment ram, Path ramFile, Path folder, Duration timeout,
                               String name) {
        long t0 = System.nanoTime();
        saveDevices(qmp, folder.resolve(BootTemplate.DEVICES), timeout);
        long t1 = System.nanoTime();
        try {
            RamImage.Stats stats = RamImage.save(ram, ramFile, folder.resolve(BootTemplate.RAM));
            LOG.info("VM {}: saved as a boot template in {}: device state {} ms, RAM {} ms ({} pages, {} zero)", name,
                    folder, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000, stats.storedPages(),
                    stats.zeroPages());
            return stats;
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "The guest's RAM could not be written to " + folder
                    + " (" + e.getMessage() + "); check free space there.", e);
        }
    }

    /** QEMU writes the stopped guest's device and vCPU state (not its RAM) to {@code devices}. */
    static void saveDevices(QmpClient qmp, Path devices, Duration timeout) {
        qmp.execute("migrate-set-capabilities", QemuMigration.ignoreSharedCapability(), timeout);
        qmp.execute("migrate", QemuMigration.saveTo(devices, qmp), timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode status = qmp.execute("query-migrate");
            String state = status.path("status").asText();
            if (state.equals("completed")) break;
            if (state.equals("failed") || state.equals("cancelled")) {
                throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "QEMU could not save the guest's device state: "
                        + status.path("error-desc").asText("no reason given") + ".");
            }
            if (System.nanoTime() > deadline) {
                throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "QEMU did not save the guest's device state "
                        + "within " + timeout.toSeconds() + " s; the host may be overloaded.");
            }
            sleep();
        }
    }

    static void sleep() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "Interrupted while QEMU moved the guest's state.", e);
        }
    }
}
