package dev.freezeframe.coordinator.introspect.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.testing.KitBtf;
import dev.freezeframe.coordinator.introspect.testing.SchedExtFixture;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** struct_ops programs' run counts over a synthetic image with the kit kernel's real layouts. Skipped without a kit. */
class BpfProgStatsReaderTest {
    static Btf vmlinux;

    @BeforeAll
    static void loadVmlinux() throws Exception {
        vmlinux = KitBtf.vmlinux();
    }

    private static Walk<BpfProgStatsReader.ProgStats> read(SchedExtFixture s) {
        return BpfProgStatsReader.read(Views.require(s.img, vmlinux));
    }

    @Test
    void structOpsProgramsAreListedWithTheirCallbackRunsAndTimePerRun() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        Walk<BpfProgStatsReader.ProgStats> stats = read(s);
        assertTrue(stats.complete(), String.valueOf(stats.unavailable()));
        assertEquals(List.of("enqueue", "dispatch"), stats.items().stream().map(BpfProgStatsReader.ProgStats::callback)
                .toList(), "the tracing program is not a struct_ops callback");
        BpfProgStatsReader.ProgStats enqueue = stats.items().getFirst();
        assertEquals(20, enqueue.id());
        assertEquals("qmap_enqueue", enqueue.name());
        assertEquals("sched_ext_ops", enqueue.structOps());
        assertEquals(SchedExtFixture.ENQUEUE_RUNS_CPU0 + SchedExtFixture.ENQUEUE_RUNS_CPU1, enqueue.runs());
        assertEquals(List.of(SchedExtFixture.ENQUEUE_RUNS_CPU0, SchedExtFixture.ENQUEUE_RUNS_CPU1),
                enqueue.runsPerCpu());
        assertEquals(SchedExtFixture.ENQUEUE_NS, enqueue.nsPerRun());
        BpfProgStatsReader.ProgStats dispatch = stats.items().get(1);
        assertEquals(0, dispatch.runs());
        assertNull(dispatch.nsPerRun(), "no time per run before the first run");
    }

    @Test
    void statsSwitchedOffIsTheReasonAndTheProgramsAreStillListed() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        s.img.w32(s.statsEnabledKey.plus(s.img.off("struct static_key_false", "key.enabled")), 0);
        Walk<BpfProgStatsReader.ProgStats> stats = read(s);
        assertTrue(stats.unavailable().contains("kernel.bpf_stats_enabled is off"), stats.unavailable());
        assertEquals(2, stats.items().size());
    }

    @Test
    void aBrokenProgramIsAReasonAndTheOthersAreStillRead() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        // the enqueue program's aux points into unmapped vmalloc space
        s.img.w64(s.enqueueProg.plus(s.img.off("struct bpf_prog", "aux")), 0xffff_c900_dead_0000L);
        Walk<BpfProgStatsReader.ProgStats> stats = read(s);
        assertTrue(stats.unavailable().startsWith("program 20: aux->name"), stats.unavailable());
        assertEquals(List.of("dispatch"), stats.items().stream().map(BpfProgStatsReader.ProgStats::callback).toList());

        s.img.w64(KernelVirtAddr.of(s.img.symbols().get("prog_idr")), -1L); // idr_rt's head: junk
        Walk<BpfProgStatsReader.ProgStats> junk = read(s);
        assertTrue(junk.unavailable() != null && !junk.unavailable().isBlank(), String.valueOf(junk));
    }
}
