package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
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
 * events as step events — and the {@code *.failure-dump.json} / {@code *.repro.failure-dump.json} reports next to it
 * (same stem) become its snapshots: schema {@code single} one snapshot, schema {@code dual} its {@code early} and
 * {@code late} halves. A failure dump without a sidecar becomes a run of its own. Each run is imported in one
 * transaction; a run already imported (same ktstr run id, test and topology) is skipped. Like ktstr, the directory
 * and one level of subdirectories are scanned.
 */
public final class KtstrImporter {
    /** Larger files are refused: sidecars are kilobytes, failure dumps hundreds of kilobytes. */
    public static final long MAX_FILE_BYTES = 256L << 20;
    private static final String SIDECAR = ".ktstr.json";
    private static final String DUMP = ".failure-dump.json";
    private static final String REPRO_DUMP = ".repro.failure-dump.json";
    private static final Pattern TOPOLOGY = Pattern.compile("(\\d+)n(\\d+)l(\\d+)c(\\d+)t");

    /** The outcome for one file or run. */
    public record Item(Path file, Optional<Long> runId, String message) {
    }

    /** What a directory import did; {@code failed} lists files that were refused (the others were imported). */
    public record Result(List<Item> imported, List<Item> skipped, List<Item> failed) {
    }

    private final Archive archive;

    public KtstrImporter(Archive archive) {
        this.archive = archive;
    }

