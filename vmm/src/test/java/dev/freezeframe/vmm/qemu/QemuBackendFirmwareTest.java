package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.vmm.AcceleratorChoice;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.ShutdownCause;
import dev.freezeframe.vmm.VmExit;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QEMU backend with a real {@code qemu-system-x86_64} under TCG and no guest kernel: SeaBIOS alone runs, which is
 * enough to check control, console, memory mapping, timeouts and clean-up in a few seconds.
 */
class QemuBackendFirmwareTest {

    @TempDir
    Path runtimeParent;

    private QemuBackend backend() {
        return new QemuBackend(QemuBackend::locateQemu, new AcceleratorDetector(),
                bytes -> RuntimeDirectory.createUnder(runtimeParent));
    }

    private static VmSpec.Builder firmwareOnly() {
        return VmSpec.builder().vcpus(1).memoryMiB(256).accelerator(AcceleratorChoice.TCG);
    }

    private List<Path> runtimeDirs() throws IOException {
        try (Stream<Path> s = Files.list(runtimeParent)) {
            return s.toList();
        }
    }

    @Test
    void firmwareGuestIsControlledThroughQmpAndItsRamIsTheMappedFile() throws Exception {
        // 4 GiB: above the pc machine's 3.5 GiB limit, so RAM is split around the PCI hole (the file stays sparse)
        RunningVm vm = backend().start(firmwareOnly().memoryMiB(4096).build());
        try {
            Path dir = runtimeDirs().getFirst();
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertTrue(Files.exists(dir.resolve("qmp.sock")) && Files.exists(dir.resolve("guest-ram")));

            // SeaBIOS greets on COM1 (after terminal escape codes) and gives up without a boot disk
            assertTrue(vm.console().awaitLine(l -> l.contains("SeaBIOS (version"), Duration.ofSeconds(60)).isPresent());
            assertTrue(vm.console().awaitLine(l -> l.contains("No bootable device"), Duration.ofSeconds(60)).isPresent());

            // the BIOS data area holds COM1's I/O port, written by SeaBIOS into what is our mapped file
            assertEquals((short) 0x3f8, vm.memory().readU16(GuestPhysAddr.of(0x400)));

            // our view of where RAM lives matches QEMU's own memory map
            QemuVm qemu = (QemuVm) vm;
            String mtree = qemu.qmp().execute("human-monitor-command",
                    new ObjectMapper().createObjectNode().put("command-line", "info mtree -f"), Duration.ofSeconds(30))
                    .asText();
            assertTrue(mtree.contains("0000000100000000-000000013fffffff (prio 0, ram): ram0 @00000000c0000000"), mtree);
            assertEquals(0xC000_0000L, vm.memory().layout().lowRamBytes());

            assertEquals(VmRunState.RUNNING, vm.runState());
            qemu.qmp().stop();
            assertEquals(VmRunState.PAUSED, vm.runState());
            qemu.qmp().cont();
            assertEquals(VmRunState.RUNNING, vm.runState());

            VmExit exit = vm.shutdown();
            assertEquals(new VmExit.Exited(0, ShutdownCause.HOST_REQUEST, ""), exit);
            assertTrue(vm.console().ended().isDone());
            assertTrue(runtimeDirs().isEmpty(), "runtime directory removed at exit");
            assertEquals((short) 0x3f8, vm.memory().readU16(GuestPhysAddr.of(0x400)), "memory readable until close");
            assertEquals(VmmException.Kind.VM_GONE, assertThrows(VmmException.class, vm::runState).kind());
        } finally {
            vm.close();
        }
        assertEquals(VmmException.Kind.VM_GONE,
                assertThrows(VmmException.class, () -> vm.memory().readU16(GuestPhysAddr.of(0x400))).kind());
    }

    @Test
    void aVmPastItsRunTimeIsKilledAndCleanedUp() throws Exception {
        VmSpec spec = firmwareOnly().timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofSeconds(2))).build();
        try (RunningVm vm = backend().start(spec)) {
            VmExit exit = vm.awaitExit(Duration.ofSeconds(60)).orElseThrow();
            assertEquals(new VmExit.Killed(VmExit.KillReason.RUN_TIMEOUT), exit);
            assertTrue(vm.console().ended().isDone());
            assertTrue(runtimeDirs().isEmpty());
        }
    }

    @Test
    void aVmmKilledFromOutsideIsReportedAsCrashed() throws Exception {
        try (RunningVm vm = backend().start(firmwareOnly().build())) {
            ProcessHandle qemu = qemuChild();
            new ProcessBuilder("kill", "-SEGV", Long.toString(qemu.pid())).start()
                    .waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            VmExit exit = vm.awaitExit(Duration.ofSeconds(60)).orElseThrow();
            assertEquals(11, assertInstanceOf(VmExit.Crashed.class, exit).signal());
            assertTrue(runtimeDirs().isEmpty());
        }
    }

    @Test
    void aVmmThatDoesNotAnswerTheShutdownRequestIsKilledAfterTheGrace() throws Exception {
        VmTimeouts quick = new VmTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMillis(500),
                Duration.ofMillis(500));
        try (RunningVm vm = backend().start(firmwareOnly().timeouts(quick).build())) {
            long pid = qemuChild().pid();
            // frozen: QMP goes unanswered
            new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start()
                    .waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(new VmExit.Killed(VmExit.KillReason.SHUTDOWN_TIMEOUT), vm.shutdown());
            assertTrue(runtimeDirs().isEmpty());
        }
    }

    private static ProcessHandle qemuChild() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").endsWith(QemuBackend.QEMU_NAME)).findFirst().orElseThrow();
    }

    @Test
    void killEndsTheVmAtOnce() throws Exception {
        RunningVm vm = backend().start(firmwareOnly().build());
        assertEquals(new VmExit.Killed(VmExit.KillReason.REQUESTED), vm.kill());
        assertEquals(vm.exit().get(60, java.util.concurrent.TimeUnit.SECONDS), vm.kill(),
                "a second kill reports the same end");
        vm.close();
        assertTrue(runtimeDirs().isEmpty());
    }

    @Test
    void aMissingQemuIsReportedWithTheInstallCommand() {
        QemuBackend noQemu = new QemuBackend(() -> QemuBackend.findOnPath("qemu-system-x86_64-not-here").orElseThrow(
                () -> new VmmException(VmmException.Kind.HOST_SETUP,
                        "QEMU is not installed: run apt-get install qemu-system-x86 (or set FREEZEFRAME_QEMU).")),
                new AcceleratorDetector(), bytes -> RuntimeDirectory.createUnder(runtimeParent));
        VmmException e = assertThrows(VmmException.class, () -> noQemu.start(firmwareOnly().build()));
        assertEquals(VmmException.Kind.HOST_SETUP, e.kind());
        assertTrue(e.getMessage().startsWith("QEMU is not installed: run apt-get install qemu-system-x86"));
    }

    @Test
    void aVmmThatExitsAtOnceFailsTheStartAndLeavesNothingBehind() throws IOException {
        QemuBackend broken = new QemuBackend(() -> Path.of("/bin/false"), new AcceleratorDetector(),
                bytes -> RuntimeDirectory.createUnder(runtimeParent));
        VmmException e = assertThrows(VmmException.class, () -> broken.start(firmwareOnly().build()));
        assertEquals(VmmException.Kind.START_FAILED, e.kind());
        assertEquals("QEMU refused to start the VM: it exited with code 1 and printed nothing", e.getMessage());
        assertTrue(runtimeDirs().isEmpty());
    }
}
