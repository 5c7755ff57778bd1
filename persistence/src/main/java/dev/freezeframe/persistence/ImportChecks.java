package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.Verdict;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Range checks on what an export file claims, before any of it reaches the archive: a CRC only proves the bytes are
 * the ones written, not that whoever wrote them was sane. Each failure names the field and the allowed range.
 */
final class ImportChecks {
    /** 2200-01-01T00:00:00Z: a run start or end past it is not a real time. */
    static final long MAX_EPOCH_MS = 7_258_118_400_000L;
    /** Ten years: no run lasts longer, nor has an event or snapshot later than that after its start. */
    static final long MAX_DURATION_MS = 10L * 366 * 24 * 3600 * 1000;
    static final long MAX_AT_NS = MAX_DURATION_MS * 1_000_000L;
    static final int MAX_VCPUS = 4096;
    static final int MAX_MEMORY_MIB = 1 << 24;
    static final int MAX_NAME_CHARS = 4096;
    static final int MAX_CONFIG_CHARS = 4 << 20;
    static final int MAX_KIND_CHARS = 128;
    static final int MAX_TEXT_CHARS = 1 << 20;
    static final int MAX_STEP_INDEX = 65_535;

    private ImportChecks() {
    }

    static void run(RunRow r) throws ExportRecords.MalformedRecord {
        range("started_at_ms", r.startedAtMs(), 0, MAX_EPOCH_MS);
        if (r.endedAtMs() != null) range("ended_at_ms", r.endedAtMs(), r.startedAtMs(), MAX_EPOCH_MS);
        if (r.durationMs() != null) range("duration_ms", r.durationMs(), 0, MAX_DURATION_MS);
        range("vcpus", r.vcpus(), 1, MAX_VCPUS);
        range("memory_mib", r.memoryMib(), 0, MAX_MEMORY_MIB);
        text("scheduler", r.scheduler(), 1, MAX_NAME_CHARS);
        text("scheduler_args", r.schedulerArgs(), 0, MAX_NAME_CHARS);
        text("scenario", r.scenario(), 1, MAX_NAME_CHARS);
        text("kernel", r.kernel(), 0, MAX_NAME_CHARS);
        if (r.kernelVersion() != null) text("kernel_version", r.kernelVersion(), 1, MAX_NAME_CHARS);
        if (r.reason() != null) text("reason", r.reason(), 0, MAX_TEXT_CHARS);
        if (r.archiveNote() != null) text("archive_note", r.archiveNote(), 0, MAX_TEXT_CHARS);
        if (r.verdict() != null) {
            try {
                Verdict.fromWireName(r.verdict());
            } catch (IllegalArgumentException e) {
                throw new ExportRecords.MalformedRecord("verdict '" + clip(r.verdict()) + "' does not exist; it is one of "
                        + Arrays.stream(Verdict.values()).map(Verdict::wireName).collect(Collectors.joining(", ")));
            }
        }
        text("config_json", r.configJson(), 2, MAX_CONFIG_CHARS);
        JsonNode config;
        try {
            config = Archive.JSON.readTree(r.configJson());
        } catch (IOException e) {
            config = null;
        }
        if (config == null || !config.isObject()) {
            throw new ExportRecords.MalformedRecord("config_json is not a JSON object");
        }
    }

    static void event(RunEvent e) throws ExportRecords.MalformedRecord {
        range("event seq", e.seq(), 0, Long.MAX_VALUE);
        range("event at_ns", e.atNanos(), 0, MAX_AT_NS);
        text("event kind", e.kind(), 1, MAX_KIND_CHARS);
        text("event text", e.text(), 0, MAX_TEXT_CHARS);
        if (e.value() != null && !Double.isFinite(e.value())) {
            throw new ExportRecords.MalformedRecord("event value " + e.value() + " is not a finite number");
        }
        if (e.detailJson() != null) text("event detail", e.detailJson(), 0, MAX_TEXT_CHARS);
    }

    static void snapshot(SnapshotRows.Meta m) throws ExportRecords.MalformedRecord {
        text("snapshot tag", m.tag(), 1, MAX_NAME_CHARS);
        range("snapshot at_ns", m.atNanos(), 0, MAX_AT_NS);
        if (m.stepIndex() != null) range("snapshot step_index", m.stepIndex(), 0, MAX_STEP_INDEX);
        if (m.placeholder() && (m.placeholderReason() == null || m.placeholderReason().isBlank())) {
            throw new ExportRecords.MalformedRecord("placeholder snapshot '" + clip(m.tag()) + "' has no reason");
        }
    }

    private static void range(String field, long value, long min, long max) throws ExportRecords.MalformedRecord {
        if (value < min || value > max) {
            throw new ExportRecords.MalformedRecord(field + " = " + value + " is outside " + min + ".." + max);
        }
    }

    private static void text(String field, String value, int minChars, int maxChars)
            throws ExportRecords.MalformedRecord {
        if (value == null) throw new ExportRecords.MalformedRecord(field + " is missing");
        if (value.length() < minChars || value.length() > maxChars) {
            throw new ExportRecords.MalformedRecord(field + " has " + value.length() + " characters, outside "
                    + minChars + ".." + maxChars);
        }
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
