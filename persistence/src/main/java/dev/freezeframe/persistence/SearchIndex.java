package dev.freezeframe.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the free-text index from the text chunks the writer recorded: one FTS5 document per chunk, made of the texts
 * of the chunk's events (all lanes but the numeric stats lane), joined by newlines.
 */
final class SearchIndex {
    private SearchIndex() {
    }

    /**
     * Indexes up to {@code maxChunks} pending chunks in one transaction (or in the caller's, when one is open) and
     * returns how many it indexed.
     */
    static int indexPending(Connection connection, int maxChunks) throws SQLException {
        List<long[]> pending = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, run_id, first_seq, last_seq FROM text_chunks WHERE indexed = 0 ORDER BY id LIMIT ?")) {
            select.setInt(1, maxChunks);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) pending.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
            }
        }
        if (pending.isEmpty()) return 0;
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement texts = connection.prepareStatement("""
                SELECT text FROM events
                WHERE run_id = ? AND seq BETWEEN ? AND ? AND lane <> 'stats' AND text <> '' ORDER BY seq""");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO event_text (rowid, body) VALUES (?, ?)");
             PreparedStatement mark = connection.prepareStatement(
                     "UPDATE text_chunks SET indexed = 1 WHERE id = ?")) {
            for (long[] chunk : pending) {
                StringBuilder body = new StringBuilder();
                texts.setLong(1, chunk[1]);
                texts.setLong(2, chunk[2]);
                texts.setLong(3, chunk[3]);
                try (ResultSet rs = texts.executeQuery()) {
                    while (rs.next()) body.append(rs.getString(1)).append('\n');
                }
                insert.setLong(1, chunk[0]);
                insert.setString(2, body.toString());
                insert.executeUpdate();
                mark.setLong(1, chunk[0]);
                mark.executeUpdate();
            }
            if (autoCommit) connection.commit();
        } catch (SQLException | RuntimeException e) {
            if (autoCommit) connection.rollback();
            throw e;
        } finally {
            if (autoCommit) connection.setAutoCommit(true);
        }
        return pending.size();
    }

    /** Indexes every pending chunk. */
    static void indexAll(Connection connection) throws SQLException {
        while (indexPending(connection, 64) > 0) {
            // keep going until nothing is pending
        }
    }
}
