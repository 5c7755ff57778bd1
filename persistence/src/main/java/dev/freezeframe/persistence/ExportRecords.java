package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The record payloads of a run export (format 1). Each payload starts with a type byte:
 * <ul>
 *   <li>{@code 1 RUN}: the run row as a JSON object (first record, exactly once), with the snapshot viewer's marks and
 *       pins as {@code viewer_marks: [{kind, path, label}]} (absent in older exports);</li>
 *   <li>{@code 2 EVENTS}: a batch of events: count u32, then per event seq i64, at_ns i64, lane, kind, text (u32
 *       length + UTF-8), a value flag byte (+ f64), a detail flag byte (+ string);</li>
 *   <li>{@code 3 SNAPSHOT}: metadata JSON (u32 length + UTF-8) then the report, raw DEFLATE as stored;</li>
 *   <li>{@code 4 END}: a JSON object with the counts of events, snapshots and records before it (last record).</li>
 * </ul>
 */
final class ExportRecords {
    static final byte RUN = 1;
    static final byte EVENTS = 2;
    static final byte SNAPSHOT = 3;
    static final byte END = 4;

    private ExportRecords() {
    }

    /** A payload that is CRC-valid but does not make sense (it was written wrongly, or tampered with). */
    static final class MalformedRecord extends Exception {
        MalformedRecord(String message, Throwable cause) {
            super(message, cause);
        }

        MalformedRecord(String message) {
            super(message);
        }
    }

    static byte[] run(RunRow r) throws IOException {
        return run(r, List.of());
    }

    static byte[] run(RunRow r, List<ViewerMark> marks) throws IOException {
        ObjectNode o = Archive.JSON.createObjectNode();
        o.put("started_at_ms", r.startedAtMs());
        if (r.endedAtMs() != null) o.put("ended_at_ms", r.endedAtMs());
        o.put("scheduler", r.scheduler());
        o.put("scheduler_args", r.schedulerArgs());
        o.put("scenario", r.scenario());
        o.put("kernel", r.kernel());
        if (r.kernelVersion() != null) o.put("kernel_version", r.kernelVersion());
        o.put("vcpus", r.vcpus());
        o.put("memory_mib", r.memoryMib());
        o.put("config_json", r.configJson());
        if (r.verdict() != null) o.put("verdict", r.verdict());
        if (r.reason() != null) o.put("reason", r.reason());
        if (r.durationMs() != null) o.put("duration_ms", r.durationMs());
        if (r.archiveNote() != null) o.put("archive_note", r.archiveNote());
        if (!marks.isEmpty()) {
            var list = o.putArray("viewer_marks");
            for (ViewerMark m : marks) {
                list.addObject().put("kind", m.kind().column()).put("path", m.path()).put("label", m.label());
            }
        }
        return typed(RUN, Archive.JSON.writeValueAsBytes(o));
    }

    /** The viewer marks of a RUN record (none in exports written before they were kept). */
    static List<ViewerMark> parseViewerMarks(byte[] payload) throws MalformedRecord {
        try {
            List<ViewerMark> out = new ArrayList<>();
            for (JsonNode m : Archive.JSON.readTree(payload, 1, payload.length - 1).path("viewer_marks")) {
                out.add(new ViewerMark(ViewerMark.Kind.of(required(m, "kind").asText()), required(m, "path").asText(),
                        m.path("label").asText("")));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecord("the run record's viewer marks are not understood (" + e.getMessage() + ")", e);
        }
    }

    static RunRow parseRun(byte[] payload) throws MalformedRecord {
        try {
            JsonNode o = Archive.JSON.readTree(payload, 1, payload.length - 1);
            return new RunRow(longOf(o, "started_at_ms"), optLong(o, "ended_at_ms"),
                    required(o, "scheduler").asText(), o.path("scheduler_args").asText(""),
                    required(o, "scenario").asText(), required(o, "kernel").asText(),
                    o.hasNonNull("kernel_version") ? o.get("kernel_version").asText() : null,
                    intOf(o, "vcpus"), intOf(o, "memory_mib"),
                    required(o, "config_json").asText(),
                    o.hasNonNull("verdict") ? o.get("verdict").asText() : null,
                    o.hasNonNull("reason") ? o.get("reason").asText() : null, optLong(o, "duration_ms"),
                    o.hasNonNull("archive_note") ? o.get("archive_note").asText() : null);
        } catch (IOException e) {
            throw new MalformedRecord("the run record is not understood", e);
        } catch (RuntimeException e) {
            throw new MalformedRecord("the run record is not understood (" + e.getMessage() + ")", e);
        }
    }

    static byte[] events(List<RunEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + events.size() * 48);
        out.write(EVENTS);
        ByteBuffer b = ByteBuffer.allocate(17).order(ByteOrder.BIG_ENDIAN);
        out.write(b.putInt(0, events.size()).array(), 0, 4);
        for (RunEvent e : events) {
            b.clear();
            b.putLong(e.seq()).putLong(e.atNanos());
            out.write(b.array(), 0, 16);
            string(out, e.lane().wireName());
            string(out, e.kind());
            string(out, e.text());
            if (e.value() == null) {
                out.write(0);
            } else {
                out.write(1);
                b.clear();
                out.write(b.putDouble(e.value()).array(), 0, 8);
            }
            if (e.detailJson() == null) {
                out.write(0);
            } else {
                out.write(1);
                string(out, e.detailJson());
            }
        }
        return out.toByteArray();
    }

