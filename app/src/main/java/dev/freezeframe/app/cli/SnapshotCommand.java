package dev.freezeframe.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.freezeframe.app.AppException;
import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ReportFields;
import dev.freezeframe.persistence.SnapshotInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code freezeframe snapshot RUN TAG}: one frozen state — sched_ext, vCPUs and maps as text, one map's numeric fields
 * with {@code --map}, or the whole report as JSON with {@code --json}.
 */
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Show one snapshot of an archived run: sched_ext state, vCPUs and BPF maps.")
public final class SnapshotCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id.")
    long runId;

    @Parameters(index = "1", paramLabel = "TAG", description = "The snapshot's tag (see `freezeframe snapshots RUN`).")
    String tag;

    /** Integers below 2^53 survive a double exactly; past it only the report's digits are right. */
    private static final double EXACT_DOUBLE_LIMIT = 9_007_199_254_740_992.0;
    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("-?\\d+");

    @Option(names = "--map", paramLabel = "NAME", description = "Show only this map (its fields with their values).")
    String map;

    @Option(names = "--json", description = "Print the report (or the map, with --map) as JSON.")
    boolean json;

    @Option(names = "--nth", paramLabel = "N", description = "A tag taken several times (every hit of a watchpoint is"
            + " tagged watch:SYMBOL): show the N-th, 1 = first. Default: the last.")
    Integer nth;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (Archive archive = ArchiveCommands.open(spec)) {
            ArchiveCommands.requireRun(archive, runId);
            List<SnapshotInfo> all = archive.runs().snapshots(runId);
            List<SnapshotInfo> tagged = all.stream().filter(s -> s.tag().equals(tag)).toList();
            if (tagged.isEmpty()) {
                throw new AppException("Run " + runId + " has no snapshot tagged '" + tag + "'. Its tags: "
                        + String.join(", ", all.stream().map(SnapshotInfo::tag).distinct().toList()) + ".");
            }
            if (nth != null && (nth < 1 || nth > tagged.size())) {
                throw new AppException("'" + tag + "' was taken " + tagged.size() + " times; --nth must be between 1 and "
                        + tagged.size() + ".");
            }
            SnapshotInfo info = tagged.get(nth == null ? tagged.size() - 1 : nth - 1);
            JsonNode report = JSON.readTree(archive.runs().snapshotReport(info.id()));
            if (map != null) {
                JsonNode m = findMap(report, map);
                if (json) out.println(JSON.writeValueAsString(m));
                else printMapFields(out, archive.runs().snapshotFields(info.id()).getOrDefault(map, Map.of()),
                        ReportFields.exactTexts(report).getOrDefault(map, Map.of()), m);
            } else if (json) {
                out.println(JSON.writeValueAsString(report));
            } else {
                printSummary(out, info, report);
            }
        }
        out.flush();
        return FreezeframeCommand.EXIT_OK;
    }

    private JsonNode findMap(JsonNode report, String name) {
        for (JsonNode m : report.path("maps")) {
            if (name.equals(m.path("name").asText())) return m;
        }
        StringBuilder names = new StringBuilder();
        for (JsonNode m : report.path("maps")) names.append(names.isEmpty() ? "" : ", ").append(m.path("name").asText());
        throw new AppException("Snapshot '" + tag + "' has no map named '" + name + "'. Its maps: " + names + ".");
    }

    private static void printSummary(PrintWriter out, SnapshotInfo info, JsonNode r) {
        out.printf("snapshot %s (%s) at %.2f s, step %s%n", info.tag(), info.kind().wireName(), info.atNanos() / 1e9,
                info.stepIndex().map(String::valueOf).orElse("-"));
        if (info.placeholder()) {
            out.println("unavailable: " + info.placeholderReason().orElse(""));
            return;
        }
        JsonNode freeze = r.path("freeze");
        out.printf("guest frozen: %d µs to stop, %d µs to read%n", freeze.path("time_to_stop_us").asLong(),
                freeze.path("read_us").asLong());
        JsonNode scx = r.path("sched_ext");
        if (scx.isObject()) {
            out.printf("sched_ext: %s, ops %s, exit kind %s%n", scx.path("attached").asBoolean() ? "attached"
                    : "no scheduler", scx.path("opsName").asText("-"), scx.path("exitKindName").asText("-"));
            JsonNode exit = scx.path("exitInfo");
            if (exit.isObject()) {
                out.printf("  exit: %s %s%n", exit.path("reason").asText(""), exit.path("message").asText(""));
            }
        }
        SchedExtText.print(out, r);
        if (r.path("trigger").isObject()) out.println("trigger: " + r.path("trigger"));
        for (JsonNode v : r.path("vcpus")) {
            out.printf("vcpu %d: rip %s %s%n", v.path("vcpu").asInt(), v.path("rip").asText(),
                    v.path("rip_symbol").asText(""));
        }
        out.println("maps:");
        for (JsonNode m : r.path("maps")) {
            String note = m.path("unavailable").isTextual() ? "  (" + m.path("unavailable").asText() + ")" : "";
            out.printf("  %-20s %-32s %5d entries%s%s%n", m.path("name").asText("?"), m.path("type").asText(),
                    m.path("entries").size(), m.path("truncated").asBoolean() ? " (truncated)" : "", note);
        }
        if (r.path("stats").isObject()) {
            out.println("scheduler output:");
            for (JsonNode line : r.path("stats").path("lines")) out.println("  " + line.asText());
        }
        JsonNode unavailable = r.path("unavailable");
        unavailable.fieldNames().forEachRemaining(part -> out.println("unavailable " + part + ": "
                + unavailable.path(part).asText()));
    }

    /**
     * The index stores doubles (what plots need); a value a double cannot hold exactly (a u64 above 2^53) is printed
     * from the report's own JSON number instead, every digit kept.
     */
    private static void printMapFields(PrintWriter out, Map<String, Double> fields, Map<String, String> exact,
                                       JsonNode map) {
        out.printf("%s (%s, key %s, value %s)%n", map.path("name").asText(), map.path("type").asText(),
                map.path("keyType").asText("-"), map.path("valueType").asText("-"));
        if (map.path("summary").isObject()) out.println("summary: " + map.path("summary"));
        if (fields.isEmpty()) out.println("(no numeric fields; use --json for the full value)");
        fields.forEach((path, value) -> out.printf("  %-48s %s%n", path, shown(value, exact.get(path))));
    }

    static String shown(double value, String exact) {
        if (value == Math.rint(value) && Math.abs(value) < EXACT_DOUBLE_LIMIT) return Long.toString((long) value);
        if (exact != null && INTEGER.matcher(exact).matches()) return exact;
        return Double.toString(value);
    }
}
