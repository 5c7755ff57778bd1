package dev.freezeframe.app.run;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.run.GuestBoot;
import dev.freezeframe.coordinator.scenario.AgentPlan;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.VmTimeouts;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.kit.BzImage;
import dev.freezeframe.vmm.kit.ForeignKernel;
import dev.freezeframe.vmm.kit.Cpio;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.template.BootTemplates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.freezeframe.vmm.kit.GuestContract;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what the user asked for into what the VM boots: the kit's kernel and base initramfs, and the agent's plan — sent
 * over the channel to a guest started from a boot template, or (cold boot) in a per-run archive with, for a user's own
 * scheduler, its binary; a user's own kernel is checked first ({@link ForeignKernel}) and boots cold.
 */
public final class GuestPlan {
    /** Kernel command line every run uses (the guest contract). */
    static final String CMDLINE = GuestContract.KERNEL_CMDLINE;
    /** Boot under TCG plus scheduler verification take tens of seconds on a loaded 2-core host. */
    static final Duration BOOT_BUDGET = Duration.ofSeconds(120);
    static final Duration END_BUDGET = Duration.ofSeconds(60);
    static final long ENABLE_TIMEOUT_MS = 60_000;
    private static final String USER_SCHEDULER_DIR = GuestContract.USER_SCHEDULER_DIR;

    private GuestPlan() {
    }

    /** A live run may be held frozen for as long as the user inspects it; the watchdog still catches a hung guest. */
    static final Duration INTERACTIVE_RUN_LIMIT = Duration.ofHours(12);

    /**
     * @param workDir a private folder for this run's files (the per-run archive)
     */
    public static VmSpec prepare(RunConfig config, Kit kit, Scenario scenario, Path workDir) {
        return prepare(config, kit, scenario, workDir, false);
    }

    /**
     * @param interactive a person drives the run (freezes it at will): the VM's lifetime is not bounded by the
     *                    scenario's length
     */
    public static VmSpec prepare(RunConfig config, Kit kit, Scenario scenario, Path workDir, boolean interactive) {
        return coldBoot(config, kit, scenario, workDir, interactive).spec();
    }

    /**
     * How the run's guest comes up: from the boot template of its machine (the default), or booting cold with its plan
     * in a per-run initramfs when {@code coldBoot} is asked for, a user's own scheduler binary must travel with it
     * (a template's guest has only the kit's files) or a user's own kernel must be checked and may bring its config.
     */
    public static GuestBoot prepareBoot(RunConfig config, Kit kit, Scenario scenario, Path workDir, boolean interactive,
                                        boolean coldBoot, BootTemplates templates) {
        boolean userSwap = config.swaps().stream().anyMatch(s -> !kit.schedulers().containsKey(s.scheduler()));
        if (coldBoot || !kit.schedulers().containsKey(config.scheduler()) || !config.kernel().equals("kit")
                || userSwap) {
            return coldBoot(config, kit, scenario, workDir, interactive);
        }
        String plan = compile(kit.schedulers().get(config.scheduler()), config, kit, scenario);
        VmSpec spec = machine(config, kit, scenario, interactive)
                .cmdline(CMDLINE + " " + GuestBoot.FromTemplate.PLAN_ON_CHANNEL)
                .build();
        return new GuestBoot.FromTemplate(spec, plan, templates,
                config.includes().stream().map(IncludedFiles::message).toList());
    }

    /**
     * The plan a fork's guest runs instead of the rest of its own ({@code fork --scenario}): the same scheduler (already
     * running: the agent does not start it again) and the new scenario's steps. The files its exec workloads run were
     * shipped with the parent's run and are in the guest already, so no include lines.
     */
    public static String forkPlan(RunConfig config, Kit kit, Scenario scenario) {
        return AgentPlan.compile(kit.schedulers().get(config.scheduler()), config.schedulerArgs(), ENABLE_TIMEOUT_MS,
                scenario, name -> kit.schedulers().containsKey(name) ? kit.schedulers().get(name)
                        : USER_SCHEDULER_DIR + Path.of(name).getFileName(), Map.of());
    }

    /** The plan: a swapped-in scheduler is the kit's, or a user's binary this run's archive carries. */
    private static String compile(String schedulerInGuest, RunConfig config, Kit kit, Scenario scenario) {
        Map<String, Long> includes = new LinkedHashMap<>();
        for (RunConfig.IncludedFile f : config.includes()) includes.put(f.name(), sizeOf(f));
        return AgentPlan.compile(schedulerInGuest, config.schedulerArgs(), ENABLE_TIMEOUT_MS, scenario,
                name -> kit.schedulers().containsKey(name) ? kit.schedulers().get(name)
                        : USER_SCHEDULER_DIR + Path.of(name).getFileName(), includes);
    }

    private static long sizeOf(RunConfig.IncludedFile file) {
        try {
            return Files.size(Path.of(file.path()));
        } catch (IOException e) {
            throw new AppException("Cannot read the included file " + file.path() + " (" + e.getMessage() + ").", e);
        }
    }

