package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.DataChannel;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.GuestRamLayout;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.ShutdownCause;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.channel.ChannelWindow;
import dev.freezeframe.vmm.channel.RingLayout;
import dev.freezeframe.vmm.kit.Initramfs;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.testing.FfchanPump;
import dev.freezeframe.vmm.testing.GuestKits;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the real guest kit through the QEMU backend once: the kernel and the agent speak on COM1, and the guest end of
 * the data channel (ffchan.c, run by the agent as a per-run command) streams to the host and echoes back.
 */
class QemuKitBootIT {

    private static final int SEND_BYTES = 8 << 20;
    private static final int ECHO_BYTES = 64 << 10;

    @TempDir
    Path tmp;

    @Test
    void kitBootsTalksOnTheConsoleAndStreamsThroughTheDataChannel() throws Exception {
        Kit kit = GuestKits.requireKit();
        Path pump = FfchanPump.build(tmp);
        Path perRun = Files.write(tmp.resolve("per-run.cpio"), Initramfs.perRunArchive(
                List.of("/usr/bin/ffchan_pump send " + SEND_BYTES, "/usr/bin/ffchan_pump echo " + ECHO_BYTES),
                Map.of("/usr/bin/ffchan_pump", pump)));
        Path runtimeParent = Files.createDirectory(tmp.resolve("run"));
        QemuBackend backend = new QemuBackend(QemuBackend::locateQemu, new dev.freezeframe.vmm.AcceleratorDetector(),
                bytes -> RuntimeDirectory.createUnder(runtimeParent));
        VmSpec spec = VmSpec.builder().kernel(kit.bzImage()).addInitrd(kit.baseInitramfs()).addInitrd(perRun)
                .cmdline(GuestKits.CMDLINE).vcpus(2).memoryMiB(512).dataChannel(true)
                .timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(4))).build();

        try (RunningVm vm = backend.start(spec)) {
            // the host wrote the channel header before boot; guest memory reads see it where the guest will look
            GuestPhysAddr window = ChannelWindow.placeIn(GuestRamLayout.pcMachine(spec.memoryBytes())).base();
            assertEquals(RingLayout.MAGIC, vm.memory().readU64(window));

            DataChannel channel = vm.dataChannel().orElseThrow();
            byte[] echo = new byte[ECHO_BYTES];
            new Random(7).nextBytes(echo);
            CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = channel.fromGuest();
                    byte[] streamed = in.readNBytes(SEND_BYTES);
                    for (int i = 0; i < streamed.length; i++) {
                        if (streamed[i] != FfchanPump.pattern(i)) {
                            throw new AssertionError("guest stream differs at byte " + i);
                        }
                    }
                    channel.toGuest().write(echo);
                    return in.readNBytes(ECHO_BYTES);
                } catch (java.io.IOException e) {
                    throw new RuntimeException(e);
                }
            });

            VmExit exit = vm.awaitExit(Duration.ofMinutes(5)).orElseThrow();
            assertEquals(new VmExit.Exited(0, ShutdownCause.GUEST_POWEROFF, ""), exit, () -> console(vm));
            assertArrayEquals(echo, echoed.get(10, TimeUnit.SECONDS));
            assertEquals(SEND_BYTES + ECHO_BYTES, channel.bytesFromGuest());

            List<String> lines = vm.console().lines().stream().map(ConsoleLine::text).toList();
            // the kernel prefixes its timestamp, and the BIOS may leave text without a newline before it
            String linuxVersion = "] Linux version " + kit.kernelVersion() + " ";
            assertTrue(lines.stream().anyMatch(l -> l.contains(linuxVersion)), console(vm));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("FFAGENT agent ")), console(vm));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("FFCHAN-PUMP mode=send bytes=" + SEND_BYTES + " ")),
                    console(vm));
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("FFCHAN-PUMP mode=echo bytes=" + ECHO_BYTES + " ")),
                    console(vm));
            assertEquals(2, lines.stream().filter(l -> l.startsWith("FFAGENT cmd-end ") && l.contains(" rc=0")).count(),
                    console(vm));
            try (Stream<Path> left = Files.list(runtimeParent)) {
                assertEquals(List.of(), left.toList(), "runtime directory removed");
            }
        }
    }

    @Test
    void aGuestKernelPanicEndsTheVmAsAGuestResetWithThePanicOnTheConsole() throws Exception {
        Kit kit = GuestKits.requireKit();
        Path perRun = Files.write(tmp.resolve("panic.cpio"), Initramfs.perRunArchive(
                List.of("echo c > /proc/sysrq-trigger"), Map.of()));
        VmSpec spec = VmSpec.builder().kernel(kit.bzImage()).addInitrd(kit.baseInitramfs()).addInitrd(perRun)
                .cmdline(GuestKits.CMDLINE).vcpus(1).memoryMiB(512)
                .timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(4))).build();
        try (RunningVm vm = new QemuBackend().start(spec)) {
            VmExit exit = vm.awaitExit(Duration.ofMinutes(5)).orElseThrow();
            // panic=-1 reboots at once; -no-reboot turns the reboot into the end of the VM
            assertEquals(new VmExit.Exited(0, ShutdownCause.GUEST_RESET, ""), exit, () -> console(vm));
            assertTrue(vm.console().lines().stream().anyMatch(l -> l.text().contains("Kernel panic - not syncing")),
                    () -> console(vm));
        }
    }

    private static String console(RunningVm vm) {
        StringBuilder sb = new StringBuilder("console:\n");
        vm.console().lines().forEach(l -> sb.append(l.text()).append('\n'));
        return sb.toString();
    }
}