    static List<RunEvent> parseEvents(byte[] payload) throws MalformedRecord {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1).order(ByteOrder.BIG_ENDIAN);
            int count = in.getInt();
            if (count < 0 || count > payload.length) throw new MalformedRecord("impossible event count " + count);
            List<RunEvent> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long seq = in.getLong();
                long at = in.getLong();
                Lane lane = Lane.fromWireName(string(in));
                String kind = string(in);
                String text = string(in);
                Double value = in.get() == 1 ? in.getDouble() : null;
                String detail = in.get() == 1 ? string(in) : null;
                events.add(new RunEvent(seq, at, lane, kind, text, value, detail));
            }
            if (in.hasRemaining()) throw new MalformedRecord("events record has " + in.remaining() + " extra bytes");
            return events;
        } catch (RuntimeException e) {
            throw new MalformedRecord("an events record is not understood (" + e.getMessage() + ")", e);
        }
    }

    static byte[] snapshot(SnapshotRows.Meta m, byte[] compressedReport) throws IOException {
        ObjectNode o = Archive.JSON.createObjectNode();
        o.put("tag", m.tag());
        o.put("kind", m.kind());
        o.put("at_ns", m.atNanos());
        if (m.stepIndex() != null) o.put("step_index", m.stepIndex());
        o.put("placeholder", m.placeholder());
        if (m.placeholderReason() != null) o.put("placeholder_reason", m.placeholderReason());
        o.put("report_size", m.reportSize());
        byte[] meta = Archive.JSON.writeValueAsBytes(o);
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + meta.length + compressedReport.length);
        out.write(SNAPSHOT);
        out.writeBytes(ByteBuffer.allocate(4).putInt(meta.length).array());
        out.writeBytes(meta);
        out.writeBytes(compressedReport);
        return out.toByteArray();
    }

    record Snapshot(SnapshotRows.Meta meta, byte[] compressedReport) {
    }

    static Snapshot parseSnapshot(byte[] payload) throws MalformedRecord {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload, 1, payload.length - 1).order(ByteOrder.BIG_ENDIAN);
            int metaLength = in.getInt();
            if (metaLength < 0 || metaLength > in.remaining()) throw new MalformedRecord("bad snapshot metadata");
            JsonNode o = Archive.JSON.readTree(payload, 5, metaLength);
            String kind = required(o, "kind").asText();
            dev.freezeframe.coordinator.model.SnapshotKind.fromWireName(kind);
            int size = intOf(o, "report_size");
            if (size < 0 || size > ReportCodec.MAX_REPORT_BYTES) throw new MalformedRecord("bad report size " + size);
            SnapshotRows.Meta meta = new SnapshotRows.Meta(required(o, "tag").asText(), kind,
                    longOf(o, "at_ns"), o.hasNonNull("step_index") ? intOf(o, "step_index") : null,
                    o.path("placeholder").asBoolean(false),
                    o.hasNonNull("placeholder_reason") ? o.get("placeholder_reason").asText() : null, size);
            byte[] report = new byte[payload.length - 5 - metaLength];
            System.arraycopy(payload, 5 + metaLength, report, 0, report.length);
            ReportCodec.inflate(report, size); // the report must really be what the metadata says
            return new Snapshot(meta, report);
        } catch (MalformedRecord e) {
            throw e;
        } catch (Exception e) {
            throw new MalformedRecord("a snapshot record is not understood (" + e.getMessage() + ")", e);
        }
    }

    static byte[] end(long events, long snapshots, long records) throws IOException {
        ObjectNode o = Archive.JSON.createObjectNode();
        o.put("events", events);
        o.put("snapshots", snapshots);
        o.put("records", records);
        return typed(END, Archive.JSON.writeValueAsBytes(o));
    }

    /** {events, snapshots, records} as the end record states them. */
    static long[] parseEnd(byte[] payload) throws MalformedRecord {
        try {
            JsonNode o = Archive.JSON.readTree(payload, 1, payload.length - 1);
            return new long[] {longOf(o, "events"), longOf(o, "snapshots"), longOf(o, "records")};
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecord("the end record is not understood", e);
        }
    }

    private static byte[] typed(byte type, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = type;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    private static void string(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    private static String string(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) throw new IllegalArgumentException("bad string length " + n);
        String s = new String(in.array(), in.arrayOffset() + in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        return s;
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("missing " + field);
        return v;
    }

    private static Long optLong(JsonNode o, String field) {
        return o.hasNonNull(field) ? longOf(o, field) : null;
    }

    /** An integer field that fits a long exactly: a fraction, a string or 2^64 is refused, never truncated to fit. */
    private static long longOf(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " = " + clip(v.toString()) + " is not a whole number");
        }
        return v.longValue();
    }

    private static int intOf(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(field + " = " + clip(v.toString()) + " is not a whole number within "
                    + "the range of an int");
        }
        return v.intValue();
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
