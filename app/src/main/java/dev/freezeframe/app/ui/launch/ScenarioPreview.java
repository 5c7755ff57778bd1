package dev.freezeframe.app.ui.launch;

import dev.freezeframe.coordinator.scenario.Scenario;
import dev.freezeframe.coordinator.scenario.Step;
import dev.freezeframe.coordinator.scenario.StepAction;
import dev.freezeframe.coordinator.scenario.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a scenario will do, for the launch form's preview: its steps in order with their workload and duration.
 *
 * @param name        the scenario's name
 * @param description one sentence, possibly empty
 * @param steps       in order
 * @param totalMs     the workload's total duration (boot and scheduler start come on top)
 */
public record ScenarioPreview(String name, String description, List<StepRow> steps, long totalMs) {
    public ScenarioPreview {
        steps = List.copyOf(steps);
    }

    /**
     * One step.
     *
     * @param name       the step's name
     * @param workload   what runs, e.g. {@code pingpong · 2 pairs}
     * @param durationMs how long
     * @param actions    done at its start, e.g. {@code capture mid}; empty if none
     */
    public record StepRow(String name, String workload, long durationMs, String actions) {
    }

    public static ScenarioPreview of(Scenario scenario) {
        List<StepRow> rows = new ArrayList<>();
        for (Step step : scenario.steps()) {
            List<String> actions = new ArrayList<>();
            for (StepAction a : step.actions()) actions.add(action(a));
            String workloads = String.join(" + ", step.allWorkloads().stream().map(ScenarioPreview::workload).toList());
            rows.add(new StepRow(step.name(), workloads, step.durationMs(), String.join(", ", actions)));
        }
        return new ScenarioPreview(scenario.name(), scenario.description(), rows, scenario.totalDurationMs());
    }

    /** {@code cpu-pingpong · 3 steps · 12.0 s} */
    public String headline() {
        return name + " · " + steps.size() + (steps.size() == 1 ? " step" : " steps") + " · " + duration(totalMs);
    }

    private static String action(StepAction a) {
        String at = a.atMsOrZero() > 0 ? " at " + duration(a.atMsOrZero()) : "";
        if (a.capture() != null) return "capture " + a.capture();
        if (a.fault() != null) return "fault " + a.fault();
        if (a.move() != null) return "move " + a.move() + " to " + a.to() + at;
        return "set " + a.cgroup() + at;
    }

    static String workload(Workload w) {
        List<String> counts = new ArrayList<>();
        if (w.workers() > 0) counts.add(count(w.workers(), "worker"));
        if (w.pairs() > 0) counts.add(count(w.pairs(), "pair"));
        if (w.forkers() > 0) counts.add(count(w.forkers(), "forker"));
        if (w.probes() > 0) counts.add(count(w.probes(), "probe"));
        String kind = w.kind() == null ? "idle" : w.kind().planName();
        String where = w.cgroup() == null ? "" : " in " + w.cgroup();
        return (counts.isEmpty() ? kind : kind + " · " + String.join(", ", counts)) + where;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** {@code 800 ms}, {@code 1.5 s}, {@code 2 min 5 s}. */
    public static String duration(long ms) {
        if (ms < 1000) return ms + " ms";
        if (ms < 60_000) {
            return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = Math.round(ms / 1000.0);
        return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
    }
}
