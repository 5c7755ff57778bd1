package dev.freezeframe.coordinator.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.introspect.kernel.Walk;
import dev.freezeframe.coordinator.introspect.scx.SchedExtKernel;

/**
 * The report sections of {@link SchedExtKernel}, each self-describing so a viewer can render it without knowing it:
 * <pre>
 * "scx_sched":  {"opsName", "opsFlags", "opsFlagNames": [..], "bypassDepth", "aborting", "watchdogTimeoutJiffies",
 *                "hz", "jiffies", "exitDump"|null, "unavailable"|null}
 * "scx_cpus":   {"items": [{"cpu", "nrRunning", "scxNrRunning", "scxFlags", "cpuReleased", "clockNs", "rqClockNs",
 *                "current": TASKREF|null, "localDsqDepth", "runnable", "unavailable"}], "truncated", "unavailable"}
 * "scx_dsqs":   {"items": [{"name", "id", "cpu"|null, "node"|null, "nr", "seq", "queued": [TASKREF], "truncated",
 *                "unavailable"}], ...}
 * "scx_tasks":  {"items": [{"pid", "tgid", "comm", "policy", "nice", "weight", "scxFlags", "queued", "sliceNs",
 *                "dsqVtime", "dsq"|null, "runnableForMs"|null, "cpu", "running", "schedClass"}], ...}
 * "scx_events": {"items": [{"name": "SCX_EV_…", "total", "perCpu": [..]}], ...}
 * "cpu_time":   {"items": [{"cpu", "ns": {"user", "nice", "system", "softirq", "irq", "idle", ...}}], ...}
 * TASKREF:      {"pid", "comm", "policy", "schedClass"}
 * </pre>
 * A part that could not be read (or only in part) also appears under the report's {@code "unavailable"} with its
 * reason, keyed by its section name.
 */
final class SchedExtKernelJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SchedExtKernelJson() {
    }

    static void put(ObjectNode report, ObjectNode unavailable, SchedExtKernel k) {
        report.set("scx_sched", JSON.valueToTree(k.sched()));
        if (k.sched().unavailable() != null) unavailable.put("scx_sched", k.sched().unavailable());
        part(report, unavailable, "scx_cpus", k.cpus());
        part(report, unavailable, "scx_dsqs", k.dsqs());
        part(report, unavailable, "scx_tasks", k.tasks());
        part(report, unavailable, "scx_events", k.events());
        part(report, unavailable, "cpu_time", k.cpuTime());
    }

    /** A walk as a report section {@code {"items", "truncated", "unavailable"}}, its reason also under unavailable. */
    static void part(ObjectNode report, ObjectNode unavailable, String name, Walk<?> walk) {
        ObjectNode o = report.putObject(name);
        o.set("items", JSON.valueToTree(walk.items()));
        o.put("truncated", walk.truncated());
        o.put("unavailable", walk.unavailable());
        if (walk.unavailable() != null) unavailable.put(name, walk.unavailable());
    }
}
