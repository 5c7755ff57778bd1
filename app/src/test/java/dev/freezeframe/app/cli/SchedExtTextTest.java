package dev.freezeframe.app.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The struct_ops callbacks' stats and the CPUs' time in the snapshot's text view, and the reason when unread. */
class SchedExtTextTest {
    private static String print(String report) throws Exception {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            SchedExtText.print(out, new ObjectMapper().readTree(report));
        }
        return text.toString();
    }

    @Test
    void callbacksWithRunsAndTimePerRunAndEachCpusTime() throws Exception {
        String text = print("""
                {"bpf_prog_stats": {"items": [
                   {"id": 20, "name": "qmap_enqueue", "callback": "enqueue", "runs": 40, "totalNs": 160000,
                    "nsPerRun": 4000},
                   {"id": 21, "name": "qmap_dispatch", "callback": "dispatch", "runs": 0, "nsPerRun": null}],
                  "truncated": false, "unavailable": null},
                 "cpu_time": {"items": [{"cpu": 0, "ns": {"user": 1500000000, "system": 250000000,
                    "idle": 0, "irq": 0, "softirq": 10000000}}]}}
                """);
        assertTrue(text.contains("struct_ops callbacks (runs, ns per run):"), text);
        assertTrue(text.matches("(?s).*enqueue\\s+qmap_enqueue\\s+40\\s+4000 ns.*"), text);
        assertTrue(text.matches("(?s).*dispatch\\s+qmap_dispatch\\s+0\\s+-.*"), text);
        assertTrue(text.contains("cpu 0 time: user 1.50 s, system 0.25 s, idle 0.00 s, irq 0.00 s, softirq 0.01 s"),
                text);
    }

    @Test
    void statsSwitchedOffSaysSo() throws Exception {
        String text = print("""
                {"bpf_prog_stats": {"items": [], "truncated": false,
                  "unavailable": "kernel.bpf_stats_enabled is off, so the kernel counts no runs or time"}}
                """);
        assertTrue(text.contains("struct_ops callbacks: kernel.bpf_stats_enabled is off"), text);
    }

    @Test
    void cutListsAreMarked() throws Exception {
        String text = print("""
                {"scx_dsqs": {"items": [{"name": "user 7", "id": "7", "cpu": null, "node": null, "nr": 65, "seq": 9,
                    "queued": [{"pid": 2000, "comm": "q0"}], "truncated": true}]},
                 "scx_tasks": {"items": [{"pid": 1000, "comm": "w0", "cpu": 0, "running": false}],
                    "truncated": true}}
                """);
        assertTrue(text.contains("runnable tasks (1, truncated):"), text);
        assertTrue(text.contains("user 7         nr 65, seq 9: q0[2000] …"), text);
        String whole = print("""
                {"scx_tasks": {"items": [{"pid": 1000, "comm": "w0", "cpu": 0}], "truncated": false}}
                """);
        assertTrue(whole.contains("runnable tasks (1):"), whole);
    }
}