    public Result importDirectory(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ArchiveException(dir + " is not a folder. Give the ktstr run folder (it holds *.ktstr.json files).");
        }
        Map<String, Path> sidecars = new TreeMap<>();
        Map<String, List<Path>> dumps = new TreeMap<>();
        try (Stream<Path> top = Files.list(dir)) {
            List<Path> candidates = new ArrayList<>();
            for (Path p : top.sorted().toList()) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> sub = Files.list(p)) {
                        candidates.addAll(sub.sorted().toList());
                    }
                } else {
                    candidates.add(p);
                }
            }
            for (Path p : candidates) {
                String name = p.getFileName().toString();
                String stem = p.getParent() + "/";
                if (name.endsWith(SIDECAR)) {
                    sidecars.put(stem + name.substring(0, name.length() - SIDECAR.length()), p);
                } else if (name.endsWith(REPRO_DUMP)) {
                    dumps.computeIfAbsent(stem + name.substring(0, name.length() - REPRO_DUMP.length()),
                            k -> new ArrayList<>()).add(p);
                } else if (name.endsWith(DUMP)) {
                    dumps.computeIfAbsent(stem + name.substring(0, name.length() - DUMP.length()),
                            k -> new ArrayList<>()).add(p);
                }
            }
        } catch (IOException e) {
            throw new ArchiveException("Cannot read the folder " + dir + " (" + e.getMessage() + ").", e);
        }
        if (sidecars.isEmpty() && dumps.isEmpty()) {
            throw new ArchiveException("No ktstr results (*.ktstr.json or *.failure-dump.json) in " + dir + ".");
        }
        List<Item> imported = new ArrayList<>();
        List<Item> skipped = new ArrayList<>();
        List<Item> failed = new ArrayList<>();
        java.util.TreeSet<String> stems = new java.util.TreeSet<>(sidecars.keySet());
        stems.addAll(dumps.keySet());
        for (String stem : stems) {
            Path sidecar = sidecars.get(stem);
            List<Path> reports = dumps.getOrDefault(stem, List.of());
            Path shown = sidecar != null ? sidecar : reports.getFirst();
            try {
                Optional<Long> id = importOne(stem, sidecar, reports);
                if (id.isPresent()) {
                    imported.add(new Item(shown, id, "imported as run " + id.get()
                            + (reports.isEmpty() ? "" : " with " + reports.size() + " failure dump(s)")));
                } else {
                    skipped.add(new Item(shown, Optional.empty(), "already in the archive"));
                }
            } catch (ArchiveException e) {
                failed.add(new Item(shown, Optional.empty(), e.getMessage()));
            }
        }
        return new Result(imported, skipped, failed);
    }

    private Optional<Long> importOne(String stem, Path sidecarFile, List<Path> dumpFiles) {
        JsonNode sidecar = sidecarFile == null ? null : readJson(sidecarFile);
        List<SnapshotRecord> snapshots = new ArrayList<>();
        List<RunEvent> events = new ArrayList<>();
        long lastNs = 0;
        if (sidecar != null) {
            for (JsonNode st : sidecar.path("stimulus_events")) {
                long at = st.path("elapsed_ms").asLong(0) * 1_000_000L;
                lastNs = Math.max(lastNs, at);
                String text = "step " + st.path("step_index").asInt() + ": " + st.path("op_count").asInt() + " ops, "
                        + st.path("cgroup_count").asInt() + " cgroups, " + st.path("worker_count").asInt()
                        + " workers, " + st.path("total_iterations").asLong() + " iterations";
                events.add(new RunEvent(events.size(), at, Lane.STEPS, "step", text, null, st.toString()));
            }
        }
        for (Path dumpFile : dumpFiles) {
            boolean repro = dumpFile.getFileName().toString().endsWith(REPRO_DUMP);
            String prefix = repro ? "repro-" : "";
            JsonNode dump = readJson(dumpFile);
            String schema = dump.path("schema").asText("single");
            switch (schema) {
                case "single" -> snapshots.add(snapshot(prefix + "failure-dump", dump, lastNs));
                case "dual" -> {
                    if (dump.hasNonNull("early")) snapshots.add(snapshot(prefix + "early", dump.get("early"), lastNs));
                    if (!dump.hasNonNull("late")) {
                        throw new ArchiveException(dumpFile + " is a dual failure dump without its 'late' report; "
                                + "it was not imported.");
                    }
                    snapshots.add(snapshot(prefix + "late", dump.get("late"), lastNs));
                }
                default -> throw new ArchiveException(dumpFile + " has failure-dump schema '" + schema
                        + "', which this version does not import (it reads 'single' and 'dual').");
            }
        }
        RunRow row = runRow(stem, sidecar, sidecarFile != null ? sidecarFile : dumpFiles.getFirst(),
                !dumpFiles.isEmpty(), lastNs);
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
                try (EventWriter writer = new EventWriter(c, runId)) {
                    for (RunEvent e : events) writer.add(e);
                    writer.add(RunEvent.of(events.size(), lastNs, Lane.LIFECYCLE, "verdict",
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

    private RunRow runRow(String stem, JsonNode sidecar, Path file, boolean hasDump, long lastNs) {
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
                } catch (DateTimeParseException e) {
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
            vcpus = Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2)) * Integer.parseInt(m.group(3))
                    * Integer.parseInt(m.group(4));
        }
        String configJson;
        try {
            configJson = Archive.JSON.writeValueAsString(config);
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

    private static SnapshotRecord snapshot(String tag, JsonNode report, long atNs) {
        boolean placeholder = report.path("is_placeholder").asBoolean(false);
        Optional<String> reason = Optional.empty();
        if (placeholder) {
            Iterator<Map.Entry<String, JsonNode>> fields = report.fields();
            while (fields.hasNext() && reason.isEmpty()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().endsWith("_unavailable") && f.getValue().isTextual()) reason = Optional.of(f.getValue().asText());
            }
            if (reason.isEmpty()) reason = Optional.of("capture produced no data");
        }
        return new SnapshotRecord(tag, SnapshotKind.ERROR, atNs, Optional.empty(), placeholder, reason,
                report.toString());
    }

    private static JsonNode readJson(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ArchiveException(file + " is " + size + " bytes, more than the ktstr import limit of "
                        + MAX_FILE_BYTES + " bytes; it was not imported.");
            }
            JsonNode node = Archive.JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) throw new ArchiveException(file + " is not a JSON object; it was "
                    + "not imported.");
            return node;
        } catch (IOException e) {
            throw new ArchiveException(file + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); it was not imported.", e);
        }
    }
}
