package dev.freezeframe.coordinator.introspect.scx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.testing.SchedExtFixture;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel sched_ext walkers over a synthetic image with the kit kernel's real layouts. Skipped without a kit. */
class SchedExtKernelReaderTest {
    static Btf vmlinux;

    @BeforeAll
    static void loadVmlinux() throws Exception {
        vmlinux = dev.freezeframe.coordinator.introspect.testing.KitBtf.vmlinux();
    }

    static SchedExtKernel read(SchedExtFixture s) {
        KernelView k = Views.require(s.img, vmlinux);
        return SchedExtKernelReader.read(k, ScxStateReader.read(k));
    }

    @Test
    void runQueuesDsqsTasksAndCountersAreRead() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        SchedExtKernel k = read(s);

        assertNull(k.sched().unavailable());
        assertEquals("qmap", k.sched().opsName());
        assertEquals(250, k.sched().hz());
        assertEquals(SchedExtFixture.JIFFIES, k.sched().jiffies());
        assertEquals(SchedExtFixture.OPS_FLAGS, k.sched().opsFlags());
        assertEquals(List.of("SCX_OPS_ENQ_LAST", "SCX_OPS_ENQ_EXITING"), k.sched().opsFlagNames());
        assertEquals(SchedExtFixture.BYPASS_DEPTH, k.sched().bypassDepth());
        assertTrue(k.sched().aborting());

        assertTrue(k.cpus().complete(), k.cpus().toString());
        assertEquals(2, k.cpus().items().size());
        SchedExtKernel.Cpu cpu0 = k.cpus().items().get(0);
        assertEquals(new SchedExtKernel.TaskRef(101, "worker", SchedExtFixture.SCHED_EXT, "ext"), cpu0.current());
        assertEquals(SchedExtFixture.RQ_FLAGS, cpu0.scxFlags());
        assertFalse(cpu0.cpuReleased());
        assertTrue(k.cpus().items().get(1).cpuReleased());
        assertEquals(SchedExtFixture.RQ_FLAGS + 1, k.cpus().items().get(1).scxFlags());
        assertEquals(5_000_001L, k.cpus().items().get(1).clockNs());
        assertEquals(1, cpu0.localDsqDepth());
        assertEquals(2, cpu0.scxNrRunning());
        assertEquals(1, cpu0.runnable());
        assertEquals("swapper/1", k.cpus().items().get(1).current().comm());
        assertEquals("idle", k.cpus().items().get(1).current().schedClass());

        assertNull(k.dsqs().unavailable(), k.dsqs().unavailable());
        Map<String, SchedExtKernel.Dsq> dsqs = k.dsqs().items().stream()
                .collect(Collectors.toMap(d -> d.name() + d.cpu(), Function.identity()));
        assertEquals(Map.of("global", 0L, "local0", 1L, "local1", 0L, "user 7", 1L),
                dsqs.values().stream().collect(Collectors.toMap(d -> d.name() + (d.cpu() == null ? "" : d.cpu()),
                        SchedExtKernel.Dsq::nr)));
        assertEquals(List.of("queued"), dsqs.get("local0").queued().stream().map(SchedExtKernel.TaskRef::comm)
                .toList());
        assertEquals(List.of(103L), dsqs.get("user 7null").queued().stream().map(SchedExtKernel.TaskRef::pid)
                .toList());
        assertEquals("0x8000000000000001", dsqs.get("globalnull").id());

        assertTrue(k.tasks().complete(), k.tasks().toString());
        Map<Long, SchedExtKernel.Task> tasks = k.tasks().items().stream()
                .collect(Collectors.toMap(SchedExtKernel.Task::pid, Function.identity()));
        assertEquals(Set3.of(101L, 102L, 103L), tasks.keySet());
        assertTrue(tasks.get(101L).running());
        SchedExtKernel.Task stalled = tasks.get(103L);
        assertEquals(SchedExtFixture.STALLED_WAIT_MS, stalled.runnableForMs());
        assertEquals("user 7", stalled.dsq());
        assertEquals(1, stalled.cpu());
        assertEquals(20_000_000L, stalled.sliceNs());
        assertEquals(103_000L, stalled.dsqVtime());
        assertEquals(100, stalled.tgid());
        assertEquals("stalled", stalled.comm());
        assertEquals(SchedExtFixture.SCHED_EXT, stalled.policy());
        assertEquals(5, stalled.nice());
        assertEquals(100, stalled.weight());
        assertEquals(SchedExtFixture.STALLED_SCX_FLAGS, stalled.scxFlags());
        assertTrue(stalled.queued(), "SCX_TASK_QUEUED");
        assertFalse(stalled.running());
        assertEquals("local", tasks.get(102L).dsq());

        SchedExtKernel.Event keepLast = k.events().items().stream()
                .filter(e -> e.name().equals("SCX_EV_DISPATCH_KEEP_LAST")).findFirst().orElseThrow();
        assertEquals(12, keepLast.total());
        assertEquals(List.of(5L, 7L), keepLast.perCpu());
        assertEquals(1_000_000_000L, k.cpuTime().items().getFirst().ns().get("user"), k.cpuTime().toString());
    }

    @Test
    void brokenListsAndTablesAreReasonsNotHangs() {
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false));
        // cpu 1's runnable list loops on the stalled task without reaching its head
        KernelVirtAddr node = s.stalled.plus(s.img.off("struct task_struct", "scx.runnable_node"));
        s.img.w64(node, node.value());
        // the user DSQ's list points into unmapped vmalloc space
        s.img.w64(s.userDsq.plus(s.img.off("struct scx_dispatch_q", "list")), 0xffff_c900_dead_0000L);
        // the hash table claims a billion buckets
        s.img.w32(s.bucketTable.plus(s.img.off("struct bucket_table", "size")), 1 << 30);
        SchedExtKernel k = read(s);
        assertNotNull(k.tasks().unavailable());
        assertTrue(k.tasks().unavailable().contains("loops"), k.tasks().unavailable());
        assertTrue(k.dsqs().unavailable().contains("buckets"), k.dsqs().unavailable());
        assertEquals(2, k.cpus().items().size()); // the other parts are still there
        assertFalse(k.events().items().isEmpty());

        s.img.w64(KernelVirtAddr.of(s.img.symbols().get("scx_root")), 0);
        SchedExtKernel none = read(s);
        assertTrue(none.sched().unavailable().contains("no BPF scheduler"), none.sched().unavailable());
        assertTrue(none.events().unavailable().contains("no BPF scheduler"));
        assertEquals(2, none.cpus().items().size());
    }

    /** Set.of for readability in assertions. */
    private static final class Set3 {
        static java.util.Set<Long> of(Long... v) {
            return java.util.Set.of(v);
        }
    }
}
