package dev.freezeframe.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/** Every column of a {@code runs} row; what export writes and import restores. Nullable columns are boxed. */
record RunRow(long startedAtMs, Long endedAtMs, String scheduler, String schedulerArgs, String scenario,
              String kernel, String kernelVersion, int vcpus, int memoryMib, String configJson, String verdict,
              String reason, Long durationMs, String archiveNote) {

    static final String COLUMNS = "started_at_ms, ended_at_ms, scheduler, scheduler_args, scenario, kernel, "
            + "kernel_version, vcpus, memory_mib, config_json, verdict, reason, duration_ms, archive_note";

    static long insert(Connection connection, RunRow r) throws SQLException {
        String sql = "INSERT INTO runs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            insert.setLong(1, r.startedAtMs);
            setLong(insert, 2, r.endedAtMs);
            insert.setString(3, r.scheduler);
            insert.setString(4, r.schedulerArgs == null ? "" : r.schedulerArgs);
            insert.setString(5, r.scenario);
            insert.setString(6, r.kernel);
            insert.setString(7, r.kernelVersion);
            insert.setInt(8, r.vcpus);
            insert.setInt(9, r.memoryMib);
            insert.setString(10, r.configJson);
            insert.setString(11, r.verdict);
            insert.setString(12, r.reason);
            setLong(insert, 13, r.durationMs);
            insert.setString(14, r.archiveNote);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                if (!keys.next()) throw new SQLException("no id generated for the new run");
                return keys.getLong(1);
            }
        }
    }

    static RunRow read(Connection connection, long runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
            select.setLong(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) return null;
                return new RunRow(rs.getLong(1), boxed(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9), rs.getString(10),
                        rs.getString(11), rs.getString(12), boxed(rs, 13), rs.getString(14));
            }
        }
    }

    private static Long boxed(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) s.setNull(index, Types.INTEGER);
        else s.setLong(index, value);
    }
}
