package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Writes snapshot rows: metadata in columns, the report compressed. Used by ingest and by the importers. */
final class SnapshotRows {
    static final String INSERT = """
            INSERT INTO snapshots (run_id, tag, kind, at_ns, step_index, placeholder, placeholder_reason,
                                   report_codec, report_size, report)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private SnapshotRows() {
    }

    static PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement(INSERT);
    }

    static void bind(PreparedStatement insert, long runId, SnapshotRecord s) throws SQLException {
        byte[] raw = s.reportJson().getBytes(StandardCharsets.UTF_8);
        if (raw.length > ReportCodec.MAX_REPORT_BYTES) {
            throw new ArchiveException("Snapshot '" + s.tag() + "' has a report of " + raw.length
                    + " bytes, more than the archive's limit of " + ReportCodec.MAX_REPORT_BYTES + " bytes.");
        }
        insert.setLong(1, runId);
        insert.setString(2, s.tag());
        insert.setString(3, s.kind().wireName());
        insert.setLong(4, s.atNanos());
        if (s.stepIndex().isPresent()) insert.setInt(5, s.stepIndex().get());
        else insert.setNull(5, Types.INTEGER);
        insert.setInt(6, s.placeholder() ? 1 : 0);
        insert.setString(7, s.placeholderReason().orElse(null));
        insert.setString(8, ReportCodec.CODEC);
        insert.setInt(9, raw.length);
        insert.setBytes(10, ReportCodec.compress(raw));
    }

    /** A snapshot's columns, with its report size (uncompressed bytes). */
    record Meta(String tag, String kind, long atNanos, Integer stepIndex, boolean placeholder,
                String placeholderReason, int reportSize) {
    }

    static void bindCompressed(PreparedStatement insert, long runId, Meta m, byte[] compressed) throws SQLException {
        insert.setLong(1, runId);
        insert.setString(2, m.tag());
        insert.setString(3, m.kind());
        insert.setLong(4, m.atNanos());
        if (m.stepIndex() != null) insert.setInt(5, m.stepIndex());
        else insert.setNull(5, Types.INTEGER);
        insert.setInt(6, m.placeholder() ? 1 : 0);
        insert.setString(7, m.placeholderReason());
        insert.setString(8, ReportCodec.CODEC);
        insert.setInt(9, m.reportSize());
        insert.setBytes(10, compressed);
    }

    static void insert(Connection connection, long runId, SnapshotRecord s) throws SQLException {
        try (PreparedStatement insert = prepare(connection)) {
            bind(insert, runId, s);
            insert.executeUpdate();
        }
    }
}
