package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.channel.SharedMemoryDataChannel;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.ForkableCapture;
import dev.freezeframe.vmm.template.PageDelta;
import dev.freezeframe.vmm.template.RamImage;
import java.nio.file.Files;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The restore half of a boot template: RAM into the fresh RAM file before QEMU starts, then (QEMU started with
 * {@code -incoming defer}) the device state over QMP, then the guest continues. Every failure says why in a
 * {@link VmmException.Kind#TEMPLATE_FAILED}, so the caller can fall back to a cold boot and tell the user.
 */
final class TemplateRestore {
    private TemplateRestore() {
    }

    static long copyRam(BootTemplate template, Path ramFile, long ramBytes) {
        try {
            long pages = RamImage.restore(template.ram(), ramFile, ramBytes);
            Path delta = template.dir().resolve(ForkableCapture.DELTA);
            // a forkable snapshot: its own pages over the base image
            if (Files.exists(delta)) pages += PageDelta.apply(delta, ramFile, ramBytes);
            return pages;
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "The boot template's RAM image is unusable ("
                    + e.getMessage() + ").", e);
        }
    }

    /** The host end of the data channel; a restored window must still hold the header the template's host wrote. */
    static SharedMemoryDataChannel attachChannel(MemorySegment window, BootTemplate template) {
        try {
            return new SharedMemoryDataChannel(window);
        } catch (IllegalStateException noHeader) {
            if (template == null) throw noHeader;
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED,
                    "The boot template's guest has no data channel where this VM expects it.", noHeader);
        }
    }

    /** Loads the device state and lets the guest run; QEMU exits by itself when the state does not fit the machine. */
    static void loadDevices(QmpClient qmp, BootTemplate template, Process process, VmmOutputTail output,
                            long deadlineNanos, String name) {
        var timeout = java.time.Duration.ofNanos(Math.max(deadlineNanos - System.nanoTime(), 1_000_000_000L));
        try {
            qmp.execute("migrate-set-capabilities", QemuMigration.ignoreSharedCapability(), timeout);
            qmp.execute("migrate-incoming", QemuMigration.loadFrom(template.devices(), qmp), timeout);
            String state;
            while ((state = qmp.execute("query-status").path("status").asText()).equals("inmigrate")) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "QEMU did not load the boot template "
                            + "within the start timeout; the host may be overloaded.");
                }
                TemplateSave.sleep();
            }
            if (!state.equals("running")) qmp.cont();
        } catch (VmmException e) {
            if (e.kind() == VmmException.Kind.TEMPLATE_FAILED) throw e;
            String said = process.isAlive() ? "" : output.awaitText().lines().reduce((a, b) -> b).orElse("");
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "QEMU refused the boot template"
                    + (said.isBlank() ? " (" + e.getMessage() + ")" : ": " + said) + ".", e);
        }
    }
}
