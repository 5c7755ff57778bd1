package dev.freezeframe.coordinator.findings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    static SnapshotView periodic(String tag, long atMs, long userDsqNr) throws Exception {
        return new SnapshotView(tag, "periodic", atMs, json("{'sched_ext': {'exitKindName': 'SCX_EXIT_NONE'},"
                + "'scx_dsqs': {'items': [{'name': 'user 0', 'nr': " + userDsqNr + "}]},"
                + "'scx_cpus': {'items': [{'cpu': 0, 'scxNrRunning': 9}, {'cpu': 1, 'scxNrRunning': 1}]}}"), null);
    }

    @Test
    void anScxBpfErrorIsTheHeadlineWithItsSourceLineAndTheDumpIsKept() throws Exception {
        SnapshotView error = new SnapshotView("error", "error", 4200, json("{'sched_ext': {'exitKindName':"
                + " 'SCX_EXIT_ERROR_BPF', 'exitInfo': {'kind': 1025, 'kindName': 'SCX_EXIT_ERROR_BPF', 'reason':"
                + " 'scx_bpf_error', 'message': 'scx_qmap.bpf.c:434: test triggering error'}},"
                + "'scx_sched': {'exitDump': 'qmap: root\\nBacktrace:\\n  scx_bpf_error_bstr+0x1'},"
                + "'maps': [{'name': 'task_ctx_stor'}]}"), null);
        List<Finding> f = Findings.of(List.of(periodic("periodic_000", 1000, 1), error));
        assertEquals("scx_bpf_error at scx_qmap.bpf.c:434: test triggering error", Findings.headline(f).orElseThrow());
        Finding exit = f.getFirst();
        assertEquals(Finding.Severity.CRITICAL, exit.severity());
        assertEquals("error", exit.snapshot());
        assertTrue(exit.detail().contains("called scx_bpf_error()"), exit.detail());
        assertTrue(exit.detail().contains("dump kept (3 lines)"), exit.detail());
        assertTrue(Findings.dump(List.of(error)).startsWith("qmap: root"));
    }

    @Test
    void anErrorWithoutASourceLineSaysItsKindInWordsAndTheMapItNames() throws Exception {
        SnapshotView error = new SnapshotView("error", "error", 900, json("{'sched_ext': {'exitInfo': {'kind': 1024,"
                + " 'kindName': 'SCX_EXIT_ERROR', 'message': 'invalid DSQ ID 0x4 from queue_counts'}},"
                + "'maps': [{'name': 'queue_counts'}, {'name': 'task_ctx_stor'}]}"), null);
        List<Finding> f = Findings.of(List.of(error));
        Finding exit = f.getFirst();
        assertEquals("scheduler error (SCX_EXIT_ERROR): invalid DSQ ID 0x4 from queue_counts", exit.title());
        assertTrue(exit.detail().startsWith("exit kind SCX_EXIT_ERROR: the kernel caught the scheduler breaking a rule"),
                exit.detail());
        assertTrue(exit.detail().contains("the message names map queue_counts"), exit.detail());
        assertFalse(exit.detail().contains("task_ctx_stor"), exit.detail());
    }

    @Test
    void aStallNamesTheTaskItsCpuItsWaitAndWhatRanInstead() throws Exception {
        String tasks = "'scx_tasks': {'items': [{'pid': 77, 'comm': 'stress', 'cpu': 1, 'runnableForMs': 2600,"
                + " 'dsq': 'user 0'}]}";
        SnapshotView onset = new SnapshotView("stall_onset", "requested", 3000, json("{'sched_ext': {}, " + tasks
                + ", 'scx_cpus': {'items': [{'cpu': 1, 'current': {'pid': 0, 'comm': 'swapper/1', 'schedClass':"
                + " 'idle'}}]}}"), null);
        SnapshotView error = new SnapshotView("error", "error", 5600, json("{'sched_ext': {'exitInfo': {'kind': 1026,"
                + " 'kindName': 'SCX_EXIT_ERROR_STALL', 'message': 'stress[77] failed to run for 5.120s'}}}"), null);
        List<Finding> f = Findings.of(List.of(onset, error));
        Finding stall = f.stream().filter(x -> x.rule().equals("stall")).findFirst().orElseThrow();
        assertEquals("stress[77] stalled: runnable for 5.120 s on cpu 1 while swapper/1[0] (idle) ran", stall.title());
        assertTrue(stall.detail().contains("did not dispatch"), stall.detail());
        assertEquals("stall_onset", stall.snapshot());

        SnapshotView rtOnset = new SnapshotView("stall_onset", "requested", 3000, json("{'sched_ext': {}, " + tasks
                + ", 'scx_cpus': {'items': [{'cpu': 1, 'current': {'pid': 9, 'comm': 'rt-hog', 'schedClass':"
                + " 'rt'}}]}}"), null);
        Finding starved = Findings.of(List.of(rtOnset)).getFirst();
        assertEquals(Finding.Severity.WARNING, starved.severity());
        assertTrue(starved.detail().contains("not by the BPF scheduler"), starved.detail());
    }

    @Test
    void growingDsqsImbalanceAndFailedCapturesAreFound() throws Exception {
        List<Finding> f = Findings.of(List.of(periodic("p0", 1000, 1), periodic("p1", 2000, 5),
                new SnapshotView("p2", "periodic", 2500, null, "the guest could not be stopped"),
                periodic("p3", 3000, 9)));
        assertEquals(List.of("capture_failed", "dsq_growing", "cpu_imbalance"), f.stream().map(Finding::rule).toList());
        assertEquals("DSQ user 0 only grows: 1 → 9 tasks over 3 snapshots", f.get(1).title());
        assertEquals("p3", f.get(1).snapshot());
        assertTrue(Findings.of(List.of(periodic("p0", 1000, 3), periodic("p1", 2000, 2), periodic("p2", 3000, 4)))
                .stream().noneMatch(x -> x.rule().equals("dsq_growing")));
    }
}
