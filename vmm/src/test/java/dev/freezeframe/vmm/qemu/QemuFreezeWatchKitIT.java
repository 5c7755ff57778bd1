package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.AcceleratorDetector;
import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.GuestPhysAddr;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VcpuRegisters;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.kit.Initramfs;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.testing.GuestKits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freeze and watchpoints on the real guest kit (one boot): the guest prints the addresses of {@code total_forks} (a
 * kernel counter written on every fork) and {@code jiffies_64} (written on every tick), idles in {@code sleep}, then
 * forks in a loop. The test freezes the idle guest and reads both vCPUs' registers, watches {@code total_forks} through
 * a few forks, disarms it while the forks go on, and finally lets freezes race hits on {@code jiffies_64}.
 */
class QemuFreezeWatchKitIT {

    /** With nokaslr and phys_base 0 (docs/architecture.md §4, §6) kernel-image symbols sit at this offset from their physical address. */
    private static final long KERNEL_IMAGE_BASE = 0xffffffff80000000L;
    private static final Pattern SYMBOL = Pattern.compile("^([0-9a-f]{16}) [A-Za-z] (total_forks|jiffies_64)$");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private static GuestPhysAddr kernelImagePhys(long va) {
        return GuestPhysAddr.of(va - KERNEL_IMAGE_BASE);
    }

