package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.AcceleratorChoice;
import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VcpuRegisters;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.WatchKind;
import dev.freezeframe.vmm.Watchpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freeze, registers, memory and watchpoints of the QEMU backend on a real QEMU with SeaBIOS only (no kernel): SeaBIOS
 * runs in real and 32-bit protected mode without paging, so virtual and physical addresses coincide, and after
 * "No bootable device" it keeps its timer interrupt running, which increments the BIOS tick count at 0x46c about
 * 18 times a second — a variable that is written all the time, in a guest that boots in a second.
 */
class QemuFreezeFirmwareTest {

    /** The BIOS data area's timer tick count (dword), written by SeaBIOS's IRQ 0 handler. */
    private static final long BDA_TICKS = 0x46c;

    @TempDir
    Path runtimeParent;

    private RunningVm startFirmware(int vcpus) throws InterruptedException {
        QemuBackend backend = new QemuBackend(QemuBackend::locateQemu, new AcceleratorDetector(),
                ramBytes -> RuntimeDirectory.createUnder(runtimeParent));
        RunningVm vm = backend.start(VmSpec.builder().vcpus(vcpus).memoryMiB(256).accelerator(AcceleratorChoice.TCG)
                .build());
        assertTrue(vm.console().awaitLine(l -> l.contains("No bootable device"), Duration.ofSeconds(60)).isPresent(),
                "SeaBIOS gave up booting");
        return vm;
    }

    @Test
    void freezeReadsEveryVcpusRegistersAndGuestRamMatchesWhatTheGdbstubReads() throws Exception {
        try (RunningVm vm = startFirmware(2)) {
            List<VcpuRegisters> regs;
            try (FrozenVm frozen = vm.freeze()) {
                assertTrue(frozen.isOpen());
                assertEquals(VmRunState.PAUSED, vm.runState(), "QMP sees the guest stopped during a freeze");
                regs = frozen.vcpus();
                assertEquals(2, regs.size());
                for (int i = 0; i < 2; i++) {
                    VcpuRegisters r = regs.get(i);
                    assertEquals(i, r.vcpu());
                    // CR0.ET is hard-wired to 1 on every CPU since the 486; a garbled register block would not keep it
                    assertEquals(0x10, r.control().cr0() & 0x10, "CR0.ET of vCPU " + i + ": " + r);
                    assertFalse(r.control().paging(), "SeaBIOS does not page");
                    assertTrue(Long.compareUnsigned(r.rip(), 1L << 32) < 0, "firmware runs below 4 GiB: " + r);
                    assertEquals(0, r.cr3(), "no page tables in the firmware");
                    assertEquals(r.rip(), r.all().get("rip"));
                }
                assertEquals(regs, frozen.vcpus(), "registers are read once per stop");
                assertEquals(regs.get(1), frozen.vcpu(1));

                // the shared RAM mapping and the gdbstub see the same guest-physical bytes
                GdbstubMemoryReader viaGdbstub = GdbstubMemoryReader.of(vm);
                GuestPhysAddr low = GuestPhysAddr.of(0);
                assertArrayEquals(viaGdbstub.read(frozen, low, 64 << 10), frozen.memory().readBytes(low, 64 << 10));
                // and a write through the gdbstub shows in the mapping at once (8 MiB: RAM SeaBIOS does not use)
                GuestPhysAddr scratch = GuestPhysAddr.of(8 << 20);
                byte[] before = frozen.memory().readBytes(scratch, 16);
                byte[] pattern = "freezeframe-gdb!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                QemuVm qemu = (QemuVm) vm;
                qemu.control().writePhysical(frozen, scratch.value(), pattern);
                assertArrayEquals(pattern, frozen.memory().readBytes(scratch, 16));
                qemu.control().writePhysical(frozen, scratch.value(), before);
                assertArrayEquals(before, frozen.memory().readBytes(scratch, 16));

                // the guest does not move while frozen
                int ticks = frozen.memory().readU32(GuestPhysAddr.of(BDA_TICKS));
                Thread.sleep(300);
                assertEquals(ticks, frozen.memory().readU32(GuestPhysAddr.of(BDA_TICKS)));
                assertTrue(frozen.duration().toNanos() > 0);
            }
            assertEquals(VmRunState.RUNNING, vm.runState(), "closing the freeze resumes the guest");

            // a second freeze right after works, and the guest ran in between (the timer ticked)
            int ticksBefore;
            try (FrozenVm first = vm.freeze()) {
                ticksBefore = first.memory().readU32(GuestPhysAddr.of(BDA_TICKS));
                assertEquals(2, first.vcpus().size());
            }
            awaitTicksPast(vm, ticksBefore);
            try (FrozenVm second = vm.freeze()) {
                assertEquals(2, second.vcpus().size());
                // a freeze that joins an open one shares its stop: nothing resumes until both are closed
                FrozenVm joined = vm.freeze();
                assertEquals(Duration.ZERO, joined.timeToStop());
                joined.close();
                joined.close(); // idempotent
                assertTrue(second.isOpen());
                assertEquals(VmRunState.PAUSED, vm.runState(), "the outer freeze still holds the guest");
                assertThrows(VmmException.class, joined::vcpus, "a closed freeze refuses to read");
            }
            assertEquals(VmRunState.RUNNING, vm.runState());
            vm.shutdown();
            VmmException gone = assertThrows(VmmException.class, vm::freeze);
            assertEquals(VmmException.Kind.VM_GONE, gone.kind());
        }
    }

