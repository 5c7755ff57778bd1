package dev.freezeframe.vmm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.FrozenVm;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.kit.Initramfs;
import dev.freezeframe.vmm.qemu.QemuBackend;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.ForkableCapture;
import dev.freezeframe.vmm.template.PageDelta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Forkable snapshots (issue 14), one JSON object: a 1 GiB guest with scx_qmap under a CPU workload; its base is saved
 * while only the agent runs (what a boot template holds). Then, a few seconds apart, a plain freeze (the baseline) and a
 * freeze with a forkable capture: the extra freeze time, the disk per snapshot. Then each snapshot is restored: fork
 * command → guest running, and the restore's page counts.
 *   -Dbench.captures=3 -Dbench.memoryMiB=1024
 */
public final class ForkBench {
    private static final String SCRIPT = "echo FORKBASE; sleep 4; /usr/bin/scx_qmap >/dev/null 2>&1 &"
            + " for w in 1 2 3; do (while :; do :; done) & done;"
            + " i=0; while :; do i=$((i+1)); echo FORKTICK $i $(cat /sys/kernel/sched_ext/state); sleep 1; done";

    public static void main(String[] args) throws Exception {
        int captures = Integer.getInteger("bench.captures", 3);
        int memoryMiB = Integer.getInteger("bench.memoryMiB", 1024);
        BenchGuest guest = BenchGuest.fromPropertiesOrKit();
        Path work = Files.createTempDirectory("freezeframe-fork-bench-");
        Path perRun = Files.write(work.resolve("per-run.cpio"), Initramfs.perRunArchive(List.of(SCRIPT), Map.of()));
        VmSpec spec = VmSpec.builder().kernel(guest.kernel()).addInitrd(guest.initrd()).addInitrd(perRun)
                .cmdline(dev.freezeframe.vmm.kit.GuestContract.KERNEL_CMDLINE).vcpus(2).memoryMiB(memoryMiB)
                .timeouts(VmTimeouts.DEFAULTS.withRun(Duration.ofMinutes(10))).build();
        QemuBackend backend = new QemuBackend();
        Path base = Files.createDirectories(work.resolve("base"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        out.put("guest_memory_mib", memoryMiB);
        out.put("load_average_at_start", loadAverage());
        List<Path> folders = new ArrayList<>();
        ArrayNode captureRows = out.putArray("captures");
        try (RunningVm vm = backend.start(spec)) {
            await(vm, "FORKBASE", 0);
            vm.saveTemplate(base);
            try (PageDelta.BaseImage baseImage = PageDelta.BaseImage.open(base.resolve(BootTemplate.RAM))) {
                for (int i = 0; i < captures; i++) {
                    await(vm, "FORKTICK", 3 + 2 * i);
                    // both: from asking for the freeze until the guest runs again
                    long t0 = System.nanoTime();
                    try (FrozenVm frozen = vm.freeze()) {
                        frozen.duration();
                    }
                    long plainMicros = (System.nanoTime() - t0) / 1000;
                    Path folder = Files.createDirectories(work.resolve("snapshot-" + i));
                    ForkableCapture capture;
                    long t1 = System.nanoTime();
                    try (FrozenVm frozen = vm.freeze()) {
                        capture = vm.captureForkable(folder, baseImage);
                    }
                    long forkableMicros = (System.nanoTime() - t1) / 1000;
                    ForkableCapture.Stats stats = capture.finish();
                    capture.close();
                    folders.add(folder);
                    ObjectNode row = captureRows.addObject();
                    row.put("plain_freeze_ms", plainMicros / 1000.0);
                    row.put("forkable_freeze_ms", forkableMicros / 1000.0);
                    row.put("extra_freeze_ms", (forkableMicros - plainMicros) / 1000.0);
                    row.put("ratio_vs_plain_freeze", Math.round(forkableMicros * 100.0 / Math.max(plainMicros, 1)) / 100.0);
                    row.put("device_state_ms", stats.devicesMillis());
                    row.put("ram_compare_copy_ms", stats.ramCopyMillis());
                    row.put("write_after_resume_ms", stats.writeMillis());
                    row.put("disk_mib", Math.round(stats.folderBytes() / 1048576.0 * 100) / 100.0);
                    row.put("pages_stored", stats.pages().storedPages());
                    row.put("pages_zeroed", stats.pages().zeroedPages());
                    row.put("pages_from_base", stats.pages().basePages());
                    row.put("load_average", loadAverage());
                }
            }
        }
        ArrayNode restores = out.putArray("forks");
        long basePages = dev.freezeframe.vmm.template.RamImage.pageCount(base.resolve(BootTemplate.RAM));
        for (int i = 0; i < folders.size(); i++) {
            Path folder = folders.get(i);
            JsonNode captured = captureRows.get(i);
            long t0 = System.nanoTime();
            try (RunningVm vm = backend.restore(spec, new BootTemplate(folder, backend.templateKey(spec).orElseThrow()))) {
                long runningMs = (System.nanoTime() - t0) / 1_000_000;
                int before = lastTick(vm);
                await(vm, "FORKTICK", before); // the guest really goes on
                ObjectNode row = restores.addObject();
                row.put("fork_to_running_ms", runningMs);
                // an eager restore writes every page before the guest runs: nothing is faulted in later
                row.put("restore", "eager");
                row.put("pages_prewarmed_from_base", basePages);
                row.put("pages_prewarmed_from_snapshot", captured.path("pages_stored").asLong()
                        + captured.path("pages_zeroed").asLong());
                row.put("pages_faulted", 0);
                row.put("pages_total", memoryMiB * 256L);
                row.put("load_average", loadAverage());
            }
        }
        out.put("target_extra_freeze_ms", 200);
        out.put("target_disk_mib", 64);
        out.put("target_fork_to_running_ms", 1000);
        System.out.println(json.writeValueAsString(out));
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static int lastTick(RunningVm vm) {
        return vm.console().lines().stream().map(ConsoleLine::text).filter(l -> l.startsWith("FORKTICK "))
                .map(l -> Integer.parseInt(l.split(" ")[1])).reduce((a, b) -> b).orElse(0);
    }

    /** Waits for a console line starting with {@code prefix} (for ticks: numbered above {@code after}). */
    private static void await(RunningVm vm, String prefix, int after) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && !vm.exit().isDone()) {
            for (ConsoleLine line : vm.console().lines()) {
                String t = line.text();
                if (!t.startsWith(prefix)) continue;
                if (!prefix.equals("FORKTICK") || Integer.parseInt(t.split(" ")[1]) > after) return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the guest did not print " + prefix + " (after " + after + ")");
    }
}
