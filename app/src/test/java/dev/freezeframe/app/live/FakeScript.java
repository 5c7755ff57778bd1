package dev.freezeframe.app.live;

import dev.freezeframe.coordinator.model.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FakeLiveRun}'s guest does, on its own clock (milliseconds from the run's start).
 *
 * @param sysReadyMs       SYS_RDY
 * @param enabledMs        the scheduler is enabled (watch slots come up; a freeze on enable happens here)
 * @param steps            the scenario's steps, run one after the other from {@code enabledMs + 100}
 * @param periodicEveryMs  a periodic snapshot this often during the steps (0: none)
 * @param consoleEveryMs   a console line this often (every fourth also a scheduler stderr line); 0: none
 * @param statsEveryMs     a point of the stats series {@code nr_enqueued} and {@code nr_dispatched}; 0: none
 * @param extraLinesPerSec extra console lines per second during the steps (load tests); 0: none
 * @param hits             scripted watch hits
 * @param failAtMs         the scheduler errors out at this time (verdict scheduler_failed), or -1
 * @param verdict          the verdict when the scenario completes
 * @param reason           its reason
 */
public record FakeScript(long sysReadyMs, long enabledMs, List<Step> steps, long periodicEveryMs,
                         long consoleEveryMs, long statsEveryMs, long extraLinesPerSec, List<Hit> hits, long failAtMs,
                         Verdict verdict, String reason) {
    public FakeScript {
        steps = List.copyOf(steps);
        hits = List.copyOf(hits);
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        if (!(sysReadyMs < enabledMs)) throw new IllegalArgumentException("SYS_RDY must come before the enable");
    }

    /** One step: its name and how long its workload runs. */
    public record Step(String name, long durationMs) {
    }

    /** A write to {@code symbol} at {@code atMs}; it hits if a slot watches the symbol then. */
    public record Hit(long atMs, String symbol) {
    }

    /** SYS_RDY at 0.8 s, enabled at 1.2 s, steps cpu 2 s and pingpong 2 s, snapshots every 500 ms, passes. */
    public static FakeScript standard() {
        return new FakeScript(800, 1200, List.of(new Step("cpu", 2000), new Step("pingpong", 2000)), 500, 100, 250,
                0, List.of(), -1, Verdict.PASSED, "the scenario completed and the scheduler stayed healthy");
    }

    public long scenarioStartMs() {
        return enabledMs + 100;
    }

    public long scenarioEndMs() {
        return scenarioStartMs() + steps.stream().mapToLong(Step::durationMs).sum();
    }

    public FakeScript withSteps(List<Step> value) {
        return new FakeScript(sysReadyMs, enabledMs, value, periodicEveryMs, consoleEveryMs, statsEveryMs,
                extraLinesPerSec, hits, failAtMs, verdict, reason);
    }

    public FakeScript withHits(List<Hit> value) {
        return new FakeScript(sysReadyMs, enabledMs, steps, periodicEveryMs, consoleEveryMs, statsEveryMs,
                extraLinesPerSec, value, failAtMs, verdict, reason);
    }

    /** {@code count} writes to {@code symbol}, {@code spacingMs} apart from {@code fromMs}. */
    public FakeScript withHits(String symbol, long fromMs, int count, long spacingMs) {
        List<Hit> all = new ArrayList<>(hits);
        for (int i = 0; i < count; i++) all.add(new Hit(fromMs + i * spacingMs, symbol));
        return withHits(all);
    }

    public FakeScript withExtraLinesPerSec(long value) {
        return new FakeScript(sysReadyMs, enabledMs, steps, periodicEveryMs, consoleEveryMs, statsEveryMs, value,
                hits, failAtMs, verdict, reason);
    }

    public FakeScript withPeriodicEveryMs(long value) {
        return new FakeScript(sysReadyMs, enabledMs, steps, value, consoleEveryMs, statsEveryMs, extraLinesPerSec,
                hits, failAtMs, verdict, reason);
    }

    /** The scheduler errors out at {@code atMs}: slot 0 fires, an {@code error} snapshot, verdict scheduler_failed. */
    public FakeScript failingAt(long atMs, String why) {
        return new FakeScript(sysReadyMs, enabledMs, steps, periodicEveryMs, consoleEveryMs, statsEveryMs,
                extraLinesPerSec, hits, atMs, Verdict.SCHEDULER_FAILED, why);
    }
}
