package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Imports ktstr results as runs: each {@code *.ktstr.json} sidecar (ktstr's {@code SidecarResult}) becomes a run —
 * test name as scenario, scheduler, topology as vCPU count, kernel version, pass/skip/fail as the verdict, stimulus
 * events as step events, the figures of its {@code stats} that match our workload metrics as whole-run metrics
 * ({@link KtstrMetrics}) — and the snapshot files next to it (same stem) become its snapshots:
 * <ul>
 *   <li>{@code STEM.failure-dump.json} / {@code STEM.repro.failure-dump.json}: schema {@code single} is one snapshot,
 *       {@code dual} its {@code early} (when captured) and {@code late} halves, {@code degraded} a placeholder that
 *       keeps the degraded report (reason, registers of the vCPUs that parked, exit kind);</li>
 *   <li>{@code STEM.snapshot.TAG.json} (and {@code STEM.repro.snapshot.TAG.json}): a capture ktstr wrote under a tag,
 *       any of the three schemas;</li>
 *   <li>{@code STEM.on_demand_N.json}: on-demand captures, tagged {@code on_demand_N}.</li>
 * </ul>
 * A report ktstr marks {@code is_placeholder} becomes a placeholder snapshot with ktstr's reason. u64 values stay
 * exact: reports are stored as their JSON text, and the numbers the importer reads itself are read unsigned. What one
 * file may hold is capped ({@link Limits}): a file over the byte or JSON-entry cap is refused with a sentence; past
 * the stimulus-event or snapshot-file cap the rest is left out and the run gets an event saying so. A dump without a
 * sidecar becomes a run of its own. Each run is imported in one transaction; a run already imported (same ktstr run
 * id, test and topology) is skipped. Like ktstr, the directory and one level of subdirectories are scanned.
 */
public final class KtstrImporter {
    /** Larger files are refused by default: sidecars are kilobytes, failure dumps hundreds of kilobytes. */
    public static final long MAX_FILE_BYTES = 64L << 20;
    private static final String SIDECAR = ".ktstr.json";
    private static final String DUMP = ".failure-dump.json";
    private static final String REPRO = ".repro";
    private static final String TAGGED = ".snapshot.";
    private static final String JSON_EXT = ".json";
    private static final Pattern ON_DEMAND = Pattern.compile("(.+)\\.(on_demand_\\d{1,9})\\.json");
    private static final Pattern TOPOLOGY = Pattern.compile("(\\d{1,4})n(\\d{1,4})l(\\d{1,4})c(\\d{1,4})t");
    /** An elapsed time past this (ten years) is not a ktstr run's; it is refused as absurd. */
    private static final long MAX_ELAPSED_MS = 10L * 366 * 24 * 3600 * 1000;
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /**
     * What one import reads at most.
     *
     * @param fileBytes        a larger file is refused
     * @param jsonEntries      a file with more JSON values (objects, arrays, numbers, strings...) is refused
     * @param stimulusEvents   stimulus events kept per sidecar; the rest are left out with a note
     * @param snapshotFiles    snapshot files kept per run; the rest are left out with a note
     */
    public record Limits(long fileBytes, long jsonEntries, int stimulusEvents, int snapshotFiles) {
        public static final Limits DEFAULTS = new Limits(MAX_FILE_BYTES, 4_000_000, 10_000, 256);
    }

    /** The outcome for one file or run. */
    public record Item(Path file, Optional<Long> runId, String message) {
    }

    /** What a directory import did; {@code failed} lists files that were refused (the others were imported). */
    public record Result(List<Item> imported, List<Item> skipped, List<Item> failed) {
    }

    /** The files of one ktstr test run (one stem). */
    private static final class StemFiles {
        Path sidecar;
        final List<Path> dumps = new ArrayList<>();
        final List<Path> snapshots = new ArrayList<>();

        Path shown() {
            if (sidecar != null) return sidecar;
            return !dumps.isEmpty() ? dumps.getFirst() : snapshots.getFirst();
        }
    }

    private final Archive archive;
    private final Limits limits;

    public KtstrImporter(Archive archive) {
        this(archive, Limits.DEFAULTS);
    }

    public KtstrImporter(Archive archive, Limits limits) {
        this.archive = archive;
        this.limits = limits;
    }

    public Result importDirectory(Path directory) {
        archive.requireWritable("import ktstr results");
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ArchiveException(dir + " is not a folder. Give the ktstr run folder (it holds *.ktstr.json files).");
        }
        Map<String, StemFiles> stems = new TreeMap<>();
        try (Stream<Path> top = Files.list(dir)) {
            List<Path> candidates = new ArrayList<>();
            for (Path p : top.sorted().toList()) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> sub = Files.list(p)) {
                        candidates.addAll(sub.sorted().toList());
                    }
                } else {
                    candidates.add(p);
                }
            }
            for (Path p : candidates) {
                String name = p.getFileName().toString();
                String dirKey = p.getParent() + "/";
                String stem;
                if (name.endsWith(SIDECAR)) {
                    stem = name.substring(0, name.length() - SIDECAR.length());
                    stems.computeIfAbsent(dirKey + stem, k -> new StemFiles()).sidecar = p;
                } else if (name.endsWith(DUMP)) {
                    stem = stripRepro(name.substring(0, name.length() - DUMP.length()));
                    stems.computeIfAbsent(dirKey + stem, k -> new StemFiles()).dumps.add(p);
                } else if (name.endsWith(JSON_EXT) && name.indexOf(TAGGED) > 0) {
                    stem = stripRepro(name.substring(0, name.indexOf(TAGGED)));
                    stems.computeIfAbsent(dirKey + stem, k -> new StemFiles()).snapshots.add(p);
                } else {
                    Matcher m = ON_DEMAND.matcher(name);
                    if (m.matches()) {
                        stems.computeIfAbsent(dirKey + stripRepro(m.group(1)), k -> new StemFiles()).snapshots.add(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new ArchiveException("Cannot read the folder " + dir + " (" + e.getMessage() + ").", e);
        }
        if (stems.isEmpty()) {
            throw new ArchiveException("No ktstr results (*.ktstr.json, *.failure-dump.json or *.snapshot.*.json) in "
                    + dir + ".");
        }
        List<Item> imported = new ArrayList<>();
        List<Item> skipped = new ArrayList<>();
        List<Item> failed = new ArrayList<>();
        for (Map.Entry<String, StemFiles> e : stems.entrySet()) {
            StemFiles files = e.getValue();
            Path shown = files.shown();
            try {
                List<String> notes = new ArrayList<>();
                Optional<Long> id = importOne(e.getKey(), files, notes);
                int reports = files.dumps.size() + files.snapshots.size();
                if (id.isPresent()) {
                    imported.add(new Item(shown, id, "imported as run " + id.get()
                            + (reports == 0 ? "" : " with " + reports + " snapshot file(s)")
                            + (notes.isEmpty() ? "" : "; " + String.join("; ", notes))));
                } else {
                    skipped.add(new Item(shown, Optional.empty(), "already in the archive"));
                }
            } catch (ArchiveException ex) {
                failed.add(new Item(shown, Optional.empty(), ex.getMessage()));
            }
        }
        return new Result(imported, skipped, failed);
    }

    private static String stripRepro(String stem) {
        return stem.endsWith(REPRO) ? stem.substring(0, stem.length() - REPRO.length()) : stem;
    }

    private static boolean isRepro(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(REPRO + DUMP) || name.contains(REPRO + TAGGED)
                || name.matches(".+\\.repro\\.on_demand_\\d+\\.json");
    }

    private Optional<Long> importOne(String stem, StemFiles files, List<String> notes) {
        JsonNode sidecar = files.sidecar == null ? null : read(files.sidecar);
        List<SnapshotRecord> snapshots = new ArrayList<>();
        List<RunEvent> events = new ArrayList<>();
        List<dev.freezeframe.coordinator.metrics.WorkloadMetric> metrics = sidecar == null ? List.of()
                : KtstrMetrics.of(sidecar, notes);
        long lastNs = 0;
        if (sidecar != null) {
            JsonNode stimulus = sidecar.path("stimulus_events");
            int kept = 0;
            for (JsonNode st : stimulus) {
                if (kept == limits.stimulusEvents()) {
                    notes.add("kept the first " + kept + " of " + stimulus.size() + " stimulus events (the import "
                            + "limit)");
                    break;
                }
                kept++;
                long elapsedMs = unsigned(st, "elapsed_ms", files.sidecar, MAX_ELAPSED_MS).longValueExact();
                long at = elapsedMs * 1_000_000L;
                lastNs = Math.max(lastNs, at);
                String text = "step " + unsignedText(st, "step_index") + ": " + unsignedText(st, "op_count")
                        + " ops, " + unsignedText(st, "cgroup_count") + " cgroups, "
                        + unsignedText(st, "worker_count") + " workers, " + unsignedText(st, "total_iterations")
                        + " iterations";
                events.add(new RunEvent(events.size(), at, Lane.STEPS, "step", text, null, st.toString()));
            }
        }
        List<Path> reportFiles = new ArrayList<>(files.dumps);
        reportFiles.addAll(files.snapshots);
        if (reportFiles.size() > limits.snapshotFiles()) {
            notes.add("kept the first " + limits.snapshotFiles() + " of " + reportFiles.size()
                    + " snapshot files (the import limit)");
            reportFiles = reportFiles.subList(0, limits.snapshotFiles());
        }
        for (Path file : reportFiles) {
            String prefix = isRepro(file) ? "repro-" : "";
            JsonNode report = read(file);
            if (files.dumps.contains(file)) {
                snapshots.addAll(KtstrReports.snapshotsOf(file, report, prefix, "failure-dump", SnapshotKind.ERROR,
                        lastNs));
            } else {
                String tag = snapshotTag(file);
                snapshots.addAll(KtstrReports.snapshotsOf(file, report, prefix, tag, KtstrReports.kindOf(tag), lastNs));
            }
        }
        RunRow row = runRow(stem, sidecar, files.shown(), !files.dumps.isEmpty(), lastNs, notes);
        Connection c = archive.connection();
        try {
            try (PreparedStatement seen = c.prepareStatement("SELECT id FROM runs WHERE config_json = ?")) {
                seen.setString(1, row.configJson());
                try (ResultSet rs = seen.executeQuery()) {
                    if (rs.next()) return Optional.empty();
                }
            }
            c.setAutoCommit(false);
            try {
                long runId = RunRow.insert(c, row);
                MetricRows.insert(c, runId, metrics);
                try (EventWriter writer = new EventWriter(c, runId)) {
                    for (RunEvent e : events) writer.add(e);
                    long seq = events.size();
                    for (String note : notes) {
                        writer.add(RunEvent.of(seq++, lastNs, Lane.LIFECYCLE, "import_limit", "ktstr import " + note
                                + "."));
                    }
                    writer.add(RunEvent.of(seq, lastNs, Lane.LIFECYCLE, "verdict",
                            row.verdict() + (row.reason() == null ? "" : ": " + row.reason())));
                    for (SnapshotRecord s : snapshots) writer.add(s);
                    writer.writePending();
                }
                c.commit();
                try {
                    SearchIndex.indexAll(c);
                } catch (SQLException e) {
                    // indexed before the next search
                }
                return Optional.of(runId);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "import into", e);
        }
    }

    private JsonNode read(Path file) {
        return CappedJson.readObject(file, limits.fileBytes(), limits.jsonEntries(), "the ktstr import limit");
    }

    /** The tag of a tagged snapshot ({@code STEM.snapshot.TAG.json}) or an on-demand file ({@code on_demand_N}). */
    private static String snapshotTag(Path file) {
        String name = file.getFileName().toString();
        int tagged = name.indexOf(TAGGED);
        if (tagged > 0) return name.substring(tagged + TAGGED.length(), name.length() - JSON_EXT.length());
        Matcher m = ON_DEMAND.matcher(name);
        return m.matches() ? m.group(2) : name;
    }

    /** A u64 field read unsigned; absent is 0; negative, fractional, past u64 or past {@code max} is refused. */
    private static BigInteger unsigned(JsonNode object, String field, Path file, long max) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) return BigInteger.ZERO;
        BigInteger value = v.isIntegralNumber() ? v.bigIntegerValue() : null;
        if (value == null || value.signum() < 0 || value.compareTo(U64_MAX) > 0
                || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ArchiveException(file + " has " + field + " = " + v + ", which is not a plausible value (an "
                    + "unsigned number up to " + max + "); it was not imported.");
        }
        return value;
    }

    /** A counter for display: the exact unsigned digits, whatever their size ("?" when it is not a number). */
    private static String unsignedText(JsonNode object, String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) return "0";
        if (!v.isIntegralNumber()) return "?";
        BigInteger value = v.bigIntegerValue();
        return value.signum() < 0 || value.compareTo(U64_MAX) > 0 ? "?" : value.toString();
    }

    private RunRow runRow(String stem, JsonNode sidecar, Path file, boolean hasDump, long lastNs, List<String> notes) {
        ObjectNode config = Archive.JSON.createObjectNode();
        config.put("source", "ktstr");
        String testName = stem.substring(stem.lastIndexOf('/') + 1);
        String scheduler = "unknown";
        String topology = "";
        String kernelVersion = null;
        String verdict;
        String reason = null;
        long startedMs;
        try {
            startedMs = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            startedMs = 0;
        }
        if (sidecar != null) {
            testName = sidecar.path("test_name").asText(testName);
            scheduler = sidecar.path("scheduler").asText(scheduler);
            topology = sidecar.path("topology").asText("");
            kernelVersion = sidecar.hasNonNull("kernel_version") ? sidecar.get("kernel_version").asText() : null;
            for (String f : List.of("test_name", "topology", "scheduler", "work_type", "run_id", "scheduler_commit",
                    "project_commit", "kernel_commit", "payload", "run_source")) {
                if (sidecar.hasNonNull(f)) config.put(f, sidecar.get(f).asText());
            }
            for (String f : List.of("active_flags", "kargs", "sysctls")) {
                if (sidecar.has(f)) config.set(f, sidecar.get(f));
            }
            if (sidecar.has("stats")) config.set("stats", sidecar.get("stats"));
            if (sidecar.hasNonNull("timestamp")) {
                try {
                    startedMs = Instant.parse(sidecar.get("timestamp").asText()).toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException e) {
                    // keep the file time
                }
            }
            boolean skippedTest = sidecar.path("skipped").asBoolean(false);
            boolean passed = sidecar.path("passed").asBoolean(false);
            if (skippedTest) {
                verdict = "inconclusive";
                reason = "skipped by ktstr";
            } else if (passed) {
                verdict = "passed";
            } else {
                verdict = "scheduler_failed";
                reason = hasDump ? "ktstr test failed (failure dump captured)" : "ktstr test failed";
            }
        } else {
            config.put("test_name", testName);
            verdict = "scheduler_failed";
            reason = "failure dump without a ktstr result sidecar";
        }
        config.put("imported_from", file.getFileName().toString());
        int vcpus = 1;
        Matcher m = TOPOLOGY.matcher(topology);
        if (m.find()) {
            long product = Long.parseLong(m.group(1)) * Long.parseLong(m.group(2)) * Long.parseLong(m.group(3))
                    * Long.parseLong(m.group(4));
            // a topology past what a VM has is not trusted as a vCPU count
            vcpus = product >= 1 && product <= 4096 ? (int) product : 1;
        }
        String configJson;
        try {
            configJson = Archive.JSON.writeValueAsString(config);
            // the run must survive an export and import, which refuse a larger configuration
            for (String bulky : List.of("stats", "sysctls", "kargs", "active_flags")) {
                if (configJson.length() <= ImportChecks.MAX_CONFIG_CHARS) break;
                if (config.remove(bulky) != null) {
                    notes.add("left out the sidecar's " + bulky + " (the run's configuration would exceed "
                            + ImportChecks.MAX_CONFIG_CHARS + " characters)");
                    configJson = Archive.JSON.writeValueAsString(config);
                }
            }
            if (configJson.length() > ImportChecks.MAX_CONFIG_CHARS) {
                throw new ArchiveException(file + " describes a run whose configuration exceeds "
                        + ImportChecks.MAX_CONFIG_CHARS + " characters; it was not imported.");
            }
        } catch (IOException e) {
            throw new ArchiveException("Cannot record the configuration of " + file + ".", e);
        }
        long durationMs = lastNs / 1_000_000L;
        return new RunRow(startedMs, startedMs + durationMs, scheduler, String.join(" ", flags(sidecar)), testName,
                "ktstr", kernelVersion, vcpus, 0, configJson, verdict, reason, lastNs > 0 ? durationMs : null, null);
    }

    private static List<String> flags(JsonNode sidecar) {
        List<String> flags = new ArrayList<>();
        if (sidecar != null) sidecar.path("active_flags").forEach(f -> flags.add(f.asText()));
        return flags;
    }

}
