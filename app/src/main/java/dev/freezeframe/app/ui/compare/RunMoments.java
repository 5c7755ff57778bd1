package dev.freezeframe.app.ui.compare;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchivedRun;
import dev.freezeframe.persistence.RunDetail;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One compared run with the moments its timeline can be aligned on: when the scheduler was enabled, when each
 * scenario step began, and the run's start — run times in nanoseconds, by the name the alignment selector shows.
 *
 * @param runId  the run
 * @param side   "A" or "B"
 * @param title  how the timeline is labelled
 * @param endNs  the run's last event
 * @param moments name → run time, in the order the selector lists them
 */
public record RunMoments(long runId, String side, String title, long endNs, Map<String, Long> moments) {
    /** The default alignment: the scheduler reaching {@code enabled}. */
    public static final String SCHEDULER_ENABLED = "scheduler enabled";
    public static final String RUN_START = "run start";
    private static final String STEP_PREFIX = "step ";
    /** Lifecycle and step events read per run: a run has a handful; a cap keeps a corrupt one from flooding. */
    private static final int MAX_EVENTS = 10_000;

    public RunMoments {
        moments = Collections.unmodifiableMap(new LinkedHashMap<>(moments));
    }

    /** The moment named {@code name} in this run, if it has one. */
    public Optional<Long> at(String name) {
        return Optional.ofNullable(moments.get(name));
    }

    static RunMoments read(Archive archive, long runId, String side) {
        Map<String, Long> found = new LinkedHashMap<>();
        archive.runs().events(runId, Lane.LIFECYCLE, 0, Long.MAX_VALUE, MAX_EVENTS).stream()
                .filter(e -> e.kind().equals("scheduler_enabled")).findFirst()
                .ifPresent(e -> found.put(SCHEDULER_ENABLED, e.atNanos()));
        for (RunEvent step : archive.runs().events(runId, Lane.STEPS, 0, Long.MAX_VALUE, MAX_EVENTS)) {
            if (step.kind().equals("step")) found.putIfAbsent(STEP_PREFIX + step.text(), step.atNanos());
        }
        found.put(RUN_START, 0L);
        Optional<RunDetail> detail = archive.runs().detail(runId);
        Optional<ArchivedRun> run = detail.map(RunDetail::run);
        long end = detail.flatMap(RunDetail::lastEventNs).orElse(1L);
        String title = side + "  #" + runId + run.map(r -> " " + (r.scheduler() + " " + r.schedulerArgs()).strip()
                + " · " + r.scenario()).orElse("");
        return new RunMoments(runId, side, title, Math.max(1, end), found);
    }

    /** The moment names every run has, in the first run's order (what the selector offers). */
    static List<String> common(List<RunMoments> runs) {
        if (runs.isEmpty()) return List.of();
        return runs.getFirst().moments().keySet().stream()
                .filter(name -> runs.stream().allMatch(r -> r.moments().containsKey(name))).toList();
    }
}