    @Test
    void writeWatchpointStopsTheGuestOnEachWriteUntilDisarmed() throws Exception {
        try (RunningVm vm = startFirmware(1)) {
            assertEquals(EnumSet.allOf(WatchKind.class), vm.supportedWatchKinds(), "TCG watches reads, writes, accesses");
            VmmException misaligned = assertThrows(VmmException.class, () -> Watchpoint.write(BDA_TICKS + 2, 4));
            assertEquals(VmmException.Kind.WATCHPOINT_REFUSED, misaligned.kind());
            assertEquals("A 4-byte watchpoint must start at a multiple of 4; 0x46e is not, so watch the aligned 4 bytes "
                    + "at 0x46c or fewer bytes.", misaligned.getMessage());

            BlockingQueue<WatchHit> hits = new LinkedBlockingQueue<>();
            vm.setWatchHitListener(hits::add);
            Watchpoint ticks = Watchpoint.write(BDA_TICKS, 4);
            vm.arm(ticks);
            assertEquals(List.of(ticks), vm.armedWatchpoints());
            VmmException twice = assertThrows(VmmException.class, () -> vm.arm(ticks));
            assertEquals(VmmException.Kind.WATCHPOINT_REFUSED, twice.kind());

            for (int n = 1; n <= 3; n++) {
                WatchHit hit = hits.poll(60, TimeUnit.SECONDS);
                assertTrue(hit != null, "hit " + n);
                try (hit) {
                    assertEquals(ticks, hit.watchpoint());
                    assertEquals(n, hit.hitNumber());
                    assertEquals(0, hit.vcpu());
                    assertEquals(BDA_TICKS, hit.reportedAddress());
                    assertEquals(VmRunState.PAUSED, vm.runState(), "the guest waits while the hit is open");
                    long inRam = Integer.toUnsignedLong(hit.frozen().memory().readU32(GuestPhysAddr.of(BDA_TICKS)));
                    assertEquals(inRam, hit.value().orElseThrow(), "the value is read after the write");
                    assertNotEquals(hit.previousValue().orElseThrow(), hit.value().orElseThrow());
                    assertEquals(hit.registers(), hit.frozen().vcpu(0));
                }
            }
            assertTrue(vm.disarm(ticks));
            assertFalse(vm.disarm(ticks), "disarming twice is a no-op");
            assertEquals(List.of(), vm.armedWatchpoints());
            // a hit delivered before the disarm may still be queued, holding the guest: release it
            for (WatchHit late = hits.poll(); late != null; late = hits.poll()) {
                late.close();
            }
            int after;
            try (FrozenVm frozen = vm.freeze()) {
                after = frozen.memory().readU32(GuestPhysAddr.of(BDA_TICKS));
            }
            awaitTicksPast(vm, after);
            assertTrue(hits.isEmpty(), "no hits once disarmed");
            assertEquals(VmRunState.RUNNING, vm.runState());
        }
    }

    @Test
    void aPauseAndResumeThroughQmpDoNotFoolTheNextFreeze() throws Exception {
        try (RunningVm vm = startFirmware(1)) {
            QmpClient qmp = ((QemuVm) vm).qmp();
            // QMP pauses behind the gdbstub's back (the gdbstub reports the pause), then resumes without telling it
            qmp.stop();
            qmp.cont();
            assertEquals(VmRunState.RUNNING, vm.runState());
            int ticks = vm.memory().readU32(GuestPhysAddr.of(BDA_TICKS));
            awaitTicksPast(vm, ticks);
            try (FrozenVm frozen = vm.freeze()) {
                assertEquals(VmRunState.PAUSED, vm.runState(), "the freeze really stopped the resumed guest");
                int held = frozen.memory().readU32(GuestPhysAddr.of(BDA_TICKS));
                Thread.sleep(300);
                assertEquals(held, frozen.memory().readU32(GuestPhysAddr.of(BDA_TICKS)));
            }
            assertEquals(VmRunState.RUNNING, vm.runState());
        }
    }

    /** Waits (bounded) until the BIOS tick count has moved past {@code ticks}, so the guest demonstrably ran. */
    private static void awaitTicksPast(RunningVm vm, int ticks) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (vm.memory().readU32(GuestPhysAddr.of(BDA_TICKS)) == ticks) {
            assertTrue(System.nanoTime() < deadline, "the guest's timer did not tick within 60 s");
            Thread.sleep(20);
        }
    }
}
