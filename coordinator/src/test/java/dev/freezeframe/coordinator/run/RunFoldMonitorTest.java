package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.monitor.MonitorPoints;
import dev.freezeframe.coordinator.monitor.MonitorSeries;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Live-monitor points through the fold: one stats-lane event per point at the time it was read (a batch carries a
 * second of samples), and after the verdict only the points read before it.
 */
class RunFoldMonitorTest {
    private static RunInput batch(long... atNs) {
        MonitorPoints.Builder b = new MonitorPoints.Builder();
        for (long at : atNs) {
            b.add(at, MonitorSeries.kindOf("cpu0/nr_running"), 3);
            b.add(at, MonitorSeries.kindOf("field/arena:qa.nr_enqueued"), at / 10);
        }
        return new RunInput.MonitorSamples(b.build());
    }

    @Test
    void eachPointIsAnEventOnTheStatsLaneAtTheTimeItWasRead() {
        RunFold fold = new RunFold(new RunFold.Limits(Duration.ofSeconds(30), Duration.ofSeconds(10)), List.of());
        List<EventDraft> events = fold.apply(batch(100, 200), 500).events();
        assertEquals(4, events.size());
        assertEquals(Lane.STATS, events.get(0).lane());
        assertEquals("monitor:cpu0/nr_running", events.get(0).kind());
        assertEquals(3.0, events.get(0).value());
        assertEquals(100, events.get(0).atNs(), "stamped when read, not when the loop takes the batch");
        assertEquals("monitor:field/arena:qa.nr_enqueued", events.get(3).kind());
        assertEquals(20.0, events.get(3).value());
        assertEquals(200, events.get(3).atNs());
    }

    @Test
    void afterTheVerdictOnlyPointsReadBeforeItAreRecorded() {
        RunFold fold = new RunFold(new RunFold.Limits(Duration.ofSeconds(30), Duration.ofSeconds(10)), List.of());
        fold.apply(new RunInput.Cancel("stopped"), 1_000);
        List<EventDraft> events = fold.apply(batch(900, 1_000, 1_100), 1_500).events();
        assertEquals(List.of(900L, 900L, 1_000L, 1_000L), events.stream().map(EventDraft::atNs).toList());
        assertTrue(fold.apply(batch(2_000), 2_500).events().isEmpty(), "read after the verdict: not recorded");
    }
}
