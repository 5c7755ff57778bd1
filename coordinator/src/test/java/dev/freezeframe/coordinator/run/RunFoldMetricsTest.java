package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.metrics.MetricName;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.Verdict;
import dev.freezeframe.coordinator.scenario.Expectation;
import dev.freezeframe.coordinator.wire.ControlSignal;
import dev.freezeframe.coordinator.wire.LifecyclePhase;
import dev.freezeframe.coordinator.wire.VerdictEntry;
import dev.freezeframe.coordinator.wire.WireMessage;
import dev.freezeframe.coordinator.wire.WorkerRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workload metrics through the fold: stats-lane series, the outcome's list, and expectations deciding the verdict. */
class RunFoldMetricsTest {
    private final List<EventDraft> events = new ArrayList<>();
    private long frameSeq;

    private RunFold healthyRunMeasuring(List<Expectation> expect, long p99Ns) {
        RunFold fold = new RunFold(new RunFold.Limits(Duration.ofSeconds(30), Duration.ofSeconds(10)), expect);
        feed(fold, new RunInput.GuestControl(new ControlSignal.SysReady(frameSeq++)));
        phase(fold, LifecyclePhase.SCHEDULER_STARTING);
        phase(fold, LifecyclePhase.SCHEDULER_ENABLED);
        phase(fold, LifecyclePhase.SCENARIO_STARTED);
        report(fold, new WireMessage.StepStarted(1, "probe"));
        WireMessage.WorkloadMetrics measured = new WireMessage.WorkloadMetrics(1, 2_000_000_000L, List.of(
                new WireMessage.WorkerSample(WorkerRole.LATENCY, 0, 2000, 10_000_000, 4_000_000, 2000, 2000, 0, 3, 0)),
                List.of(new WireMessage.LatencySummary(0, 2000, 40_000, 80_000, p99Ns, p99Ns + 1)));
        report(fold, measured);
        report(fold, measured); // a replayed frame is counted once
        phase(fold, LifecyclePhase.SCENARIO_FINISHED);
        report(fold, new WireMessage.SchedulerExit(0, 64, "unregistered from user space"));
        report(fold, new WireMessage.Exit(0, ""));
        feed(fold, new RunInput.VmEnded(new VmEnd("guest poweroff")));
        return fold;
    }

    private void feed(RunFold fold, RunInput input) {
        events.addAll(fold.apply(input, 0).events());
    }

    private void report(RunFold fold, WireMessage.Report report) {
        feed(fold, new RunInput.GuestReport(new VerdictEntry(frameSeq++, report)));
    }

    private void phase(RunFold fold, LifecyclePhase phase) {
        report(fold, new WireMessage.Lifecycle(phase, ""));
    }

    @Test
    void metricsBecomeStatsSeriesNamedByGroupAndMetricWithAPointPerStepAndAreKeptForTheOutcome() {
        RunFold fold = healthyRunMeasuring(List.of(), 150_000);
        assertEquals(Verdict.PASSED, fold.status(0).decision().orElseThrow().verdict());
        List<EventDraft> stats = events.stream().filter(e -> e.lane() == Lane.STATS).toList();
        assertEquals(fold.metrics().size(), stats.size());
        WorkloadMetric p99 = fold.metrics().stream().filter(m -> m.metric() == MetricName.WAKE_P99).findFirst()
                .orElseThrow();
        assertEquals("probe/latency/wake_p99_us", p99.key());
        assertEquals(150.0, p99.value());
        assertTrue(stats.stream().anyMatch(e -> e.kind().equals("workload:latency/wake_p99_us")
                && e.text().equals("probe") && e.value() == 150.0));
        assertEquals(1000.0, fold.metrics().stream().filter(m -> m.metric() == MetricName.RATE).findFirst()
                .orElseThrow().value(), 1e-9);
    }

    @Test
    void aMissedExpectationFailsTheRunNamingTheMetricAndItsValue() {
        Expectation expect = new Expectation("wake_p99_us", "probe", null, 100.0, null);
        RunFold fold = healthyRunMeasuring(List.of(expect), 150_000);
        VerdictDecision decision = fold.status(0).decision().orElseThrow();
        assertEquals(Verdict.FAILED_EXPECTATION, decision.verdict());
        assertEquals("step probe, latency wake_p99_us = 150, expected wake_p99_us below 100 (step probe)",
                decision.reason());
    }

    @Test
    void aMetExpectationPasses() {
        RunFold fold = healthyRunMeasuring(List.of(new Expectation("wake_p99_us", null, "latency", 200.0, null)),
                150_000);
        assertEquals(Verdict.PASSED, fold.status(0).decision().orElseThrow().verdict());
    }

    @Test
    void anExpectationOnSomethingNeverMeasuredFailsRatherThanPassingSilently() {
        RunFold fold = healthyRunMeasuring(List.of(new Expectation("spread_pct", null, null, 10.0, null)), 150_000);
        VerdictDecision decision = fold.status(0).decision().orElseThrow();
        assertEquals(Verdict.FAILED_EXPECTATION, decision.verdict());
        assertEquals("spread_pct below 10: the run did not measure it", decision.reason());
    }
}
