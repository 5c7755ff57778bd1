package dev.freezeframe.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two archived runs: configuration differences, verdicts, durations, event and snapshot counts, and the
 * per-map field deltas between one chosen snapshot of each run — as data for the UI ({@link Result}) and as text for
 * the command line ({@link #render}).
 */
public final class RunComparison {
    /** One configuration value that differs; a missing side is empty. */
    public record ConfigDifference(String key, Optional<String> a, Optional<String> b) {
    }

    /** One numeric map field in the two chosen snapshots; a side without the field is empty. */
    public record FieldDelta(String map, String field, OptionalDouble a, OptionalDouble b) {
        /** b - a, when both sides have the field. */
        public OptionalDouble delta() {
            return a.isPresent() && b.isPresent() ? OptionalDouble.of(b.getAsDouble() - a.getAsDouble())
                    : OptionalDouble.empty();
        }
    }

    /**
     * The comparison. {@code fieldDeltas} holds only fields that differ (or exist on one side); {@code snapshotA} /
     * {@code snapshotB} are the snapshots compared (empty when a run has no usable snapshot).
     */
    public record Result(RunDetail a, RunDetail b, List<ConfigDifference> config, Optional<SnapshotInfo> snapshotA,
                         Optional<SnapshotInfo> snapshotB, List<FieldDelta> fieldDeltas, int unchangedFields) {
        public boolean sameVerdict() {
            return a.run().verdictLabel().equals(b.run().verdictLabel());
        }

        /** Duration of b minus a, when both ended. */
        public Optional<Long> durationDeltaMs() {
            return a.run().durationMs().flatMap(da -> b.run().durationMs().map(db -> db - da));
        }
    }

    private final Archive archive;

    public RunComparison(Archive archive) {
        this.archive = archive;
    }

    /**
     * Compares runs {@code runA} and {@code runB}. {@code tagA} / {@code tagB} choose the snapshot of each run by tag;
     * when absent, the run's last snapshot that is not a placeholder (for a failed run, usually the error capture).
     */
    public Result compare(long runA, long runB, Optional<String> tagA, Optional<String> tagB) {
        RunQueries runs = archive.runs();
        RunDetail a = runs.detail(runA).orElseThrow(() -> noRun(runA));
        RunDetail b = runs.detail(runB).orElseThrow(() -> noRun(runB));
        List<ConfigDifference> config = configDifferences(a, b);
        Optional<SnapshotInfo> sa = pick(runs.snapshots(runA), tagA, runA);
        Optional<SnapshotInfo> sb = pick(runs.snapshots(runB), tagB, runB);
        List<FieldDelta> deltas = new ArrayList<>();
        int unchanged = 0;
        if (sa.isPresent() && sb.isPresent()) {
            Map<String, Map<String, Double>> fa = runs.snapshotFields(sa.get().id());
            Map<String, Map<String, Double>> fb = runs.snapshotFields(sb.get().id());
            for (String map : new TreeSet<>(union(fa.keySet(), fb.keySet()))) {
                Map<String, Double> ma = fa.getOrDefault(map, Map.of());
                Map<String, Double> mb = fb.getOrDefault(map, Map.of());
                for (String field : union(ma.keySet(), mb.keySet())) {
                    Double va = ma.get(field);
                    Double vb = mb.get(field);
                    if (Objects.equals(va, vb)) {
                        unchanged++;
                        continue;
                    }
                    deltas.add(new FieldDelta(map, field, va == null ? OptionalDouble.empty() : OptionalDouble.of(va),
                            vb == null ? OptionalDouble.empty() : OptionalDouble.of(vb)));
                }
            }
        }
        return new Result(a, b, config, sa, sb, deltas, unchanged);
    }

    private static LinkedHashSet<String> union(Iterable<String> x, Iterable<String> y) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        x.forEach(all::add);
        y.forEach(all::add);
        return all;
    }

    private ArchiveException noRun(long id) {
        return new ArchiveException("There is no run " + id + " in " + archive.path() + ".");
    }

    private Optional<SnapshotInfo> pick(List<SnapshotInfo> snapshots, Optional<String> tag, long runId) {
        if (tag.isPresent()) {
            return Optional.of(snapshots.stream().filter(s -> s.tag().equals(tag.get())).reduce((x, y) -> y)
                    .orElseThrow(() -> new ArchiveException("Run " + runId + " has no snapshot tagged '" + tag.get()
                            + "'. See its snapshots with `freezeframe runs show " + runId + "`.")));
        }
        return snapshots.stream().filter(s -> !s.placeholder()).reduce((x, y) -> y);
    }

    private List<ConfigDifference> configDifferences(RunDetail a, RunDetail b) {
        Map<String, String> ca = flatConfig(a);
        Map<String, String> cb = flatConfig(b);
        List<ConfigDifference> out = new ArrayList<>();
        for (String key : new TreeSet<>(union(ca.keySet(), cb.keySet()))) {
            String va = ca.get(key);
            String vb = cb.get(key);
            if (!Objects.equals(va, vb)) out.add(new ConfigDifference(key, Optional.ofNullable(va),
                    Optional.ofNullable(vb)));
        }
        return out;
    }

    private static Map<String, String> flatConfig(RunDetail d) {
        Map<String, String> flat = new TreeMap<>();
        flat.put("kernel_version", d.run().kernelVersion().orElse(null));
        try {
            flatten(Archive.JSON.readTree(d.configJson()), "", flat);
        } catch (JsonProcessingException e) {
            flat.put("config", d.configJson());
        }
        flat.values().removeIf(Objects::isNull);
        return flat;
    }

    private static void flatten(JsonNode node, String path, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> f = it.next();
                flatten(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), out);
            }
        } else if (node.isArray() && node.size() > 0 && node.get(0).isValueNode()) {
            List<String> items = new ArrayList<>();
            node.forEach(n -> items.add(n.asText()));
            out.put(path, String.join(" ", items));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) flatten(node.get(i), path + "[" + i + "]", out);
            if (node.isEmpty()) out.put(path, "");
        } else {
            out.put(path, node.isNull() ? null : node.asText());
        }
    }

    /** The comparison as text for the command line; at most {@code maxFields} field deltas are listed. */
    public static String render(Result r, int maxFields) {
        StringBuilder s = new StringBuilder();
        ArchivedRun a = r.a().run();
        ArchivedRun b = r.b().run();
        s.append(String.format("%-22s %-28s %-28s%n", "", "A: run " + a.id(), "B: run " + b.id()));
        row(s, "scheduler", a.scheduler(), b.scheduler());
        row(s, "scenario", a.scenario(), b.scenario());
        row(s, "kernel", a.kernelVersion().orElse(a.kernel()), b.kernelVersion().orElse(b.kernel()));
        row(s, "verdict", a.verdictLabel(), b.verdictLabel());
        row(s, "reason", a.reason().orElse("-"), b.reason().orElse("-"));
        row(s, "duration", a.durationMs().map(RunComparison::seconds).orElse("-"),
                b.durationMs().map(RunComparison::seconds).orElse("-"));
        row(s, "events", Long.toString(r.a().eventCount()), Long.toString(r.b().eventCount()));
        row(s, "snapshots", r.a().snapshotCount() + " (" + r.a().placeholderCount() + " placeholders)",
                r.b().snapshotCount() + " (" + r.b().placeholderCount() + " placeholders)");
        s.append(r.sameVerdict() ? "Same verdict." : "Verdicts differ.");
        r.durationDeltaMs().ifPresent(d -> s.append(String.format(" B ran %s %s.", seconds(Math.abs(d)),
                d >= 0 ? "longer" : "shorter")));
        s.append(System.lineSeparator()).append(System.lineSeparator());
        if (r.config().isEmpty()) {
            s.append("Configuration: identical.").append(System.lineSeparator());
        } else {
            s.append("Configuration differences:").append(System.lineSeparator());
            for (ConfigDifference d : r.config()) {
                s.append(String.format("  %-20s %-28s %-28s%n", d.key(), d.a().orElse("(absent)"),
                        d.b().orElse("(absent)")));
            }
        }
        s.append(System.lineSeparator());
        if (r.snapshotA().isEmpty() || r.snapshotB().isEmpty()) {
            s.append("Map fields: not compared (").append(r.snapshotA().isEmpty() ? "run " + a.id() : "run " + b.id())
                    .append(" has no snapshot with data).").append(System.lineSeparator());
            return s.toString();
        }
        s.append("Map fields, snapshot '").append(r.snapshotA().get().tag()).append("' of A vs '")
                .append(r.snapshotB().get().tag()).append("' of B: ").append(r.fieldDeltas().size())
                .append(" differ, ").append(r.unchangedFields()).append(" equal.").append(System.lineSeparator());
        int shown = 0;
        for (FieldDelta d : r.fieldDeltas()) {
            if (shown++ == maxFields) {
                s.append("  … ").append(r.fieldDeltas().size() - maxFields).append(" more (use --max-fields)")
                        .append(System.lineSeparator());
                break;
            }
            s.append(String.format("  %-20s %-30s %14s %14s %14s%n", d.map(), d.field(), num(d.a()), num(d.b()),
                    d.delta().isPresent() ? signed(d.delta().getAsDouble()) : ""));
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String label, String a, String b) {
        s.append(String.format("%-22s %-28s %-28s%s%n", label, a, b, a.equals(b) ? "" : "  *"));
    }

    private static String seconds(long ms) {
        return String.format("%.1f s", ms / 1000.0);
    }

    private static String num(OptionalDouble v) {
        return v.isPresent() ? format(v.getAsDouble()) : "(absent)";
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : "") + format(v);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format("%.6g", v);
    }
}
