package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fills the free-text index from the event blocks the writer stored: one FTS5 document per block with text, made of
 * its events' texts joined by newlines, its rowid the block id. The writer only marks blocks as pending; indexing runs
 * when the writer is idle, when the ingest closes and before any text search, so it never slows a live run down.
 */
final class SearchIndex {
    /** {@code event_blocks.text_state}: nothing to index. */
    static final int NOTHING = 0;
    /** {@code event_blocks.text_state}: text waiting to be indexed. */
    static final int PENDING = 1;
    /** {@code event_blocks.text_state}: indexed. */
    static final int INDEXED = 2;

    private SearchIndex() {
    }

    /** Whether a lane's texts are searched: all lanes but the numeric stats lane. */
    static boolean searchable(Lane lane) {
        return lane != Lane.STATS;
    }

    /**
     * Indexes up to {@code maxBlocks} pending blocks in one transaction (or in the caller's, when one is open) and
     * returns how many it indexed.
     */
    static int indexPending(Connection connection, int maxBlocks) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        int indexed = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, lane, data FROM event_blocks WHERE text_state = 1 ORDER BY id LIMIT ?");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO event_text (rowid, body) VALUES (?, ?)");
             PreparedStatement mark = connection.prepareStatement(
                     "UPDATE event_blocks SET text_state = 2 WHERE id = ?")) {
            select.setInt(1, maxBlocks);
            List<Object[]> pending = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) pending.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getBytes(3)});
            }
            for (Object[] block : pending) {
                StringBuilder body = new StringBuilder();
                for (RunEvent e : EventBlock.decode((byte[]) block[2], Lane.fromWireName((String) block[1]))) {
                    if (!e.text().isEmpty()) body.append(e.text()).append('\n');
                }
                insert.setLong(1, (Long) block[0]);
                insert.setString(2, body.toString());
                insert.executeUpdate();
                mark.setLong(1, (Long) block[0]);
                mark.executeUpdate();
                indexed++;
            }
            if (autoCommit) connection.commit();
        } catch (SQLException | RuntimeException e) {
            if (autoCommit) connection.rollback();
            throw e;
        } finally {
            if (autoCommit) connection.setAutoCommit(true);
        }
        return indexed;
    }

    /**
     * Indexes every pending block. The connection must take the write lock when its transactions begin
     * ({@link Archive#connectWriter}): indexing reads then writes, and a plain connection would fail the moment a live
     * writer commits in between.
     */
    static void indexAll(Connection connection) throws SQLException {
        while (indexPending(connection, 64) > 0) {
            // keep going until nothing is pending
        }
    }

    /** Whether any block waits to be indexed (cheap: a partial index holds exactly those). */
    static boolean anyPending(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM event_blocks WHERE text_state = 1 LIMIT 1");
             ResultSet rs = select.executeQuery()) {
            return rs.next();
        }
    }
}
