package dev.freezeframe.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Data step of migration 4: indexes the numeric fields of every snapshot already in the archive, inflating and parsing
 * each report once. Placeholders have no fields; a report that is damaged or not JSON is skipped with a warning, as at
 * ingest, so one bad snapshot cannot keep an archive from opening.
 */
final class SnapshotFieldsMigration {
    private SnapshotFieldsMigration() {
    }

    static void run(Connection connection) throws SQLException {
        try (SnapshotFieldIndex index = new SnapshotFieldIndex(connection);
             Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT id, run_id, tag, report, report_size FROM snapshots WHERE placeholder = 0 ORDER BY id")) {
            while (rs.next()) {
                String snapshot = SnapshotFieldIndex.describe(rs.getString(3), rs.getLong(2));
                index.write(rs.getLong(1), SnapshotFieldIndex.fieldsOfCompressed(snapshot, rs.getBytes(4),
                        rs.getInt(5)));
            }
        }
    }
}
