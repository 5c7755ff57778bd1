package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Data step of migration 3: moves every run's events from the row-per-event {@code events} table into event blocks,
 * rebuilding the level-of-detail pyramid on the way (the script emptied it: its levels changed), then drops the old
 * tables. Blocks are marked for search indexing, which happens lazily like for a live run.
 */
final class EventBlocksMigration {
    /** Events written per pass, as one live ingest batch would. */
    private static final int BATCH = 16_384;

    private EventBlocksMigration() {
    }

    static void run(Connection connection) throws SQLException {
        List<Long> runs = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT run_id FROM events ORDER BY run_id")) {
            while (rs.next()) runs.add(rs.getLong(1));
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT seq, at_ns, lane, kind, text, value, detail_json FROM events WHERE run_id = ? ORDER BY seq""")) {
            for (long runId : runs) {
                try (EventWriter writer = new EventWriter(connection, runId)) {
                    select.setLong(1, runId);
                    int pending = 0;
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            double v = rs.getDouble(6);
                            Double value = rs.wasNull() ? null : v;
                            writer.add(new RunEvent(rs.getLong(1), rs.getLong(2), Lane.fromWireName(rs.getString(3)),
                                    rs.getString(4), rs.getString(5), value, rs.getString(7)));
                            if (++pending == BATCH) {
                                writer.writePending();
                                pending = 0;
                            }
                        }
                    }
                    writer.writePending();
                }
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DROP TABLE text_chunks");
            s.execute("DROP TABLE events");
        }
    }
}
