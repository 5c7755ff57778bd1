package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/** Writes snapshot rows: metadata in columns, the report compressed. Used by ingest and by the importers. */
final class SnapshotRows {
    private static final String INSERT = """
            INSERT INTO snapshots (run_id, tag, kind, at_ns, step_index, placeholder, placeholder_reason,
                                   report_codec, report_size, report)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private SnapshotRows() {
    }

    /** The insert statement; {@link #insert} reads the new row's id from it. */
    static PreparedStatement prepare(Connection connection) throws SQLException {
        return connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS);
    }

    /** A snapshot's columns, with its report size (uncompressed bytes). */
    record Meta(String tag, String kind, long atNanos, Integer stepIndex, boolean placeholder,
                String placeholderReason, int reportSize) {
    }

    /** The report of {@code s} as UTF-8, refused when it is larger than an archive stores. */
    static byte[] reportBytes(SnapshotRecord s) {
        byte[] raw = s.reportJson().getBytes(StandardCharsets.UTF_8);
        if (raw.length > ReportCodec.MAX_REPORT_BYTES) {
            throw new ArchiveException("Snapshot '" + s.tag() + "' has a report of " + raw.length
                    + " bytes, more than the archive's limit of " + ReportCodec.MAX_REPORT_BYTES + " bytes.");
        }
        return raw;
    }

    static Meta meta(SnapshotRecord s, int reportSize) {
        return new Meta(s.tag(), s.kind().wireName(), s.atNanos(), s.stepIndex().orElse(null), s.placeholder(),
                s.placeholderReason().orElse(null), reportSize);
    }

    /** Inserts one snapshot row through {@code insert} (from {@link #prepare}) and returns its id. */
    static long insert(PreparedStatement insert, long runId, Meta m, byte[] compressed) throws SQLException {
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
        insert.executeUpdate();
        try (ResultSet keys = insert.getGeneratedKeys()) {
            if (!keys.next()) throw new SQLException("the snapshot insert returned no id");
            return keys.getLong(1);
        }
    }
}
