package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one run's events (in {@link EventBlock}s, one per lane and batch) and snapshots through prepared statements,
 * keeping the run's level-of-detail pyramid and its snapshots' field index ({@link SnapshotFieldIndex}) in step. The
 * caller owns the transaction: it adds items, calls {@link #writePending} and commits; after a rollback it drops the
 * writer. Used by the live ingest's writer thread and by the importers. Not thread-safe.
 */
final class EventWriter implements AutoCloseable {
    private record TileKey(Lane lane, String kind, int level, long tile) {
    }

    /** A snapshot row waiting for {@link #writePending}, with the numeric fields of its report. */
    private record PendingSnapshot(SnapshotRows.Meta meta, byte[] compressedReport,
                                   Map<String, Map<String, Double>> fields) {
    }

    private final long runId;
    private final Connection connection;
    private final PreparedStatement insertBlock;
    private final PreparedStatement storeTile;
    private final PreparedStatement loadTile;
    private final PreparedStatement insertSnapshot;
    /** Made with the first snapshot: migration 3 writes events through this class before the field tables exist. */
    private SnapshotFieldIndex fieldIndex;
    private final Map<TileKey, byte[]> pendingTiles = new LinkedHashMap<>();
    private final LodPyramid pyramid;
    private SQLException loadFailure;
    /** Events added since the last {@link #writePending}, by lane ordinal. */
    @SuppressWarnings("unchecked")
    private final List<RunEvent>[] pendingEvents = new List[Lane.values().length];
    private final EventBlock.Sink blockBytes = new EventBlock.Sink();
    private final List<PendingSnapshot> pendingSnapshots = new ArrayList<>();
    /** The highest seq written for this run so far; seqs must rise so that each event has its own. */
    private long lastSeq;

    EventWriter(Connection connection, long runId) throws SQLException {
        this.runId = runId;
        this.connection = connection;
        insertBlock = connection.prepareStatement("""
                INSERT INTO event_blocks (run_id, lane, first_seq, last_seq, min_at_ns, max_at_ns, event_count,
                                          text_state, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""");
        storeTile = connection.prepareStatement(
                "INSERT OR REPLACE INTO lod_tiles (run_id, lane, level, tile, kind, data) VALUES (?, ?, ?, ?, ?, ?)");
        loadTile = connection.prepareStatement(
                "SELECT data FROM lod_tiles WHERE run_id = ? AND lane = ? AND level = ? AND tile = ? AND kind = ?");
        try (PreparedStatement last = connection.prepareStatement(
                "SELECT max(last_seq) FROM event_blocks WHERE run_id = ?")) {
            last.setLong(1, runId);
            try (ResultSet rs = last.executeQuery()) {
                lastSeq = rs.next() && rs.getObject(1) != null ? rs.getLong(1) : Long.MIN_VALUE;
            }
        }
        insertSnapshot = SnapshotRows.prepare(connection);
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

    /** Adds one event; its seq must be higher than every seq of the run written before. */
    void add(RunEvent e) {
        if (e.seq() <= lastSeq) {
            throw new ArchiveException("Event " + e.seq() + " of run " + runId + " arrived after event " + lastSeq
                    + "; a run's events must be stored in seq order, each with its own seq.");
        }
        lastSeq = e.seq();
        List<RunEvent> lane = pendingEvents[e.lane().ordinal()];
        if (lane == null) lane = pendingEvents[e.lane().ordinal()] = new ArrayList<>();
        lane.add(e);
        pyramid.add(e.lane(), e.kind(), e.atNanos(), e.value(), e.seq());
    }

    /** A snapshot with its report as JSON text (live ingest, ktstr import): compressed and its fields read now. */
    void add(SnapshotRecord s) {
        byte[] raw = SnapshotRows.reportBytes(s);
        Map<String, Map<String, Double>> fields = s.placeholder() ? Map.of()
                : SnapshotFieldIndex.fieldsOf(SnapshotFieldIndex.describe(s.tag(), runId), raw);
        pendingSnapshots.add(new PendingSnapshot(SnapshotRows.meta(s, raw.length), ReportCodec.compress(raw), fields));
    }

    /** A snapshot whose report is already compressed (an import): stored as is, inflated once to index its fields. */
    void addCompressed(SnapshotRows.Meta meta, byte[] compressedReport) {
        Map<String, Map<String, Double>> fields = meta.placeholder() ? Map.of()
                : SnapshotFieldIndex.fieldsOfCompressed(SnapshotFieldIndex.describe(meta.tag(), runId),
                        compressedReport, meta.reportSize());
        pendingSnapshots.add(new PendingSnapshot(meta, compressedReport, fields));
    }

    /**
     * Writes everything added since the last call (event blocks, pyramid tiles, snapshots and their fields); no commit.
     */
    void writePending() throws SQLException {
        boolean blocks = false;
        for (List<RunEvent> lane : pendingEvents) {
            if (lane == null || lane.isEmpty()) continue;
            for (int from = 0; from < lane.size(); from += EventBlock.MAX_EVENTS) {
                addBlock(lane.subList(from, Math.min(lane.size(), from + EventBlock.MAX_EVENTS)));
                blocks = true;
            }
            lane.clear();
        }
        if (blocks) insertBlock.executeBatch();
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
        // a row each: the field values need the snapshot's id (snapshots are rare, a few per second at most)
        if (!pendingSnapshots.isEmpty() && fieldIndex == null) fieldIndex = new SnapshotFieldIndex(connection);
        for (PendingSnapshot s : pendingSnapshots) {
            long id = SnapshotRows.insert(insertSnapshot, runId, s.meta(), s.compressedReport());
            fieldIndex.write(id, s.fields());
        }
        pendingSnapshots.clear();
    }

    private void addBlock(List<RunEvent> events) throws SQLException {
        long firstSeq = Long.MAX_VALUE;
        long lastSeq = Long.MIN_VALUE;
        long minAt = Long.MAX_VALUE;
        long maxAt = Long.MIN_VALUE;
        boolean text = false;
        for (RunEvent e : events) {
            firstSeq = Math.min(firstSeq, e.seq());
            lastSeq = Math.max(lastSeq, e.seq());
            minAt = Math.min(minAt, e.atNanos());
            maxAt = Math.max(maxAt, e.atNanos());
            text |= !e.text().isEmpty();
        }
        Lane lane = events.getFirst().lane();
        insertBlock.setLong(1, runId);
        insertBlock.setString(2, lane.wireName());
        insertBlock.setLong(3, firstSeq);
        insertBlock.setLong(4, lastSeq);
        insertBlock.setLong(5, minAt);
        insertBlock.setLong(6, maxAt);
        insertBlock.setInt(7, events.size());
        insertBlock.setInt(8, text && SearchIndex.searchable(lane) ? SearchIndex.PENDING : SearchIndex.NOTHING);
        insertBlock.setBytes(9, EventBlock.encode(events, blockBytes));
        insertBlock.addBatch();
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement s : new PreparedStatement[] {insertBlock, storeTile, loadTile, insertSnapshot}) {
            s.close();
        }
        if (fieldIndex != null) fieldIndex.close();
    }
}
