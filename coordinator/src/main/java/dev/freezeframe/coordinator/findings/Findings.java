package dev.freezeframe.coordinator.findings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.findings.Finding.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules over a run's snapshots that say what went wrong, worst first: the scheduler's exit (the
 * {@code scx_bpf_error()} text with its {@code file.bpf.c:LINE}, the exit kind in words, the map it names, the kernel's
 * dump kept), a stall (the task, its CPU, how long it waited, what ran there instead — and whether that is the BPF
 * scheduler's fault at all), DSQs that only grow, CPUs far out of balance, failed captures. Pure: snapshots in,
 * findings out; the rules over the series and events recorded between snapshots are {@link SeriesFindings}'.
 */
public final class Findings {
    /** {@code scx_bpf_error()} prefixes its text with {@code __FILE__ ":" __LINE__ ": "}. */
    static final Pattern SOURCE = Pattern.compile("([\\w./-]+\\.(?:bpf\\.)?c):(\\d+): ?(.*)", Pattern.DOTALL);
    /** The watchdog's message: {@code "%s[%d] failed to run for %u.%03us"}. */
    static final Pattern STALL = Pattern.compile("(.+)\\[(\\d+)\\] failed to run for (\\d+)\\.(\\d{3})s");
    static final int IMBALANCE_MIN = 4;

    private Findings() {
    }

    /** Every finding of the snapshots, worst first (then by time). */
    public static List<Finding> of(List<SnapshotView> snapshots) {
        return of(snapshots, List.of());
    }

    /**
     * Every finding of the snapshots plus {@code others} (those of the run's series and events: {@link
     * SeriesFindings}), worst first (then by time).
     */
    public static List<Finding> of(List<SnapshotView> snapshots, List<Finding> others) {
        List<Finding> out = new ArrayList<>(others);
        exit(snapshots).ifPresent(out::add);
        stall(snapshots, out);
        growingDsqs(snapshots, out);
        imbalance(snapshots, out);
        for (SnapshotView s : snapshots) {
            if (s.placeholder()) {
                out.add(new Finding(Severity.WARNING, "capture_failed", "snapshot " + s.tag() + " could not be captured",
                        s.placeholderReason(), s.tag(), s.atMs()));
            }
        }
        out.sort(Comparator.comparing(Finding::severity).thenComparingLong(Finding::atMs));
        return out;
    }

    /** The one-line headline: the worst finding's title, or empty when there is nothing to say. */
    public static Optional<String> headline(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() != Severity.INFO).findFirst().map(Finding::title);
    }

    // ------------------------------------------------------------------------------------------------ exit

    private static Optional<Finding> exit(List<SnapshotView> snapshots) {
        SnapshotView at = null;
        for (SnapshotView s : snapshots) { // the error snapshot first, else the last one that saw the exit
            if (s.placeholder()) continue;
            JsonNode info = s.report().path("sched_ext").path("exitInfo");
            if (info.isObject() && (at == null || "error".equals(s.kind()) || !"error".equals(at.kind()))) at = s;
        }
        if (at == null) return Optional.empty();
        JsonNode scx = at.report().path("sched_ext");
        JsonNode info = scx.path("exitInfo");
        String kind = info.path("kindName").asText(scx.path("exitKindName").asText(""));
        String message = info.path("message").asText("");
        boolean error = info.path("kind").asLong(scx.path("exitKind").asLong()) >= 1024;
        StringBuilder detail = new StringBuilder("exit kind " + kind + ": " + kindInWords(kind));
        String title;
        Matcher src = SOURCE.matcher(message);
        if (src.matches()) {
            title = "scx_bpf_error at " + src.group(1) + ":" + src.group(2) + ": " + src.group(3).strip();
            detail.append("\nsource: ").append(src.group(1)).append(':').append(src.group(2));
        } else {
            title = (error ? "scheduler error" : "scheduler exit") + " (" + kind + ")"
                    + (message.isEmpty() ? "" : ": " + message);
        }
        for (JsonNode m : at.report().path("maps")) {
            String name = m.path("name").asText("");
            if (name.length() > 2 && message.contains(name)) detail.append("\nthe message names map ").append(name);
        }
        String dump = dump(snapshots);
        if (dump != null) detail.append("\nkernel dump kept (").append(dump.lines().count()).append(" lines)");
        return Optional.of(new Finding(error ? Severity.CRITICAL : Severity.INFO, "scheduler_exit", title,
                detail.toString(), at.tag(), at.atMs()));
    }

    /** The kernel's exit dump from the latest snapshot that has it. */
    public static String dump(List<SnapshotView> snapshots) {
        String dump = null;
        for (SnapshotView s : snapshots) {
            if (s.placeholder()) continue;
            String d = s.report().path("scx_sched").path("exitDump").asText("");
            if (!d.isEmpty()) dump = d;
        }
        return dump;
    }

    static String kindInWords(String kind) {
        return switch (kind) {
            case "SCX_EXIT_NONE" -> "still running";
            case "SCX_EXIT_DONE" -> "exited normally";
            case "SCX_EXIT_UNREG" -> "unloaded by user space";
            case "SCX_EXIT_UNREG_BPF" -> "unloaded by the BPF program (scx_bpf_exit)";
            case "SCX_EXIT_UNREG_KERN" -> "unloaded by the kernel";
            case "SCX_EXIT_SYSRQ" -> "disabled with SysRq-S";
            case "SCX_EXIT_PARENT" -> "its parent scheduler went away";
            case "SCX_EXIT_ERROR" -> "the kernel caught the scheduler breaking a rule";
            case "SCX_EXIT_ERROR_BPF" -> "the BPF scheduler called scx_bpf_error()";
            case "SCX_EXIT_ERROR_STALL" -> "a runnable task was not run within the watchdog timeout";
            default -> "exit kind not known to this version";
        };
    }

    // ------------------------------------------------------------------------------------------------ stall

    private static void stall(List<SnapshotView> snapshots, List<Finding> out) {
        SnapshotView onset = null;
        SnapshotView error = null;
        for (SnapshotView s : snapshots) {
            if (s.placeholder()) continue;
            if (s.tag().equals("stall_onset") && onset == null) onset = s;
            if ("SCX_EXIT_ERROR_STALL".equals(s.report().path("sched_ext").path("exitInfo").path("kindName").asText())
                    && error == null) {
                error = s;
            }
        }
        SnapshotView base = error != null ? error : onset;
        if (base == null) return;
        String message = base.report().path("sched_ext").path("exitInfo").path("message").asText("");
        Matcher m = STALL.matcher(message);
        long pid = -1;
        String waited = null;
        if (m.find()) {
            pid = Long.parseLong(m.group(2));
            waited = m.group(3) + "." + m.group(4) + " s";
        }
        // the task: named by the message, else the longest-waiting one of the earliest snapshot that shows it
        JsonNode task = null;
        SnapshotView seen = null;
        for (SnapshotView s : List.of(onset == null ? base : onset, base)) {
            for (JsonNode t : s.report().path("scx_tasks").path("items")) {
                if (pid >= 0 ? t.path("pid").asLong() == pid
                        : task == null || t.path("runnableForMs").asLong() > task.path("runnableForMs").asLong()) {
                    task = t;
                    seen = s;
                }
            }
            if (task != null) break;
        }
        if (task == null && pid < 0) return;
        String name = task != null ? task.path("comm").asText() + "[" + task.path("pid").asLong() + "]"
                : m.group(1) + "[" + pid + "]";
        if (waited == null && task != null) waited = task.path("runnableForMs").asLong() + " ms";
        StringBuilder detail = new StringBuilder();
        Severity severity = error != null ? Severity.CRITICAL : Severity.WARNING;
        String title = name + " stalled: runnable for " + waited;
        if (task != null) {
            long cpu = task.path("cpu").asLong();
            detail.append(name).append(" waited on cpu ").append(cpu).append(" in DSQ ")
                    .append(task.path("dsq").asText("(none)")).append(", seen in ").append(seen.tag());
            JsonNode current = null;
            for (JsonNode c : seen.report().path("scx_cpus").path("items")) {
                if (c.path("cpu").asLong() == cpu) current = c.path("current");
            }
            if (current != null && current.isObject()) {
                String cls = current.path("schedClass").asText("");
                title += " on cpu " + cpu + " while " + current.path("comm").asText() + "[" + current.path("pid")
                        .asLong() + "] (" + cls + ") ran";
                if (List.of("rt", "dl", "stop").contains(cls)) {
                    detail.append("\nthe CPU ran a ").append(cls).append(" task, which outranks sched_ext: the task was"
                            + " starved by a higher-priority class, not by the BPF scheduler");
                    severity = Severity.WARNING;
                } else if (cls.equals("ext") || cls.equals("idle")) {
                    detail.append("\nthe CPU ran ").append(cls.equals("idle") ? "idle" : "another sched_ext task")
                            .append(": the BPF scheduler did not dispatch the waiting task");
                }
            }
        }
        out.add(new Finding(severity, "stall", title, detail.isEmpty() ? null : detail.toString(),
                (onset != null ? onset : base).tag(), (onset != null ? onset : base).atMs()));
    }

    // ------------------------------------------------------------------------------------------------ trends

    private static void growingDsqs(List<SnapshotView> snapshots, List<Finding> out) {
        Map<String, List<long[]>> depths = new LinkedHashMap<>(); // dsq → (atMs, nr) in order
        Map<String, String> lastTag = new LinkedHashMap<>();
        for (SnapshotView s : snapshots) {
            if (s.placeholder()) continue;
            for (JsonNode d : s.report().path("scx_dsqs").path("items")) {
                String key = d.path("name").asText() + (d.path("cpu").isNumber() ? " cpu " + d.path("cpu").asInt() : "");
                depths.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {s.atMs(), d.path("nr").asLong()});
                lastTag.put(key, s.tag());
            }
        }
        depths.forEach((dsq, series) -> {
            if (series.size() < 3) return;
            for (int i = 1; i < series.size(); i++) {
                if (series.get(i)[1] <= series.get(i - 1)[1]) return;
            }
            long[] last = series.getLast();
            out.add(new Finding(Severity.WARNING, "dsq_growing", "DSQ " + dsq + " only grows: " + series.getFirst()[1]
                    + " → " + last[1] + " tasks over " + series.size() + " snapshots", null, lastTag.get(dsq),
                    last[0]));
        });
    }

    private static void imbalance(List<SnapshotView> snapshots, List<Finding> out) {
        for (SnapshotView s : snapshots) {
            if (s.placeholder()) continue;
            JsonNode cpus = s.report().path("scx_cpus").path("items");
            if (cpus.size() < 2) continue;
            JsonNode max = null;
            JsonNode min = null;
            for (JsonNode c : cpus) {
                if (max == null || c.path("scxNrRunning").asLong() > max.path("scxNrRunning").asLong()) max = c;
                if (min == null || c.path("scxNrRunning").asLong() < min.path("scxNrRunning").asLong()) min = c;
            }
            long hi = max.path("scxNrRunning").asLong();
            long lo = min.path("scxNrRunning").asLong();
            if (hi - lo >= IMBALANCE_MIN && hi >= 3 * (lo + 1)) {
                out.add(new Finding(Severity.INFO, "cpu_imbalance", "cpu " + max.path("cpu").asInt() + " has " + hi
                        + " sched_ext tasks, cpu " + min.path("cpu").asInt() + " " + lo, null, s.tag(), s.atMs()));
                return; // the first such snapshot is enough
            }
        }
    }
}
