package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.scenario.AgentPlan;
import dev.freezeframe.coordinator.wire.FrameEncoder;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.ConsoleLine;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.RamImage;
import dev.freezeframe.vmm.template.TemplateKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings up a {@link GuestBoot.FromTemplate} guest: restore the template when there is a usable one; otherwise (none
 * yet, stale, or the restore failed — which is said, with why) boot, save the template when the agent waits for its plan,
 * and go on. Then the plan goes to the agent with the host's wall clock and a fresh random seed, which a restored guest
 * must not inherit from its template.
 */
final class TemplateBoot {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateBoot.class);
    /** How long a cold boot may take to reach the agent's plan wait under TCG on a loaded host. */
    static final Duration PLAN_WAIT_BUDGET = Duration.ofSeconds(120);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The saved boot's console, kept with the template. */
    static final String BOOT_CONSOLE = "boot-console.txt";

    private TemplateBoot() {
    }

    /** @param notes where to report how the guest came up (lifecycle/harness events of the run) */
    static RunningVm start(VmBackend backend, GuestBoot.FromTemplate boot, Consumer<RunInput> notes) {
        Optional<TemplateKey> key = backend.templateKey(boot.spec());
        BootTemplate template = key.map(boot.store()::of).orElse(null);
        RunningVm vm = null;
        if (template != null && template.exists()) {
            long t0 = System.nanoTime();
            try {
                vm = backend.restore(boot.spec(), template);
                replayBootConsole(template, notes);
                notes.accept(new RunInput.HarnessNote(Lane.LIFECYCLE, "template_restored", "started from the boot "
                        + "template " + template.dir().getFileName() + " in " + (System.nanoTime() - t0) / 1_000_000
                        + " ms instead of booting", null));
            } catch (VmmException e) {
                LOG.warn("Boot template {} not usable", template.dir(), e);
                boot.store().discard(template);
                notes.accept(new RunInput.HarnessNote(Lane.HARNESS, "template_failed", "the boot template could not be "
                        + "used (" + e.getMessage() + "); booting cold and making a new one", null));
            }
        }
        if (vm == null) {
            vm = backend.start(boot.spec());
            try {
                awaitPlanWait(vm);
                if (template != null) save(vm, boot, template, notes);
            } catch (RuntimeException e) {
                vm.close();
                throw e;
            }
        }
        sendPlan(vm, boot.plan(), boot.includes());
        return vm;
    }

    /**
     * A restored guest did not boot in this run, so its console starts mid-way; the template's boot console (kernel
     * version, command line, the agent's first lines) is put first, said to be the template's.
     */
    private static void replayBootConsole(BootTemplate template, Consumer<RunInput> notes) {
        try {
            List<String> lines = Files.readAllLines(template.dir().resolve(BOOT_CONSOLE));
            notes.accept(new RunInput.ConsoleLine("[freezeframe] boot console of the template this guest was restored "
                    + "from:"));
            lines.forEach(line -> notes.accept(new RunInput.ConsoleLine(line)));
            notes.accept(new RunInput.ConsoleLine("[freezeframe] restored from the template; this run's console "
                    + "follows"));
        } catch (IOException e) {
            LOG.info("No boot console kept with {}", template.dir(), e);
        }
    }

    private static void save(RunningVm vm, GuestBoot.FromTemplate boot, BootTemplate template,
                             Consumer<RunInput> notes) {
        long t0 = System.nanoTime();
        try {
            Path work = boot.store().prepare(template);
            RamImage.Stats stats = vm.saveTemplate(work);
            Files.write(work.resolve(BOOT_CONSOLE), vm.console().lines().stream().map(ConsoleLine::text).toList());
            boot.store().publish(work, template);
            notes.accept(new RunInput.HarnessNote(Lane.LIFECYCLE, "template_saved", "saved this boot as the template "
                    + template.dir().getFileName() + " (" + (stats.fileBytes() >> 20) + " MiB, "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms); later runs of this machine start from it", null));
        } catch (IOException | VmmException e) {
            LOG.warn("Boot template not saved", e);
            notes.accept(new RunInput.HarnessNote(Lane.HARNESS, "template_failed", "this boot could not be saved as a "
                    + "template (" + e.getMessage() + "); the run goes on", null));
        }
    }

    /** Waits for the agent's plan-wait line; a guest that ends first or never gets there fails the start. */
    private static void awaitPlanWait(RunningVm vm) {
        long deadline = System.nanoTime() + PLAN_WAIT_BUDGET.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsoleLine line : vm.console().lines()) {
                if (line.text().startsWith(AgentPlan.PLAN_WAIT_LINE)) return;
            }
            if (vm.exit().isDone()) {
                throw new VmmException(VmmException.Kind.START_FAILED, "The guest ended before its agent asked for the "
                        + "run plan (" + vm.exit().resultNow().describe() + "); a guest kit built before boot templates "
                        + "does not ask: run `freezeframe kit build`, or run with --cold-boot.");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VmmException(VmmException.Kind.START_FAILED, "Interrupted while the guest booted.", e);
            }
        }
        throw new VmmException(VmmException.Kind.START_FAILED, "The guest's agent did not ask for its run plan within "
                + PLAN_WAIT_BUDGET.toSeconds() + " s of booting; the host may be overloaded.");
    }

    /**
     * {@code plan} (or "" for the facts alone) with the host's wall clock and 32 fresh random bytes: what a guest restored
     * from a saved state must not keep from it. A template's plan and a fork's plan update carry them alike.
     */
    static String withFreshHostFacts(String plan) {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return AgentPlan.withHostFacts(plan, System.currentTimeMillis() * 1_000_000L, HexFormat.of().formatHex(seed));
    }

    static void sendPlan(RunningVm vm, String plan, List<WireMessage.IncludeFile> includes) {
        String text = withFreshHostFacts(plan);
        try {
            OutputStream out = vm.dataChannel().orElseThrow(() -> new VmmException(VmmException.Kind.START_FAILED,
                    "A templated guest needs the data channel.")).toGuest();
            out.write(FrameEncoder.encode(new WireMessage.RunPlan(text)));
            for (WireMessage.IncludeFile file : includes) out.write(FrameEncoder.encode(file)); // the plan's order
            out.flush();
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.START_FAILED, "The run plan could not be sent to the guest ("
                    + e.getMessage() + ").", e);
        }
    }
}
