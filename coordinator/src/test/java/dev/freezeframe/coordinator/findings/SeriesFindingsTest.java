package dev.freezeframe.coordinator.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The rules over the live monitor's series and the watch events: what fires, and what a healthy run does not trip. */
class SeriesFindingsTest {
    /** {@code n} points 100 ms apart (the monitor's default rate) from 1 s on. */
    private static SeriesFindings.Series series(String name, int n, IntToDoubleFunction value) {
        long[] at = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            at[i] = 1000 + 100L * i;
            v[i] = value.applyAsDouble(i);
        }
        return new SeriesFindings.Series(name, at, v);
    }

    private static List<String> rules(List<Finding> findings) {
        return findings.stream().map(Finding::rule).toList();
    }

    @Test
    void aDsqThatOnlyGrowsIsFoundAndANoisyFlatOneIsNot() {
        Random rnd = new Random(13);
        List<Finding> f = SeriesFindings.of(List.of(
                series("dsq/user 0", 100, i -> i / 5.0 + rnd.nextInt(3)),
                series("cpu1/local_dsq", 100, i -> 3 + rnd.nextInt(4)),
                series("dsq/global", 100, i -> 10 - i / 20.0)), List.of());
        assertEquals(List.of("dsq_growing"), rules(f));
        Finding grow = f.getFirst();
        assertEquals(Finding.Severity.WARNING, grow.severity());
        assertTrue(grow.title().startsWith("DSQ user 0 only grows: "), grow.title());
        assertEquals(1000 + 9900, grow.atMs(), "linked to the last point");
    }

    @Test
    void aWaitThatNeverComesBackToZeroIsFoundAndOrdinaryWaitsAreNot() {
        List<Finding> f = SeriesFindings.of(List.of(
                // healthy: tasks wait up to 40 ms and get the CPU (0 = nothing waiting)
                series("cpu0/oldest_runnable_ms", 100, i -> i % 5 == 0 ? 0 : 10 * (i % 5)),
                // stuck: from point 58 on (6.8 s) one task waits and waits
                series("cpu1/oldest_runnable_ms", 100, i -> i < 60 ? (i % 3 == 0 ? 0 : 5) : 100 * (i - 59))),
                List.of());
        assertEquals(List.of("wait_never_ends"), rules(f));
        assertTrue(f.getFirst().title().startsWith("cpu 1: the oldest runnable task waited 4000 ms at the end"),
                f.getFirst().title());
        assertTrue(f.getFirst().title().contains("after 6.8 s"), f.getFirst().title());
    }

    @Test
    void cpusFarApartOverTheRunAreAnImbalanceCloseOnesAreNot() {
        List<Finding> apart = SeriesFindings.of(List.of(series("cpu0/nr_running", 50, i -> 12),
                series("cpu1/nr_running", 50, i -> i % 2)), List.of());
        assertEquals(List.of("cpu_imbalance"), rules(apart));
        assertEquals(Finding.Severity.INFO, apart.getFirst().severity());
        assertTrue(apart.getFirst().title().startsWith("cpu 0 ran 12.0 sched_ext tasks on average, cpu 1 0.5"),
                apart.getFirst().title());
        assertEquals(List.of(), SeriesFindings.of(List.of(series("cpu0/nr_running", 50, i -> 30),
                series("cpu1/nr_running", 50, i -> 33)), List.of()));
    }

    @Test
    void tooShortASeriesSaysNothing() {
        assertEquals(List.of(), SeriesFindings.of(List.of(series("dsq/user 0", 10, i -> 10 * i),
                series("cpu0/oldest_runnable_ms", 10, i -> 1000 * i)), List.of()));
    }

    @Test
    void anAutoDisarmedHotWatchIsAWarningAtItsTime() {
        List<Finding> f = SeriesFindings.of(List.of(), List.of(new SeriesFindings.Note("hit", "hit 1", 10),
                new SeriesFindings.Note("auto_disarmed", "scx_root was hit 500 times in 1 s; disarmed", 2500)));
        assertEquals(List.of("watch_auto_disarmed"), rules(f));
        assertEquals(2500, f.getFirst().atMs());
        assertTrue(f.getFirst().title().contains("scx_root was hit 500 times"), f.getFirst().title());
    }

    @Test
    void theSeriesFindingsJoinTheSnapshotsInTheHeadlineOrder() {
        Finding critical = new Finding(Finding.Severity.CRITICAL, "scheduler_exit", "boom", null, "error", 9000);
        List<Finding> f = Findings.of(List.of(), List.of(new Finding(Finding.Severity.INFO, "cpu_imbalance", "x",
                null, null, -1), critical, new Finding(Finding.Severity.WARNING, "dsq_growing", "y", null, null, 5)));
        assertEquals(List.of("scheduler_exit", "dsq_growing", "cpu_imbalance"), rules(f));
        assertEquals("boom", Findings.headline(f).orElseThrow());
    }
}
