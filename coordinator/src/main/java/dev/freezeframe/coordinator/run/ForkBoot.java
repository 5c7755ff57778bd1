package dev.freezeframe.coordinator.run;

import dev.freezeframe.coordinator.scenario.AgentPlan;
import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.PlanUpdateMode;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.vmm.RunningVm;
import dev.freezeframe.vmm.VmBackend;
import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.template.BootTemplate;
import dev.freezeframe.vmm.template.TemplateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;

/** Brings up a {@link GuestBoot.Fork} guest: its snapshot's state restored, or a failure that says why (no cold boot). */
final class ForkBoot {
    private ForkBoot() {
    }

    static RunningVm restore(VmBackend backend, GuestBoot.Fork fork) {
        TemplateKey key = backend.templateKey(fork.spec()).orElseThrow(() -> new VmmException(
                VmmException.Kind.UNSUPPORTED, "The " + backend.name() + " backend cannot restore a saved guest."));
        BootTemplate state = new BootTemplate(fork.folder(), key);
        if (!state.exists() || !Files.isRegularFile(fork.folder().resolve(ForkableSnapshots.CHANNEL_LOG))) {
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "There is no complete forkable state in "
                    + fork.folder() + " (was the parent run started with --forkable?).");
        }
        try {
            return backend.restore(fork.spec(), state);
        } catch (VmmException e) {
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "The fork could not restore " + fork.from()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The guest's own snapshot request that a fork's state was frozen in: the last request the parent's guest sent
     * before the snapshot, when the snapshot carries its tag (a scenario step's capture). The agent waits for one answer
     * at a time, so only the last one can be open.
     */
    static Optional<WireMessage.SnapshotRequest> pendingRequest(RunInput.ForkReplay replay, String tag) {
        WireMessage.SnapshotRequest last = null;
        for (RunInput input : replay.parentInputs()) {
            if (input instanceof RunInput.GuestControl(ControlSignal.SnapshotRequested requested)) {
                last = requested.request();
            }
        }
        return last != null && last.tag().equals(tag) ? Optional.of(last) : Optional.empty();
    }

    /**
     * What a fork's guest is sent once restored: the host's wall clock and fresh randomness (it must not keep the
     * snapshot's, nor draw the same random numbers as another fork of it), and the fork's new plan if it has one.
     */
    static WireMessage.PlanUpdate planUpdate(java.util.Optional<GuestBoot.Fork.NewPlan> newPlan) {
        return newPlan
                .map(p -> new WireMessage.PlanUpdate(PlanUpdateMode.REPLACE, TemplateBoot.withFreshHostFacts(
                        AgentPlan.withScenarioName(p.plan(), p.scenario()))))
                .orElseGet(() -> new WireMessage.PlanUpdate(PlanUpdateMode.CONTINUE,
                        TemplateBoot.withFreshHostFacts("")));
    }

    static byte[] channelLog(GuestBoot.Fork fork) {
        try {
            return Files.readAllBytes(fork.folder().resolve(ForkableSnapshots.CHANNEL_LOG));
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.TEMPLATE_FAILED, "The parent's channel log in " + fork.folder()
                    + " cannot be read (" + e.getMessage() + ").", e);
        }
    }
}
