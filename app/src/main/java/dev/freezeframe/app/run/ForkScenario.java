package dev.freezeframe.app.run;

import dev.freezeframe.app.AppException;
import dev.freezeframe.coordinator.CoordinatorException;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.scenario.CgroupSpec;
import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A fork's new scenario ({@code fork --scenario}): it runs in the parent's guest from the fork instant on, under the
 * scheduler already running there, so it must fit what that guest is — the parent's vCPUs, cgroups, the kit's
 * schedulers and the files the parent's run shipped. What does not fit is refused in a sentence before anything starts.
 */
public final class ForkScenario {
    private ForkScenario() {
    }

    /** The parent and its new configuration for the fork: its scheduler and machine, the new scenario. */
    public record Checked(RunConfig config, Scenario scenario) {
    }

    /**
     * @param parent        the parent run's configuration
     * @param choice        a built-in scenario's name or a scenario file
     * @param kitSchedulers the schedulers the guest kit has (a swap can only start one of those in a fork's guest)
     * @param forkConfig    the fork's own settings (snapshots, watches) on the parent's configuration
     * @throws AppException (usage) with every problem's sentence, one per line
     */
    public static Checked check(long parentId, RunConfig parent, String choice, Collection<String> kitSchedulers,
                                RunConfig forkConfig) {
        String name = choice == null ? "" : choice.strip();
        if (name.isEmpty()) {
            throw AppException.usage("Choose the fork's scenario: a built-in (" + String.join(", ",
                    ScenarioLoader.BUILT_INS) + ") or a scenario JSON file.");
        }
        Scenario loaded;
        try {
            loaded = ScenarioLoader.load(name);
        } catch (CoordinatorException | AppException e) {
            throw AppException.usage(e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        String run = "run " + parentId;
        if (loaded.highestCpuNamed() >= parent.vcpus()) {
            problems.add("The scenario " + name + " places work on CPU " + loaded.highestCpuNamed() + ", but " + run
                    + "'s guest has " + parent.vcpus() + " vCPUs (0 to " + (parent.vcpus() - 1) + ") and a fork keeps"
                    + " its parent's machine; choose a scenario that fits, or start a new run with more --vcpus.");
        }
        List<CgroupSpec> before = parentCgroups(parent);
        if (!loaded.cgroups().isEmpty() && !loaded.cgroups().equals(before)) {
            problems.add("The scenario " + name + " declares cgroups (" + names(loaded.cgroups()) + ") that " + run
                    + "'s scenario did not create as they are (" + (before.isEmpty() ? "none" : names(before)) + "):"
                    + " a scenario's cgroups are made before its scheduler starts, and a fork's scheduler is already"
                    + " running. Choose a scenario with " + run + "'s cgroups or none.");
        }
        for (Scenario.Swap swap : loaded.swaps()) {
            if (!kitSchedulers.contains(swap.scheduler())) {
                problems.add("The scenario " + name + ", step " + swap.step() + ", swaps in " + swap.scheduler()
                        + ", which is not one of the guest kit's schedulers (" + String.join(", ", kitSchedulers)
                        + "): a fork's guest holds only the kit's files and what " + run + " shipped.");
            }
        }
        List<String> shipped = parent.includes().stream().map(RunConfig.IncludedFile::name).toList();
        for (String path : loaded.execPaths()) {
            if (!shipped.contains(path)) {
                problems.add("The scenario " + name + " runs '" + path + "' (an exec workload's \"path\"), but " + run
                        + " shipped no file of that name with --include (" + (shipped.isEmpty() ? "none"
                        : "shipped: " + String.join(", ", shipped)) + "), and a fork cannot ship more: its guest is"
                        + " the parent's.");
            }
        }
        if (!problems.isEmpty()) throw AppException.usage(String.join("\n", problems));
        List<RunConfig.SchedulerSwap> swaps = loaded.swaps().stream()
                .map(w -> new RunConfig.SchedulerSwap(w.step(), w.scheduler(), w.args())).toList();
        RunConfig config = new RunConfig(forkConfig.scheduler(), forkConfig.schedulerArgs(), name, forkConfig.vcpus(),
                forkConfig.memoryMib(), forkConfig.kernel(), forkConfig.snapshots(), forkConfig.watches(), false)
                .withSwapsAndIncludes(swaps, parent.includes());
        return new Checked(config, loaded);
    }

    /** The parent scenario's cgroups; none known when its file is gone (then a new scenario may declare none). */
    private static List<CgroupSpec> parentCgroups(RunConfig parent) {
        try {
            return ScenarioLoader.load(parent.scenario()).cgroups();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String names(List<CgroupSpec> cgroups) {
        return String.join(", ", cgroups.stream().map(CgroupSpec::name).toList());
    }
}
