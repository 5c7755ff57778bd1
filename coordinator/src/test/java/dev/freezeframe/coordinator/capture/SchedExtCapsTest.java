package dev.freezeframe.coordinator.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.introspect.btf.Btf;
import dev.freezeframe.coordinator.introspect.kernel.KernelView;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernelReader;
import dev.freezeframe.coordinator.introspect.scx.ScxStateReader;
import dev.freezeframe.coordinator.introspect.testing.KitBtf;
import dev.freezeframe.coordinator.introspect.testing.SchedExtFixture;
import dev.freezeframe.coordinator.introspect.testing.SchedulerFixture;
import dev.freezeframe.coordinator.introspect.testing.Views;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caps on what a snapshot lists — {@value SchedExtKernelReader#MAX_TASKS_LISTED} runnable tasks, {@value
 * SchedExtKernelReader#MAX_QUEUED_LISTED} queued tasks per DSQ — and their truncation marker, from the walkers over a
 * synthetic image with the kit kernel's real layouts (a run queue or a DSQ with hundreds of tasks) to the report
 * section a viewer reads. At the cap exactly nothing is marked; one task more is cut and marked, and the cut is not a
 * failure (no {@code unavailable}). Skipped without a kit.
 */
class SchedExtCapsTest {
    /** Room for the fixture's own objects and ~600 more task_structs (about 13 KiB each on 7.3). */
    private static final int RAM = 32 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    static Btf vmlinux;

    @BeforeAll
    static void loadVmlinux() throws Exception {
        vmlinux = KitBtf.vmlinux();
    }

    private static SchedExtKernel read(SchedExtFixture s) {
        KernelView k = Views.require(s.img, vmlinux);
        return SchedExtKernelReader.read(k, ScxStateReader.read(k));
    }

    /** The report sections as a snapshot stores them. */
    private static JsonNode report(SchedExtKernel k) {
        ObjectNode report = JSON.createObjectNode();
        ObjectNode unavailable = JSON.createObjectNode();
        SchedExtKernelJson.put(report, unavailable, k);
        report.set("unavailable", unavailable);
        return report;
    }

    private static List<Long> pids(SchedExtKernel k) {
        return k.tasks().items().stream().map(SchedExtKernel.Task::pid).toList();
    }

    private static KernelVirtAddr[] concat(KernelVirtAddr first, KernelVirtAddr[] rest) {
        List<KernelVirtAddr> all = new ArrayList<>();
        all.add(first);
        all.addAll(Arrays.asList(rest));
        return all.toArray(KernelVirtAddr[]::new);
    }

    @Test
    void runnableTasksAreListedUpToTheCapAndMarkedTruncatedBeyondIt() {
        int cap = SchedExtKernelReader.MAX_TASKS_LISTED;
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false, RAM));
        // the fixture's own: worker[101] runs on cpu 0, queued[102] waits on cpu 0, stalled[103] on cpu 1; tasks are
        // listed in walk order: cpu 0's current, cpu 0's runnable list, then cpu 1's list
        int room = cap - 3;
        KernelVirtAddr[] more = s.moreTasks(room + 1, 1000, "w", 0);
        KernelVirtAddr cpu0List = s.rq[0].plus(s.img.off("struct rq", "scx.runnable_list"));

        s.link(cpu0List, "scx.runnable_node", concat(s.queued, Arrays.copyOf(more, room)));
        SchedExtKernel atCap = read(s);
        assertEquals(cap, atCap.tasks().items().size());
        assertFalse(atCap.tasks().truncated(), "exactly " + cap + " tasks are all there: nothing is cut");
        assertTrue(pids(atCap).contains(103L), "the last one walked is listed");
        assertFalse(report(atCap).path("scx_tasks").path("truncated").asBoolean(true));

        s.link(cpu0List, "scx.runnable_node", concat(s.queued, more));
        SchedExtKernel over = read(s);
        assertEquals(cap, over.tasks().items().size(), "one task over the cap: the list stops at the cap");
        assertTrue(over.tasks().truncated(), "the cut is marked");
        assertNull(over.tasks().unavailable(), "a cut is not a failure");
        List<Long> listed = pids(over);
        assertEquals(1000L + room, listed.getLast(), "the tasks are listed in walk order up to the cap");
        assertFalse(listed.contains(103L), "the task past the cap is not listed");
        assertEquals(room + 2, over.cpus().items().getFirst().runnable(), "the CPU still counts every runnable task");

        JsonNode r = report(over);
        assertTrue(r.path("scx_tasks").path("truncated").asBoolean(), r.path("scx_tasks").toString());
        assertEquals(cap, r.path("scx_tasks").path("items").size());
        assertFalse(r.path("unavailable").has("scx_tasks"), "a cut section is not an unavailable one");
    }

    @Test
    void aDsqListsItsQueuedTasksUpToTheCapAndMarksTheRestWhileCountingThemAll() {
        int cap = SchedExtKernelReader.MAX_QUEUED_LISTED;
        SchedExtFixture s = new SchedExtFixture(new SchedulerFixture(vmlinux, false, RAM));
        KernelVirtAddr[] more = s.moreTasks(cap + 1, 2000, "q", 1);
        KernelVirtAddr list = s.userDsq.plus(s.img.off("struct scx_dispatch_q", "list"));
        KernelVirtAddr nr = s.userDsq.plus(s.img.off("struct scx_dispatch_q", "nr"));

        s.link(list, "scx.dsq_list.node", Arrays.copyOf(more, cap));
        s.img.w32(nr, cap);
        SchedExtKernel.Dsq atCap = userDsq(read(s));
        assertEquals(cap, atCap.queued().size());
        assertFalse(atCap.truncated(), "exactly " + cap + " queued tasks are all there: nothing is cut");

        s.link(list, "scx.dsq_list.node", more);
        s.img.w32(nr, cap + 1);
        SchedExtKernel k = read(s);
        SchedExtKernel.Dsq over = userDsq(k);
        assertEquals(cap, over.queued().size(), "one task over the cap: the list stops at the cap");
        assertTrue(over.truncated(), "the cut is marked");
        assertNull(over.unavailable(), "a cut is not a failure");
        assertEquals(cap + 1, over.nr(), "nr counts them all");
        assertEquals(List.of(2000L, 2000L + cap - 1), List.of(over.queued().getFirst().pid(),
                over.queued().getLast().pid()), "listed in queue order up to the cap");

        JsonNode dsq = null;
        for (JsonNode d : report(k).path("scx_dsqs").path("items")) {
            if (d.path("name").asText().equals("user " + SchedExtFixture.USER_DSQ)) dsq = d;
        }
        assertTrue(dsq != null && dsq.path("truncated").asBoolean(), String.valueOf(dsq));
        assertEquals(cap, dsq.path("queued").size());
        assertEquals(cap + 1, dsq.path("nr").asLong());
    }

    private static SchedExtKernel.Dsq userDsq(SchedExtKernel k) {
        return k.dsqs().items().stream().filter(d -> d.name().equals("user " + SchedExtFixture.USER_DSQ)).findFirst()
                .orElseThrow(() -> new AssertionError("no user DSQ in " + k.dsqs()));
    }
}