    @Test
    void freezeReadsKernelRegistersAndAWriteWatchpointCatchesEveryForkUntilDisarmed() throws Exception {
        Kit kit = GuestKits.requireKit();
        Path perRun = Files.write(tmp.resolve("per-run.cpio"), Initramfs.perRunArchive(List.of(
                "grep -E ' (total_forks|jiffies_64)$' /proc/kallsyms",
                "sleep 8",
                "i=0; while [ $i -lt 1000000 ]; do /bin/true; i=$((i+1)); done"), Map.of()));
        Path runtimeParent = Files.createDirectory(tmp.resolve("run"));
        QemuBackend backend = new QemuBackend(QemuBackend::locateQemu, new AcceleratorDetector(),
                ramBytes -> RuntimeDirectory.createUnder(runtimeParent));
        VmSpec spec = VmSpec.builder().kernel(kit.bzImage()).addInitrd(kit.baseInitramfs()).addInitrd(perRun)
                .cmdline(GuestKits.CMDLINE).vcpus(2).memoryMiB(512)
                .timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(6))).build();

        try (RunningVm vm = backend.start(spec)) {
            long totalForks = symbol(vm, "total_forks");
            long jiffies = symbol(vm, "jiffies_64");

            // ---- freeze the idle guest: both vCPUs in the kernel, paging on, CR3 set ----
            await(vm, l -> l.startsWith("FFAGENT cmd-start n=2 "));
            boolean bothInKernel = false;
            for (int attempt = 0; attempt < 20 && !bothInKernel; attempt++) {
                try (FrozenVm frozen = vm.freeze()) {
                    List<VcpuRegisters> regs = frozen.vcpus();
                    assertEquals(2, regs.size());
                    for (VcpuRegisters r : regs) {
                        assertNotEquals(0, r.cr3(), () -> "CR3 of " + r);
                        assertTrue(r.control().paging() && r.control().protectedMode(), () -> "CR0 of " + r);
                        // privilege and address half agree: kernel code runs in ring 0 from the upper half
                        assertEquals(r.ripInKernelHalf(), (r.segments().cs() & 3) == 0, () -> "RIP vs CS of " + r);
                    }
                    bothInKernel = regs.stream().allMatch(VcpuRegisters::ripInKernelHalf);
                    // a frozen guest's kernel counters hold still
                    long forks = frozen.memory().readU64(kernelImagePhys(totalForks));
                    assertTrue(forks > 0, "the kernel has forked");
                    assertEquals(forks, frozen.memory().readU64(kernelImagePhys(totalForks)));
                }
                // no watchpoint is armed, so nothing else holds the guest: closing the freeze resumes it before
                // close() returns (GdbVmControl waits for QEMU to take the 'c')
                assertEquals(VmRunState.RUNNING, vm.runState());
            }
            assertTrue(bothInKernel, "in 20 freezes of an idle guest, at least one found both vCPUs in the kernel");

            // ---- a write watchpoint on total_forks while the guest forks ----
            await(vm, l -> l.startsWith("FFAGENT cmd-start n=3 "));
            VmmException misaligned = assertThrows(VmmException.class, () -> Watchpoint.write(totalForks + 4, 8));
            assertEquals(VmmException.Kind.WATCHPOINT_REFUSED, misaligned.kind());
            assertTrue(misaligned.getMessage().startsWith("A 8-byte watchpoint must start at a multiple of 8"),
                    misaligned.getMessage());

            BlockingQueue<WatchHit> hits = new LinkedBlockingQueue<>();
            vm.setWatchHitListener(hits::add);
            Watchpoint forks = Watchpoint.write(totalForks, 8);
            vm.arm(forks);
            for (int n = 1; n <= 3; n++) {
                WatchHit hit = hits.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertNotNull(hit, "hit " + n + " on total_forks");
                try (hit) {
                    assertEquals(forks, hit.watchpoint());
                    assertEquals(n, hit.hitNumber());
                    assertEquals(totalForks, hit.reportedAddress());
                    assertTrue(hit.vcpu() == 0 || hit.vcpu() == 1);
                    assertTrue(hit.registers().ripInKernelHalf(), "copy_process runs in the kernel: " + hit.registers());
                    assertEquals(hit.vcpu(), hit.registers().vcpu());
                    // the stop is after the store: total_forks++ moved the counter by exactly one since the last look
                    assertEquals(hit.previousValue().orElseThrow() + 1, hit.value().orElseThrow());
                    assertEquals(hit.value().orElseThrow(), hit.frozen().memory().readU64(kernelImagePhys(totalForks)),
                            "the gdbstub's virtual read and the RAM mapping agree");
                    assertEquals(2, hit.frozen().vcpus().size());
                    assertEquals(hit.registers(), hit.frozen().vcpu(hit.vcpu()));
                    assertEquals(VmRunState.PAUSED, vm.runState(), "the guest waits while the hit is open");
                }
            }
            assertTrue(vm.disarm(forks));
            // a hit taken before the disarm may still be on its way to the queue, holding the guest: release every
            // one until the guest runs (no new hit can come once disarmed)
            awaitRunning(vm, () -> releaseQueued(hits), "every hit taken before the disarm was released");
            long afterDisarm = vm.memory().readU64(kernelImagePhys(totalForks));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (vm.memory().readU64(kernelImagePhys(totalForks)) < afterDisarm + 20) {
                assertTrue(System.nanoTime() < deadline, "the guest keeps forking after the disarm");
                Thread.sleep(50);
            }
            assertTrue(hits.isEmpty(), "no hits once disarmed, over 20 more forks");

            // ---- freezes racing hits: a hot watch on jiffies_64 while another thread freezes repeatedly ----
            AtomicInteger jiffyHits = new AtomicInteger();
            AtomicInteger inListener = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            vm.setWatchHitListener(hit -> {
                inListener.incrementAndGet();
                try (hit) {
                    assertEquals(2, hit.frozen().vcpus().size());
                    jiffyHits.incrementAndGet();
                } catch (Throwable t) {
                    failures.add(t);
                } finally {
                    inListener.decrementAndGet();
                }
            });
            Watchpoint tick = Watchpoint.write(jiffies, 8);
            vm.arm(tick);
            long jiffiesBefore = vm.memory().readU64(kernelImagePhys(jiffies));
            // at least 30 freezes, and on until a tick has been caught between them (a deadline, not a hope: the
            // guest's clock only advances in the short gaps between freezes, so 30 may all fall before a tick)
            long racing = System.nanoTime() + WAIT.toNanos();
            for (int i = 0; i < 30 || (jiffyHits.get() == 0 && System.nanoTime() < racing); i++) {
                try (FrozenVm frozen = vm.freeze()) {
                    assertEquals(2, frozen.vcpus().size());
                    long now = frozen.memory().readU64(kernelImagePhys(jiffies));
                    Thread.sleep(2); // deliberately lets wall time pass: a frozen guest must not tick meanwhile
                    assertEquals(now, frozen.memory().readU64(kernelImagePhys(jiffies)), "no tick while frozen");
                }
            }
            assertTrue(vm.disarm(tick));
            // hits taken before the disarm may still be in the listener (the guest paused until it lets go): wait for
            // the last one to leave the listener and the guest to run, instead of asserting RUNNING right away
            awaitRunning(vm, () -> { }, "every stop was resumed");
            awaitTrue(() -> inListener.get() == 0, "the last hit left the listener");
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(jiffyHits.get() > 0, "ticks were caught while freezes ran (within " + WAIT + ")");
            assertTrue(vm.memory().readU64(kernelImagePhys(jiffies)) > jiffiesBefore, "time went on");
            assertEquals(List.of(), vm.armedWatchpoints());
        }
    }

    /** How long a resume may take to show in QEMU's run state (it is asynchronous to the hit's release). */
    private static final Duration SETTLE = Duration.ofSeconds(30);

    /**
     * Waits, up to {@link #SETTLE}, for the guest to run; {@code eachLook} runs before every look (to release what
     * holds it). Never a sleep-and-hope: it returns as soon as the state is there and fails with {@code why} at the
     * deadline.
     */
    private static void awaitRunning(RunningVm vm, Runnable eachLook, String why) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            eachLook.run();
            VmRunState state = vm.runState();
            if (state == VmRunState.RUNNING) return;
            assertTrue(System.nanoTime() < deadline, why + ": the guest is still " + state + " after " + SETTLE);
            Thread.sleep(10);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String why)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, why + " (not within " + SETTLE + ")");
            Thread.sleep(10);
        }
    }

    private static void releaseQueued(BlockingQueue<WatchHit> hits) {
        for (WatchHit late = hits.poll(); late != null; late = hits.poll()) {
            late.close();
        }
    }

    private static long symbol(RunningVm vm, String name) throws InterruptedException {
        ConsoleLine line = await(vm, l -> l.endsWith(" " + name) && SYMBOL.matcher(l).matches());
        Matcher m = SYMBOL.matcher(line.text());
        assertTrue(m.matches());
        long address = Long.parseUnsignedLong(m.group(1), 16);
        assertTrue(address < 0 && address != 0, name + " at " + m.group(1) + " (is kptr_restrict hiding it?)");
        return address;
    }

    private static ConsoleLine await(RunningVm vm, java.util.function.Predicate<String> what)
            throws InterruptedException {
        return vm.console().awaitLine(what, WAIT).orElseThrow(() -> new AssertionError("console:\n"
                + String.join("\n", vm.console().lines().stream().map(ConsoleLine::text).toList())));
    }
}
