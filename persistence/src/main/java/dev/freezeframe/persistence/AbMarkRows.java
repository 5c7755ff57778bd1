package dev.freezeframe.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code ab_marks} rows: the archive's A/B groups, in the order their runs were marked. */
final class AbMarkRows {
    private AbMarkRows() {
    }

    static List<AbMark> read(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT run_id, side FROM ab_marks ORDER BY position");
             ResultSet rs = select.executeQuery()) {
            List<AbMark> out = new ArrayList<>();
            while (rs.next()) out.add(new AbMark(rs.getLong(1), AbMark.Side.valueOf(rs.getString(2))));
            return out;
        }
    }

    /** Replaces every row with {@code marks}, in their order, skipping runs that are gone; the caller's transaction. */
    static void replace(Connection connection, List<AbMark> marks) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM ab_marks");
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT OR REPLACE INTO ab_marks (run_id, side, position)
                     SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?)""")) {
            delete.executeUpdate();
            int position = 0;
            for (AbMark m : marks) {
                insert.setLong(1, m.runId());
                insert.setString(2, m.side().name());
                insert.setInt(3, position++);
                insert.setLong(4, m.runId());
                insert.executeUpdate();
            }
        }
    }
}
