package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one run's events and snapshots through prepared statements, keeping the run's level-of-detail pyramid and
 * search chunks in step. The caller owns the transaction: it adds items, calls {@link #writePending} and commits.
 * Used by the live ingest's writer thread and by the importers. Not thread-safe.
 */
final class EventWriter implements AutoCloseable {
    private record TileKey(Lane lane, String kind, int level, long tile) {
    }

    private final long runId;
    private final PreparedStatement insertEvent;
    private final PreparedStatement storeTile;
    private final PreparedStatement loadTile;
    private final PreparedStatement insertChunk;
    private final PreparedStatement insertSnapshot;
    private final PreparedStatement insertRawSnapshot;
    private final Map<TileKey, byte[]> pendingTiles = new LinkedHashMap<>();
    private final LodPyramid pyramid;
    private SQLException loadFailure;
    private int pendingEvents;
    private int pendingSnapshots;
    private long firstTextSeq = -1;
    private long lastTextSeq = -1;

    EventWriter(Connection connection, long runId) throws SQLException {
        this.runId = runId;
        insertEvent = connection.prepareStatement("""
                INSERT INTO events (run_id, seq, at_ns, lane, kind, text, value, detail_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""");
        storeTile = connection.prepareStatement(
                "INSERT OR REPLACE INTO lod_tiles (run_id, lane, level, tile, kind, data) VALUES (?, ?, ?, ?, ?, ?)");
        loadTile = connection.prepareStatement(
                "SELECT data FROM lod_tiles WHERE run_id = ? AND lane = ? AND level = ? AND tile = ? AND kind = ?");
        insertChunk = connection.prepareStatement(
                "INSERT INTO text_chunks (run_id, first_seq, last_seq) VALUES (?, ?, ?)");
        insertSnapshot = SnapshotRows.prepare(connection);
        insertRawSnapshot = connection.prepareStatement(SnapshotRows.INSERT);
        pyramid = new LodPyramid(new LodPyramid.TileStore() {
            @Override
            public byte[] load(Lane lane, String kind, int level, long tile) {
                byte[] pending = pendingTiles.get(new TileKey(lane, kind, level, tile));
                if (pending != null) return pending;
                try {
                    loadTile.setLong(1, runId);
                    loadTile.setString(2, lane.wireName());
                    loadTile.setInt(3, level);
                    loadTile.setLong(4, tile);
                    loadTile.setString(5, kind);
                    try (ResultSet rs = loadTile.executeQuery()) {
                        return rs.next() ? rs.getBytes(1) : null;
                    }
                } catch (SQLException e) {
                    loadFailure = e;
                    return null;
                }
            }

            @Override
            public void store(Lane lane, String kind, int level, long tile, byte[] data) {
                pendingTiles.put(new TileKey(lane, kind, level, tile), data);
            }
        });
    }

    void add(RunEvent e) throws SQLException {
        insertEvent.setLong(1, runId);
        insertEvent.setLong(2, e.seq());
        insertEvent.setLong(3, e.atNanos());
        insertEvent.setString(4, e.lane().wireName());
        insertEvent.setString(5, e.kind());
        insertEvent.setString(6, e.text());
        if (e.value() == null) insertEvent.setNull(7, Types.REAL);
        else insertEvent.setDouble(7, e.value());
        insertEvent.setString(8, e.detailJson());
        insertEvent.addBatch();
        pendingEvents++;
        pyramid.add(e.lane(), e.kind(), e.atNanos(), e.value(), e.seq());
        if (e.lane() != Lane.STATS && !e.text().isEmpty()) {
            if (firstTextSeq < 0) firstTextSeq = e.seq();
            lastTextSeq = e.seq();
        }
    }

    void add(SnapshotRecord s) throws SQLException {
        SnapshotRows.bind(insertSnapshot, runId, s);
        insertSnapshot.addBatch();
        pendingSnapshots++;
    }

    /** A snapshot whose report is already compressed (an import): stored as is. */
    void addCompressed(SnapshotRows.Meta meta, byte[] compressedReport) throws SQLException {
        SnapshotRows.bindCompressed(insertRawSnapshot, runId, meta, compressedReport);
        insertRawSnapshot.addBatch();
        pendingSnapshots++;
    }

    /** Writes everything added since the last call (events, pyramid tiles, search chunk, snapshots); no commit. */
    void writePending() throws SQLException {
        if (pendingEvents > 0) {
            insertEvent.executeBatch();
            pendingEvents = 0;
        }
        pyramid.flushOpen();
        if (loadFailure != null) throw loadFailure;
        if (!pendingTiles.isEmpty()) {
            for (Map.Entry<TileKey, byte[]> t : pendingTiles.entrySet()) {
                storeTile.setLong(1, runId);
                storeTile.setString(2, t.getKey().lane().wireName());
                storeTile.setInt(3, t.getKey().level());
                storeTile.setLong(4, t.getKey().tile());
                storeTile.setString(5, t.getKey().kind());
                storeTile.setBytes(6, t.getValue());
                storeTile.addBatch();
            }
            pendingTiles.clear();
            storeTile.executeBatch();
        }
        if (firstTextSeq >= 0) {
            insertChunk.setLong(1, runId);
            insertChunk.setLong(2, firstTextSeq);
            insertChunk.setLong(3, lastTextSeq);
            insertChunk.executeUpdate();
            firstTextSeq = -1;
            lastTextSeq = -1;
        }
        if (pendingSnapshots > 0) {
            insertSnapshot.executeBatch();
            insertRawSnapshot.executeBatch();
            pendingSnapshots = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement s : new PreparedStatement[] {insertEvent, storeTile, loadTile, insertChunk,
                insertSnapshot, insertRawSnapshot}) {
            s.close();
        }
    }
}
