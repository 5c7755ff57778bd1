package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.model.SnapshotKind;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one ktstr report file into snapshots, by its {@code schema}: {@code single} (ktstr's
 * {@code FailureDumpReport}, a placeholder when {@code is_placeholder}), {@code dual} (its {@code early} half, or a
 * placeholder with {@code early_skipped_reason}, and its {@code late} half) and {@code degraded} (a placeholder that
 * keeps the degraded report: reason, the registers of the vCPUs that parked, the exit kind). Reports are kept as
 * their JSON text, so every u64 in them stays exact.
 */
final class KtstrReports {
    /** ktstr's snapshot tags for early captures written beside a failure dump: failure-class, not requested. */
    private static final Set<String> ERROR_TAGS = Set.of("early-degraded",
            "early-pre-late-degraded", "early-only-late-suppressed", "early-only-late-never-fired");

    private KtstrReports() {
    }

    /** The kind of a tagged capture: ktstr's early-capture tags are failure-class, periodic tags periodic. */
    static SnapshotKind kindOf(String tag) {
        if (ERROR_TAGS.contains(tag)) return SnapshotKind.ERROR;
        return SnapshotRecord.isPeriodicTag(tag) ? SnapshotKind.PERIODIC : SnapshotKind.REQUESTED;
    }

    /** The snapshots one report file holds, by its schema ({@code single}, {@code dual} or {@code degraded}). */
    static List<SnapshotRecord> snapshotsOf(Path file, JsonNode report, String prefix, String tag,
                                            SnapshotKind kind, long atNs) {
        JsonNode schemaNode = report.get("schema");
        String schema;
        if (schemaNode == null) {
            // reports from before ktstr tagged them are single reports; anything else without a tag is not a dump
            if (!report.has("maps") && !report.has("is_placeholder")) {
                throw new ArchiveException(file + " has no failure-dump schema and is not a single report; it was "
                        + "not imported.");
            }
            schema = "single";
        } else {
            schema = schemaNode.asText("");
        }
        List<SnapshotRecord> out = new ArrayList<>();
        switch (schema) {
            case "single" -> out.add(single(prefix + tag, kind, report, atNs, file));
            case "dual" -> {
                JsonNode late = report.get("late");
                if (late == null || !late.isObject()) {
                    throw new ArchiveException(file + " is a dual failure dump without its 'late' report; it was not "
                            + "imported.");
                }
                String base = tag.equals("failure-dump") ? "" : tag + "-";
                JsonNode early = report.get("early");
                if (early != null && early.isObject()) {
                    out.add(single(prefix + base + "early", kind, early, atNs, file));
                } else if (report.hasNonNull("early_skipped_reason")) {
                    out.add(SnapshotRecord.placeholder(prefix + base + "early", kind, atNs, Optional.empty(),
                            "early snapshot not taken: " + report.get("early_skipped_reason").asText()));
                }
                out.add(single(prefix + base + "late", kind, late, atNs, file));
            }
            case "degraded" -> {
                String reason = report.path("reason").asText("");
                String shown = "degraded capture" + (reason.isBlank() ? "" : ": " + reason);
                out.add(new SnapshotRecord(prefix + tag, kind, atNs, Optional.empty(), true, Optional.of(shown),
                        report.toString()));
            }
            default -> throw new ArchiveException(file + " has failure-dump schema '" + schema
                    + "', which this version does not import (it reads 'single', 'dual' and 'degraded').");
        }
        return out;
    }

    private static SnapshotRecord single(String tag, SnapshotKind kind, JsonNode report, long atNs, Path file) {
        if (!report.isObject()) {
            throw new ArchiveException(file + " holds a report that is not a JSON object; it was not imported.");
        }
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
        return new SnapshotRecord(tag, kind, atNs, Optional.empty(), placeholder, reason, report.toString());
    }
}
