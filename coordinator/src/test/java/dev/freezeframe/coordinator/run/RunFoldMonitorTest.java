package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.monitor.MonitorSample;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A live-monitor sample through the fold: one stats-lane point per series, none once the verdict is in. */
class RunFoldMonitorTest {
    @Test
    void eachValueIsAPointOnTheStatsLaneUntilTheVerdict() {
        RunFold fold = new RunFold(new RunFold.Limits(Duration.ofSeconds(30), Duration.ofSeconds(10)), List.of());
        RunInput sample = new RunInput.MonitorSamples(List.of(new MonitorSample("cpu0/nr_running", 3),
                new MonitorSample("field/arena:qa.nr_enqueued", 4711)));
        List<EventDraft> events = fold.apply(sample, 5).events();
        assertEquals(2, events.size());
        assertEquals(Lane.STATS, events.get(0).lane());
        assertEquals("monitor:cpu0/nr_running", events.get(0).kind());
        assertEquals(3.0, events.get(0).value());
        assertEquals("monitor:field/arena:qa.nr_enqueued", events.get(1).kind());
        assertEquals(4711.0, events.get(1).value());
        assertEquals(EventDraft.NOW, events.get(1).atNs(), "stamped when the loop takes it");

        fold.apply(new RunInput.Cancel("stopped"), 6);
        assertTrue(fold.apply(sample, 7).events().isEmpty(), "after the verdict the monitor is not recorded");
    }
}
