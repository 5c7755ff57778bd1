package dev.freezeframe.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel sched_ext sections of a snapshot report ({@code scx_*}, {@code cpu_time}, {@code bpf_prog_stats}) as text
 * for the CLI.
 */
final class SchedExtText {
    private SchedExtText() {
    }

    static void print(PrintWriter out, JsonNode r) {
        JsonNode sched = r.path("scx_sched");
        if (sched.isObject() && !sched.path("opsName").isNull()) {
            out.printf("  flags %s, bypass depth %d%s, watchdog %d jiffies (HZ %d)%n",
                    String.join("|", texts(sched.path("opsFlagNames"))), sched.path("bypassDepth").asLong(),
                    sched.path("aborting").asBoolean() ? ", ABORTING" : "", sched.path("watchdogTimeoutJiffies")
                            .asLong(), sched.path("hz").asLong());
        }
        JsonNode cpus = r.path("scx_cpus").path("items");
        if (!cpus.isEmpty()) out.println("cpus:");
        for (JsonNode c : cpus) {
            JsonNode cur = c.path("current");
            out.printf("  cpu %d: nr_running %d (scx %d), flags 0x%x%s, clock %d ns, local DSQ %d, current %s%n",
                    c.path("cpu").asInt(), c.path("nrRunning").asLong(), c.path("scxNrRunning").asLong(),
                    c.path("scxFlags").asLong(), c.path("cpuReleased").asBoolean() ? ", released" : "",
                    c.path("clockNs").asLong(), c.path("localDsqDepth").asLong(), cur.isObject()
                            ? cur.path("comm").asText() + "[" + cur.path("pid").asLong() + "] ("
                            + cur.path("schedClass").asText() + ")" : "-");
        }
        JsonNode dsqs = r.path("scx_dsqs").path("items");
        if (!dsqs.isEmpty()) out.println("dsqs:");
        for (JsonNode d : dsqs) {
            String where = d.path("cpu").isNumber() ? " cpu " + d.path("cpu").asInt()
                    : d.path("node").isNumber() ? " node " + d.path("node").asInt() : "";
            List<String> queued = new ArrayList<>();
            for (JsonNode t : d.path("queued")) queued.add(t.path("comm").asText() + "[" + t.path("pid").asLong() + "]");
            out.printf("  %-14s nr %d, seq %d%s%s%n", d.path("name").asText() + where, d.path("nr").asLong(),
                    d.path("seq").asLong(), queued.isEmpty() ? "" : ": " + String.join(" ", queued),
                    d.path("truncated").asBoolean() ? " …" : "");
        }
        JsonNode tasks = r.path("scx_tasks");
        if (!tasks.path("items").isEmpty()) {
            out.printf("runnable tasks (%d%s):%n", tasks.path("items").size(),
                    tasks.path("truncated").asBoolean() ? ", truncated" : "");
            out.println("    pid  comm             cpu  state    waited_ms  slice_ns    dsq_vtime  weight  dsq");
        }
        for (JsonNode t : tasks.path("items")) {
            out.printf("  %5d  %-16s %3d  %-7s  %9s  %-10d  %-10d  %6d  %s%n", t.path("pid").asLong(),
                    t.path("comm").asText(), t.path("cpu").asLong(),
                    t.path("running").asBoolean() ? "running" : t.path("dsq").isTextual() ? "in DSQ" : "waiting",
                    t.path("runnableForMs").isNumber() ? t.path("runnableForMs").asText() : "-",
                    t.path("sliceNs").asLong(), t.path("dsqVtime").asLong(), t.path("weight").asLong(),
                    t.path("dsq").asText("-"));
        }
        List<String> events = new ArrayList<>();
        for (JsonNode e : r.path("scx_events").path("items")) {
            if (e.path("total").asLong() != 0) {
                events.add(e.path("name").asText().replaceFirst("^SCX_EV_", "") + "=" + e.path("total").asLong());
            }
        }
        if (r.path("scx_events").path("items").size() > 0) {
            out.println("events: " + (events.isEmpty() ? "all zero" : String.join(" ", events)));
        }
        for (JsonNode c : r.path("cpu_time").path("items")) {
            JsonNode ns = c.path("ns");
            out.printf("cpu %d time: user %.2f s, system %.2f s, idle %.2f s, irq %.2f s, softirq %.2f s%n",
                    c.path("cpu").asInt(), s(ns, "user"), s(ns, "system"), s(ns, "idle"), s(ns, "irq"),
                    s(ns, "softirq"));
        }
        JsonNode progs = r.path("bpf_prog_stats");
        if (!progs.path("items").isEmpty()) out.println("struct_ops callbacks (runs, ns per run):");
        for (JsonNode p : progs.path("items")) {
            out.printf("  %-16s %-20s %10d  %s%n", p.path("callback").asText("?"), p.path("name").asText(),
                    p.path("runs").asLong(), p.path("nsPerRun").isNumber() ? p.path("nsPerRun").asText() + " ns" : "-");
        }
        if (progs.path("unavailable").isTextual()) {
            out.println("struct_ops callbacks: " + progs.path("unavailable").asText());
        }
        String dump = sched.path("exitDump").asText("");
        if (!dump.isEmpty()) {
            out.println("kernel exit dump:");
            for (String line : dump.split("\n")) out.println("  " + line);
        }
    }

    private static double s(JsonNode ns, String field) {
        return ns.path(field).asLong() / 1e9;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
