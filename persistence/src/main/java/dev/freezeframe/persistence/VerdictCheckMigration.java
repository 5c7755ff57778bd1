package dev.freezeframe.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Widens the CHECK constraint on {@code runs.verdict} to admit {@code failed_expectation}. SQLite cannot alter a
 * constraint; rebuilding {@code runs} would mean re-pointing every table that references it. Loosening a CHECK does not
 * change stored data, so this uses SQLite's documented procedure for such changes (sqlite.org/lang_altertable.html,
 * "making other kinds of table schema changes"): edit the table's SQL in the schema and bump the schema version.
 */
final class VerdictCheckMigration {
    static final String OLD = "'inconclusive')";
    static final String NEW = "'inconclusive', 'failed_expectation')";

    private VerdictCheckMigration() {
    }

    static void run(Connection connection) throws SQLException {
        String sql;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'runs'")) {
            if (!rs.next()) throw new SQLException("the runs table is missing");
            sql = rs.getString(1);
        }
        if (sql.contains("'failed_expectation'")) return;
        if (!sql.contains(OLD)) throw new SQLException("unexpected runs table definition: " + sql);
        try (Statement s = connection.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA schema_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            s.execute("PRAGMA writable_schema = ON");
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'runs'")) {
                update.setString(1, sql.replace(OLD, NEW));
                update.executeUpdate();
            }
            s.execute("PRAGMA schema_version = " + (version + 1));
            s.execute("PRAGMA writable_schema = OFF");
        }
    }
}