    private static GuestBoot.Cold coldBoot(RunConfig config, Kit kit, Scenario scenario, Path workDir,
                                           boolean interactive) {
        String schedulerInGuest;
        Path userScheduler = null;
        if (kit.schedulers().containsKey(config.scheduler())) {
            schedulerInGuest = kit.schedulers().get(config.scheduler());
        } else {
            userScheduler = Path.of(config.scheduler());
            if (!Files.isRegularFile(userScheduler)) {
                throw new AppException("Unknown scheduler '" + config.scheduler() + "': the guest kit has "
                        + String.join(", ", kit.schedulers().keySet()) + ", and no such file exists.");
            }
            schedulerInGuest = USER_SCHEDULER_DIR + userScheduler.getFileName();
        }
        Optional<ForeignKernel> foreign = foreignKernel(config, kit, userScheduler == null, workDir);
        String plan = compile(schedulerInGuest, config, kit, scenario);
        List<Path> swappedIn = config.swaps().stream().filter(s -> !kit.schedulers().containsKey(s.scheduler()))
                .map(s -> Path.of(s.scheduler())).distinct().toList();
        Path perRun = workDir.resolve("run.cpio");
        try {
            Files.createDirectories(workDir);
            Path binary = userScheduler;
            byte[] archive = Cpio.build(cpio -> {
                cpio.directory("run.d", 0755);
                cpio.file(AgentPlan.GUEST_PATH.substring(1), 0644, plan.getBytes(StandardCharsets.UTF_8));
                Optional<String> kernelConfig = foreign.flatMap(ForeignKernel::config);
                if (kernelConfig.isPresent()) {
                    // libbpf resolves a scheduler's __kconfig externs from /boot/config-<release>
                    cpio.file("boot/config-" + foreign.get().release(), 0644,
                            kernelConfig.get().getBytes(StandardCharsets.ISO_8859_1));
                }
                if (binary != null || !swappedIn.isEmpty()) cpio.directory("run.d/bin", 0755);
                if (binary != null) cpio.file(schedulerInGuest.substring(1), 0755, Files.readAllBytes(binary));
                for (Path swap : swappedIn) {
                    String inGuest = (USER_SCHEDULER_DIR + swap.getFileName()).substring(1);
                    if (binary == null || !inGuest.equals(schedulerInGuest.substring(1))) {
                        cpio.file(inGuest, 0755, Files.readAllBytes(swap));
                    }
                }
                if (!config.includes().isEmpty()) cpio.directory("run.d/include", 0755);
                for (RunConfig.IncludedFile f : config.includes()) {
                    cpio.file("run.d/include/" + f.name(), 0755, IncludedFiles.read(f));
                }
            });
            Files.write(perRun, archive);
        } catch (IOException e) {
            throw new AppException("Cannot write the run's files in " + workDir + " (" + e.getMessage() + ").", e);
        }
        return new GuestBoot.Cold(machine(config, kit, scenario, interactive).addInitrd(perRun).cmdline(CMDLINE).build());
    }

    /** Kernel, the kit's base initramfs, vCPUs, memory, data channel and run limit: what every boot shares. */
    private static VmSpec.Builder machine(RunConfig config, Kit kit, Scenario scenario, boolean interactive) {
        Path kernel = kernel(config, kit);
        Duration runLimit = interactive ? INTERACTIVE_RUN_LIMIT
                : BOOT_BUDGET.plusMillis(scenario.totalDurationMs()).plus(END_BUDGET);
        return VmSpec.builder()
                .kernel(kernel)
                .addInitrd(kit.baseInitramfs())
                .vcpus(config.vcpus())
                .memoryMiB(config.memoryMib())
                .dataChannel(true)
                .timeouts(VmTimeouts.DEFAULTS.withRun(runLimit));
    }

    /** The kernel the run boots: the kit's or the user's {@code --kernel}. */
    static Path kernel(RunConfig config, Kit kit) {
        return config.kernel().equals("kit") ? kit.bzImage() : Path.of(config.kernel());
    }

    /** The release ({@code uname -r}) of the kernel the run boots, read from its bzImage before it boots. */
    public static String kernelRelease(RunConfig config, Kit kit) {
        if (config.kernel().equals("kit")) return kit.kernelVersion();
        try {
            return BzImage.read(Path.of(config.kernel())).version();
        } catch (VmmException e) {
            throw AppException.usage(e.getMessage());
        }
    }

    /** Checks a user's kernel before it boots; empty for the kit's. */
    private static Optional<ForeignKernel> foreignKernel(RunConfig config, Kit kit, boolean kitScheduler,
                                                         Path workDir) {
        if (config.kernel().equals("kit")) return Optional.empty();
        try {
            ForeignKernel foreign = ForeignKernel.check(Path.of(config.kernel()), workDir.resolve("kernel-check"));
            if (kitScheduler) foreign.requireKitSchedulersMatch(kit, config.scheduler());
            return Optional.of(foreign);
        } catch (VmmException e) {
            throw AppException.usage(e.getMessage());
        }
    }
}
