package dev.freezeframe.app.ui.launch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.freezeframe.app.run.RunOptions;
import java.util.List;

/**
 * The launch form's last choices, kept in the settings file so the next New run starts from them. Stored as typed:
 * a value that no longer checks (a file since deleted) shows its problem when the form opens.
 *
 * @param customKernel   boot {@code kernelPath} instead of the guest kit's kernel
 * @param kernelPath     the last custom bzImage ("" if none)
 * @param scheduler      a kit scheduler's name or a binary's path
 * @param schedulerArgs  as typed
 * @param scenario       a built-in's name or a scenario file
 * @param vcpus          guest vCPUs
 * @param memory         as typed ({@code 1G})
 * @param snapshots      periodic snapshots
 * @param watches        watch specs
 * @param freezeOnEnable freeze as soon as the scheduler is enabled
 * @param includes       files shipped into the guest, {@code PATH[:NAME]} as {@code --include} takes them
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LaunchChoices(boolean customKernel, String kernelPath, String scheduler, String schedulerArgs,
                            String scenario, int vcpus, String memory, int snapshots, List<String> watches,
                            boolean freezeOnEnable, List<String> includes) {
    public static final String DEFAULT_SCHEDULER = "scx_simple";
    public static final LaunchChoices DEFAULTS = new LaunchChoices(false, "", DEFAULT_SCHEDULER, "",
            RunOptions.DEFAULT_SCENARIO, RunOptions.DEFAULT_VCPUS, RunOptions.DEFAULT_MEMORY, 0, List.of(), false,
            List.of());

    public LaunchChoices(boolean customKernel, String kernelPath, String scheduler, String schedulerArgs,
                         String scenario, int vcpus, String memory, int snapshots, List<String> watches,
                         boolean freezeOnEnable) {
        this(customKernel, kernelPath, scheduler, schedulerArgs, scenario, vcpus, memory, snapshots, watches,
                freezeOnEnable, List.of());
    }

    /** Fields missing from an older or hand-edited file take their defaults. */
    public LaunchChoices {
        kernelPath = kernelPath == null ? "" : kernelPath;
        scheduler = scheduler == null ? DEFAULT_SCHEDULER : scheduler;
        schedulerArgs = schedulerArgs == null ? "" : schedulerArgs;
        scenario = scenario == null || scenario.isBlank() ? RunOptions.DEFAULT_SCENARIO : scenario;
        vcpus = vcpus == 0 ? RunOptions.DEFAULT_VCPUS : vcpus;
        memory = memory == null || memory.isBlank() ? RunOptions.DEFAULT_MEMORY : memory;
        watches = watches == null ? List.of() : List.copyOf(watches);
        includes = includes == null ? List.of() : List.copyOf(includes);
    }
}
