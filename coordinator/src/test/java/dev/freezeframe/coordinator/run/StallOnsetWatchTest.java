package dev.freezeframe.coordinator.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel;
import java.util.List;
import org.junit.jupiter.api.Test;

class StallOnsetWatchTest {
    /** HZ 250, watchdog 5 s (1250 jiffies): the onset threshold is 2.5 s. */
    static SchedExtKernel state(long jiffies, long clock, int runnable, SchedExtKernel.Task... tasks) {
        var sched = new SchedExtKernel.Sched("qmap", 0, List.of(), 0, false, 1250, 250, jiffies, null, null);
        var cpu = new SchedExtKernel.Cpu(0, 1, 1, 0, false, clock, clock, null, 0, runnable, null);
        return new SchedExtKernel(sched, new Walk<>(List.of(cpu), false, null), new Walk<>(List.of(), false, null),
                new Walk<>(List.of(tasks), false, null), new Walk<>(List.of(), false, null),
                new Walk<>(List.of(), false, null));
    }

    static SchedExtKernel.Task task(long pid, long waitedMs, boolean running) {
        return new SchedExtKernel.Task(pid, pid, "t" + pid, 0, 0, 100, 1, true, 0, 0, null, waitedMs, 0, running,
                "ext");
    }

    @Test
    void aTaskWaitingOverHalfTheWatchdogIsTheOnset() {
        StallOnsetWatch w = new StallOnsetWatch(null, null, null);
        assertTrue(w.onset(state(1000, 1, 0, task(5, 2400, false), task(6, 9000, true))).isEmpty(),
                "the running task and a 2.4 s wait are no onset");
        var onset = w.onset(state(1000, 1, 0, task(7, 2600, false))).orElseThrow();
        assertEquals(7, onset.path("pid").asLong());
        assertEquals(5000, onset.path("watchdog_timeout_ms").asLong());
        assertTrue(w.onset(state(1000, 1, 0, task(8, 10_000_000, false))).isEmpty(), "a torn age is ignored");
    }

    @Test
    void aRunQueueClockThatStopsWithRunnableTasksIsTheOnset() {
        StallOnsetWatch w = new StallOnsetWatch(null, null, null);
        assertTrue(w.onset(state(1000, 42, 1)).isEmpty());
        assertTrue(w.onset(state(1500, 42, 1)).isEmpty()); // 2 s stuck
        assertTrue(w.onset(state(1700, 43, 1)).isEmpty()); // it moved: the count starts again
        assertTrue(w.onset(state(2300, 43, 0)).isEmpty()); // stuck but nothing runnable: the count starts again
        assertTrue(w.onset(state(2400, 43, 1)).isEmpty());
        assertEquals(3200, w.onset(state(3100, 43, 1)).orElseThrow().path("clock_stuck_ms").asLong());
    }
}
