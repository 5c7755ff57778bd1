package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.kit.Initramfs;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.BootTemplates;
import dev.freezeframe.vmm.template.RamImage;
import dev.freezeframe.vmm.testing.GuestKits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The primitive a fork needs, on a guest with a live sched_ext scheduler: scx_qmap runs under a workload, the guest is
 * saved mid-run and started twice from that state. Both copies go on from the same instant (the same tick counter,
 * the same scheduler process, still enabled: no re-attach) and then run independently.
 */
class QemuMidRunRestoreIT {
    private static final String LOOP = "/usr/bin/scx_qmap >/dev/null 2>&1 & for w in 1 2; do (while :; do :; done) & done;"
            + " i=0; while :; do i=$((i+1)); echo FORKTICK $i $(cat /sys/kernel/sched_ext/state)"
            + " $(cat /sys/kernel/sched_ext/root/ops 2>/dev/null) pid=$(pidof scx_qmap); sleep 1; done";

    @TempDir
    Path tmp;

    @Test
    void aGuestSavedWithScxQmapRunningRestoresTwiceAndBothCopiesRunOnFromTheSameInstant() throws Exception {
        Kit kit = GuestKits.requireKit();
        Path perRun = Files.write(tmp.resolve("per-run.cpio"), Initramfs.perRunArchive(List.of(LOOP), Map.of()));
        VmSpec spec = VmSpec.builder().kernel(kit.bzImage()).addInitrd(kit.baseInitramfs()).addInitrd(perRun)
                .cmdline(GuestKits.CMDLINE).vcpus(2).memoryMiB(1024)
                .timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(5))).build();
        QemuBackend backend = new QemuBackend();
        BootTemplates store = new BootTemplates(tmp.resolve("saved"));
        BootTemplate saved = store.of(backend.templateKey(spec).orElseThrow());

        String lastBeforeSave;
        try (RunningVm vm = backend.start(spec)) {
            GuestTicks.awaitTick(vm, 0, "enabled qmap");
            lastBeforeSave = GuestTicks.lastTick(vm);
            Path work = store.prepare(saved);
            long t0 = System.nanoTime();
            RamImage.Stats stats = vm.saveTemplate(work);
            long saveMs = (System.nanoTime() - t0) / 1_000_000;
            store.publish(work, saved);
            System.out.printf("mid-run save of a 1 GiB scx_qmap guest: %d ms, RAM image %.1f MiB (%d pages, %d zero)%n",
                    saveMs, stats.fileBytes() / 1048576.0, stats.storedPages(), stats.zeroPages());
        }
        int savedTick = GuestTicks.tickNumber(lastBeforeSave);
        String savedPid = lastBeforeSave.substring(lastBeforeSave.indexOf("pid="));

        int[] firstTicks = new int[2];
        for (int copy = 0; copy < 2; copy++) {
            try (RunningVm vm = backend.restore(spec, saved)) {
                String first = GuestTicks.awaitTick(vm, savedTick, "enabled qmap");
                firstTicks[copy] = GuestTicks.tickNumber(first);
                // the save came at most a tick after the last line the host had seen from the parent
                assertTrue(firstTicks[copy] == savedTick + 1 || firstTicks[copy] == savedTick + 2,
                        "copy " + copy + " goes on from the parent's count " + savedTick + ": " + first);
                assertTrue(first.endsWith(savedPid), "the same scheduler process, not a new one: " + first);
                String later = GuestTicks.awaitTick(vm, savedTick + 3, "enabled qmap");
                assertTrue(later.endsWith(savedPid), later);
            }
        }
        assertEquals(firstTicks[0], firstTicks[1], "both copies start from the same instant");
    }
}
