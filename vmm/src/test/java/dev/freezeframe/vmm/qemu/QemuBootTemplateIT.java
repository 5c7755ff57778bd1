package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.ShutdownCause;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.BootTemplates;
import dev.freezeframe.vmm.template.RamImage;
import dev.freezeframe.vmm.template.TemplateKey;
import dev.freezeframe.vmm.testing.GuestKits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real boot template: the kit boots with {@code ff.plan=channel}, is saved while its agent waits for the plan and runs
 * on; two more guests start from the template, each gets its plan over the channel and carries on from the saved moment
 * (uptime continues from the template, not from zero). A damaged template is refused with a reason.
 */
class QemuBootTemplateIT {
    /** The RUN_PLAN code (coordinator MessageType / ffwire.h); the frame is built by hand so vmm needs no wire codec. */
    private static final int RUN_PLAN = 0x4646_0011;
    private static final Duration MILESTONE = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    @Test
    void aGuestSavedWhileWaitingForItsPlanRunsOnAndRestoresTwice() throws Exception {
        Kit kit = GuestKits.requireKit();
        QemuBackend backend = new QemuBackend();
        VmSpec spec = VmSpec.builder().kernel(kit.bzImage()).addInitrd(kit.baseInitramfs())
                .cmdline(GuestKits.CMDLINE + " ff.plan=channel").vcpus(2).memoryMiB(512).dataChannel(true)
                .timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(4))).build();
        BootTemplates store = new BootTemplates(tmp.resolve("templates"));
        TemplateKey key = backend.templateKey(spec).orElseThrow();
        assertEquals(key, backend.templateKey(spec).orElseThrow(), "the key is a function of the spec");
        BootTemplate template = store.of(key);

        double savedUptime;
        try (RunningVm vm = backend.start(spec)) {
            awaitLine(vm, "FFAGENT plan-wait");
            Path work = store.prepare(template);
            RamImage.Stats stats = vm.saveTemplate(work);
            store.publish(work, template);
            assertTrue(template.exists());
            assertTrue(stats.storedPages() > 1000 && stats.zeroPages() > stats.storedPages(), stats.toString());
            assertTrue(Files.size(template.devices()) < (4 << 20), "device state only: RAM is carried separately");
            // the saved guest runs on: it takes its plan and reports its boot again
            sendPlan(vm, "seed " + "ab".repeat(32) + "\n");
            savedUptime = uptime(awaitLine(vm, "FFAGENT boot "));
            assertEquals(VmExit.Exited.class, vm.awaitExit(MILESTONE).orElseThrow().getClass());
        }

        for (int restore = 0; restore < 2; restore++) {
            long t0 = System.nanoTime();
            try (RunningVm vm = backend.restore(spec, template)) {
                sendPlan(vm, "wall_clock_ns " + System.currentTimeMillis() * 1_000_000 + "\n");
                String plan = awaitLine(vm, "FFAGENT plan ");
                long readyMs = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(plan.contains("source=channel"), plan);
                double uptime = uptime(awaitLine(vm, "FFAGENT boot "));
                // The guest's clock went on from the template (QEMU saves its virtual clock): not from zero, and
                // not by the wall time that passed since the save.
                assertTrue(uptime >= savedUptime - 1 && uptime < savedUptime + 30,
                        "uptime " + uptime + " after restore, " + savedUptime + " when saved (ready in " + readyMs + " ms)");
                assertTrue(vm.console().lines().stream().noneMatch(l -> l.text().contains("] Linux version")),
                        "a restored guest does not boot");
                // no scheduler in this plan: the agent says so and powers off cleanly
                VmExit exit = vm.awaitExit(MILESTONE).orElseThrow();
                assertEquals(new VmExit.Exited(0, ShutdownCause.GUEST_POWEROFF, ""), exit, () -> console(vm));
            }
        }

        Files.write(template.ram(), new byte[] {1, 2, 3});
        VmmException refused = assertThrows(VmmException.class, () -> backend.restore(spec, template).close());
        assertEquals(VmmException.Kind.TEMPLATE_FAILED, refused.kind());
        assertTrue(refused.getMessage().contains("RAM image is unusable"), refused.getMessage());

        VmSpec otherMemory = spec.toBuilder().memoryMiB(768).build();
        assertTrue(!backend.templateKey(otherMemory).orElseThrow().equals(key));
    }

    private static void sendPlan(RunningVm vm, String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer frame = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        frame.putInt(RUN_PLAN).putInt(payload.length).putInt((int) crc.getValue()).putInt(0).put(payload);
        vm.dataChannel().orElseThrow().toGuest().write(frame.array());
        vm.dataChannel().orElseThrow().toGuest().flush();
    }

    private static double uptime(String bootLine) {
        for (String word : bootLine.split(" ")) {
            if (word.startsWith("uptime_s=")) return Double.parseDouble(word.substring("uptime_s=".length()));
        }
        throw new AssertionError("no uptime in " + bootLine);
    }

    private static String awaitLine(RunningVm vm, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + MILESTONE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = vm.console().lines().stream().map(ConsoleLine::text)
                    .filter(l -> l.startsWith(prefix)).reduce((a, b) -> b);
            if (line.isPresent()) return line.get();
            if (vm.exit().isDone()) break;
            Thread.sleep(5);
        }
        throw new AssertionError("no console line '" + prefix + "' within " + MILESTONE + ":\n" + console(vm));
    }

    private static String console(RunningVm vm) {
        return String.join("\n", vm.console().lines().stream().map(ConsoleLine::text).toList());
    }
}
