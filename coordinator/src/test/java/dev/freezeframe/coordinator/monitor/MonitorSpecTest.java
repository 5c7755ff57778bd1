package dev.freezeframe.coordinator.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MonitorSpecTest {
    @Test
    void mapKeyAndFieldPath() {
        assertEquals(new MonitorSpec("arena", 0, "qa.nr_enqueued"), MonitorSpec.parse("arena:qa.nr_enqueued"));
        assertEquals(new MonitorSpec("scx_qmap.bss", 0, "nr_enqueued"), MonitorSpec.parse(" scx_qmap.bss:nr_enqueued "));
        MonitorSpec keyed = MonitorSpec.parse("cpu_ctx[3]:stats[1].calls");
        assertEquals(new MonitorSpec("cpu_ctx", 3, "stats[1].calls"), keyed);
        assertEquals("field/cpu_ctx[3]:stats[1].calls", keyed.seriesName());
        assertEquals("field/arena:qa.nr_enqueued", MonitorSpec.parse("arena[0]:qa.nr_enqueued").seriesName());
    }

    @Test
    void mistakesAreSentences() {
        for (String bad : new String[] {"", "arena", "arena:", ":x", "arena[x]:y", "arena[1]", "a:b..c", "a:b.",
                "a:1x", "a b:c"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MonitorSpec.parse(bad),
                    bad);
            assertTrue(e.getMessage().startsWith("--monitor '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void unitsFollowTheNames() {
        assertEquals("ms", MonitorSeries.unitOf("cpu0/oldest_runnable_ms"));
        assertEquals("tasks", MonitorSeries.unitOf("cpu1/nr_running"));
        assertEquals("events", MonitorSeries.unitOf("events/SCX_EV_SELECT_CPU_FALLBACK"));
        assertEquals("value", MonitorSeries.unitOf("field/arena:qa.nr_enqueued"));
        assertEquals("cpu0/nr_running", MonitorSeries.nameOf("monitor:cpu0/nr_running").orElseThrow());
        assertTrue(MonitorSeries.nameOf("workload:cpu/rate").isEmpty());
    }
}
