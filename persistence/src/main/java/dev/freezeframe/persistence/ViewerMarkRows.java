package dev.freezeframe.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The {@code viewer_marks} rows of a run (the archive, the export and the import share them). */
final class ViewerMarkRows {
    private ViewerMarkRows() {
    }

    /** Marks first, each kind in the order it was saved. */
    static List<ViewerMark> read(Connection connection, long runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, path, label FROM viewer_marks WHERE run_id = ? ORDER BY kind, position")) {
            select.setLong(1, runId);
            List<ViewerMark> out = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(new ViewerMark(ViewerMark.Kind.of(rs.getString(1)), rs.getString(2), rs.getString(3)));
                }
            }
            return out;
        }
    }

    /** Replaces the run's rows of {@code kind} with those of {@code marks} of that kind; the caller's transaction. */
    static void replace(Connection connection, long runId, ViewerMark.Kind kind, List<ViewerMark> marks)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM viewer_marks WHERE run_id = ? AND kind = ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT OR REPLACE INTO viewer_marks (run_id, kind, path, label, position) VALUES (?, ?, ?, ?, ?)")) {
            delete.setLong(1, runId);
            delete.setString(2, kind.column());
            delete.executeUpdate();
            int position = 0;
            for (ViewerMark m : marks) {
                if (m.kind() != kind) continue;
                insert.setLong(1, runId);
                insert.setString(2, kind.column());
                insert.setString(3, m.path());
                insert.setString(4, m.label());
                insert.setInt(5, position++);
                insert.executeUpdate();
            }
        }
    }
}
