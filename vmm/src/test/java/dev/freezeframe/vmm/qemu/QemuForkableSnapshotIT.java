package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.kit.Initramfs;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.ForkableCapture;
import dev.freezeframe.vmm.template.PageDelta;
import dev.freezeframe.vmm.testing.GuestKits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forkable snapshot of a 1 GiB guest running scx_qmap under a workload: taken inside a freeze against a base image
 * saved before the scheduler started (what a boot template is), then started twice. Both copies go on from the frozen
 * instant with the same scheduler process, still enabled (no re-attach).
 */
class QemuForkableSnapshotIT {
    /** FORKBASE while only the agent runs (the base is saved then), then scx_qmap, a CPU workload and a tick a second. */
    static final String SCRIPT = "echo FORKBASE; sleep 4; /usr/bin/scx_qmap >/dev/null 2>&1 &"
            + " for w in 1 2; do (while :; do :; done) & done;"
            + " i=0; while :; do i=$((i+1)); echo FORKTICK $i $(cat /sys/kernel/sched_ext/state)"
            + " $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null) pid=$(pidof scx_qmap); sleep 1; done";

    @TempDir
    Path tmp;

    @Test
    void aForkableSnapshotOfAScxQmapGuestStartsTwiceFromTheFrozenInstant() throws Exception {
        Kit kit = GuestKits.requireKit();
        Path perRun = Files.write(tmp.resolve("per-run.cpio"), Initramfs.perRunArchive(List.of(SCRIPT), Map.of()));
        VmSpec spec = VmSpec.builder().kernel(kit.bzImage()).addInitrd(kit.baseInitramfs()).addInitrd(perRun)
                .cmdline(GuestKits.CMDLINE).vcpus(2).memoryMiB(1024)
                .timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(5))).build();
        QemuBackend backend = new QemuBackend();
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path fork = Files.createDirectories(tmp.resolve("fork"));

        String lastBeforeSave;
        ForkableCapture.Stats stats;
        try (RunningVm vm = backend.start(spec)) {
            GuestTicks.awaitLine(vm, "FORKBASE");
            vm.saveTemplate(base);
            GuestTicks.awaitTick(vm, 3, "enabled qmap");
            ForkableCapture capture;
            try (PageDelta.BaseImage baseImage = PageDelta.BaseImage.open(base.resolve(BootTemplate.RAM));
                 FrozenVm frozen = vm.freeze()) {
                lastBeforeSave = GuestTicks.lastTick(vm);
                capture = vm.captureForkable(fork, baseImage);
            }
            stats = capture.finish();
            GuestTicks.awaitTick(vm, GuestTicks.tickNumber(lastBeforeSave) + 1, "enabled qmap"); // the parent runs on
        }
        System.out.printf("forkable capture of a 1 GiB scx_qmap guest: in the freeze %d ms (device state %d, RAM %d),"
                        + " after %d ms; %.1f MiB (%d pages stored, %d zeroed, %d as the base)%n", stats.freezeMillis(),
                stats.devicesMillis(), stats.ramCopyMillis(), stats.writeMillis(), stats.folderBytes() / 1048576.0,
                stats.pages().storedPages(), stats.pages().zeroedPages(), stats.pages().basePages());
        assertTrue(stats.pages().basePages() > 1000, "most of the kernel is the base's: " + stats);
        int savedTick = GuestTicks.tickNumber(lastBeforeSave);
        String savedPid = lastBeforeSave.substring(lastBeforeSave.indexOf("pid="));

        BootTemplate forkPoint = new BootTemplate(fork, backend.templateKey(spec).orElseThrow());
        int[] firstTicks = new int[2];
        for (int copy = 0; copy < 2; copy++) {
            long t0 = System.nanoTime();
            try (RunningVm vm = backend.restore(spec, forkPoint)) {
                System.out.printf("fork %d running after %d ms%n", copy, (System.nanoTime() - t0) / 1_000_000);
                String first = GuestTicks.awaitTick(vm, savedTick, "enabled qmap");
                firstTicks[copy] = GuestTicks.tickNumber(first);
                assertTrue(firstTicks[copy] == savedTick + 1 || firstTicks[copy] == savedTick + 2, "copy " + copy + " goes on from the frozen count "
                        + savedTick + ": " + first);
                assertTrue(first.endsWith(savedPid), "the same scheduler process, not a new one: " + first);
                String later = GuestTicks.awaitTick(vm, savedTick + 3, "enabled qmap");
                assertTrue(later.endsWith(savedPid), later);
            }
        }
        assertEquals(firstTicks[0], firstTicks[1], "both copies start from the same instant");
    }
}
