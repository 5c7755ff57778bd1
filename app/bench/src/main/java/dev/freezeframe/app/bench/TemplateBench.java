package dev.freezeframe.app.bench;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.run.GuestPlan;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.run.GuestBoot;
import dev.freezeframe.coordinator.scenario.AgentPlan;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import dev.freezeframe.coordinator.wire.FrameEncoder;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitCache;
import dev.freezeframe.vmm.qemu.QemuBackend;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.BootTemplates;
import dev.freezeframe.vmm.template.RamImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Run start → agent ready, cold boot against a start from the boot template, in the same run on the same host (issue
 * 14: ≤ 0.5 s and ≤ 0.1× cold boot on TCG). Cold: QEMU launched until the agent prints that it waits for its plan.
 * Template: QEMU launched, RAM and device state loaded, plan sent, until the agent prints that it has its plan. The
 * template is saved from the cold-booted guest (that save is timed too). Prints one JSON object.
 *   app/bench/templates.sh [-Dbench.restores=5] [-Dbench.memoryMiB=1024]
 */
public final class TemplateBench {
    private static final double TARGET_MS = 500;
    private static final double TARGET_RATIO = 0.1;

    public static void main(String[] args) throws Exception {
        int restores = Integer.getInteger("bench.restores", 5);
        int memory = Integer.getInteger("bench.memoryMiB", 1024);
        Kit kit = new KitCache(AppDirs.fromEnvironment().cacheDir().resolve("kit")).current()
                .orElseThrow(() -> new IllegalStateException("no guest kit: run `freezeframe kit build`"));
        Path work = Files.createTempDirectory("template-bench-");
        BootTemplates store = new BootTemplates(work.resolve("templates"));
        RunConfig config = new RunConfig("scx_simple", List.of(), "cpu", 2, memory, "kit", 0, List.of());
        var boot = (GuestBoot.FromTemplate) GuestPlan.prepareBoot(config, kit, ScenarioLoader.load("cpu"), work, false,
                false, store);
        QemuBackend backend = new QemuBackend();
        BootTemplate template = store.of(backend.templateKey(boot.spec()).orElseThrow());

        long t0 = System.nanoTime();
        double coldMs;
        double saveMs;
        RamImage.Stats stats;
        try (RunningVm vm = backend.start(boot.spec())) {
            awaitLine(vm, AgentPlan.PLAN_WAIT_LINE);
            coldMs = ms(t0);
            long s0 = System.nanoTime();
            Path folder = store.prepare(template);
            stats = vm.saveTemplate(folder);
            store.publish(folder, template);
            saveMs = ms(s0);
            vm.kill();
        }
        List<Double> templateMs = new ArrayList<>();
        for (int i = 0; i < restores; i++) {
            long r0 = System.nanoTime();
            try (RunningVm vm = backend.restore(boot.spec(), template)) {
                OutputStream out = vm.dataChannel().orElseThrow().toGuest();
                out.write(FrameEncoder.encode(new WireMessage.RunPlan(AgentPlan.withHostFacts(boot.plan(),
                        System.currentTimeMillis() * 1_000_000L, "00".repeat(32)))));
                out.flush();
                awaitLine(vm, "FFAGENT plan ");
                templateMs.add(ms(r0));
                vm.kill();
            }
        }
        List<Double> sorted = templateMs.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        double ratio = median / coldMs;
        System.out.println(String.format(Locale.ROOT, """
                {"benchmark":"boot_template","memory_mib":%d,"vcpus":2,"accelerator":"%s",\
                "cold_boot_to_agent_ready_ms":%.1f,"template_to_agent_ready_ms":%s,\
                "template_to_agent_ready_median_ms":%.1f,"ratio_vs_cold_boot":%.3f,"target_ms":%.0f,\
                "target_ratio":%.2f,"meets_target":%s,"template_save_ms":%.1f,"template_ram_image_mib":%.1f,\
                "template_device_state_kib":%d,"ram_pages_stored":%d,"ram_pages_zero":%d}""",
                memory, backend.templateKey(boot.spec()).orElseThrow().slot(), coldMs, templateMs, median, ratio,
                TARGET_MS, TARGET_RATIO, median <= TARGET_MS && ratio <= TARGET_RATIO, saveMs,
                stats.fileBytes() / 1048576.0, Files.size(template.devices()) >> 10, stats.storedPages(),
                stats.zeroPages()));
        store.discard(template);
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static void awaitLine(RunningVm vm, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline && !vm.exit().isDone()) {
            for (ConsoleLine line : vm.console().lines()) {
                if (line.text().startsWith(prefix)) return;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("the guest never printed '" + prefix + "'");
    }
}
