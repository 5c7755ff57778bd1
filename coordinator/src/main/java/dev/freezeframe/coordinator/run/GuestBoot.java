package dev.freezeframe.coordinator.run;

import dev.freezeframe.vmm.VmSpec;
import dev.freezeframe.vmm.template.BootTemplates;
import java.util.Objects;

/** How a run's guest comes up (docs/fork-and-templates.md). */
public sealed interface GuestBoot {

    VmSpec spec();

    /** The guest boots with its plan inside its per-run initramfs ({@code --cold-boot}, or what templates cannot do). */
    record Cold(VmSpec spec) implements GuestBoot {
        public Cold {
            Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * The guest starts from a forkable snapshot's state (docs/fork-and-templates.md); a state that cannot be restored
     * fails the run with the reason, never a cold boot.
     *
     * @param folder         the snapshot's state folder
     * @param from           what it is, for the fork's first event ("run 12, snapshot periodic_002")
     * @param tag            the snapshot's tag: when it answers the guest's last own request (a scenario step's
     *                       capture), the guest was frozen waiting for that answer, and the fork gives it
     * @param newPlan        a plan that replaces the rest of the guest's own from the fork on ({@code fork
     *                       --scenario}); empty: the guest goes on with its plan
     */
    record Fork(VmSpec spec, java.nio.file.Path folder, String from, String tag,
                java.util.Optional<NewPlan> newPlan) implements GuestBoot {
        public Fork {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(newPlan, "newPlan");
        }

        /** A fork whose guest goes on with its own plan. */
        public Fork(VmSpec spec, java.nio.file.Path folder, String from, String tag) {
            this(spec, folder, from, tag, java.util.Optional.empty());
        }

        /**
         * @param scenario the scenario's name, as the fork's events say it
         * @param plan     its agent plan (AgentPlan), which the guest's agent runs instead of the rest of its own
         */
        public record NewPlan(String scenario, String plan) {
            public NewPlan {
                Objects.requireNonNull(scenario, "scenario");
                Objects.requireNonNull(plan, "plan");
            }
        }
    }

    /**
     * The guest starts from the boot template of {@code spec} (a boot with {@code ff.plan=channel} and no per-run
     * archive), or boots, is saved as that template while its agent waits, and runs on; either way the agent then gets
     * {@code plan} as a RUN_PLAN frame, followed by the files shipped with {@code --include}, one frame each.
     */
    record FromTemplate(VmSpec spec, String plan, BootTemplates store,
                        java.util.List<dev.freezeframe.coordinator.wire.WireMessage.IncludeFile> includes)
            implements GuestBoot {
        /** The kernel command line word that makes the agent wait for its plan on the channel. */
        public static final String PLAN_ON_CHANNEL = "ff.plan=channel";

        public FromTemplate(VmSpec spec, String plan, BootTemplates store) {
            this(spec, plan, store, java.util.List.of());
        }

        public FromTemplate {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(store, "store");
            includes = java.util.List.copyOf(includes);
            if (!(" " + spec.cmdline() + " ").contains(" " + PLAN_ON_CHANNEL + " ")) {
                throw new IllegalArgumentException("a templated boot needs " + PLAN_ON_CHANNEL + " on the command line");
            }
        }
    }
}
