package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of one run's event blocks beside their blobs (seq range, time range, count), held in memory per lane so
 * that paging by seq, counting and finding a time are binary searches instead of scans of the {@code event_blocks}
 * rows (10 M events are a few thousand blocks). Within a lane, blocks are disjoint in seq and in seq order, because a
 * lane's events are written in seq order. A live run's directory catches up with one index probe per use: a batch
 * committed later only adds blocks whose first seq is above every earlier one. Not thread-safe: one per connection.
 */
final class BlockDirectory {
    private static final int DECODED_BLOCKS = 24;

    /** One lane's blocks in seq order; parallel arrays. */
    static final class LaneBlocks {
        final Lane lane;
        long[] id = new long[16];
        long[] firstSeq = new long[16];
        long[] lastSeq = new long[16];
        /** The highest event time in this block or any earlier block of the lane (monotone, for time searches). */
        long[] reachedAt = new long[16];
        /** Events of the lane before this block. */
        long[] before = new long[16];
        int[] count = new int[16];
        int size;
        long total;

        LaneBlocks(Lane lane) {
            this.lane = lane;
        }

        void add(long blockId, long first, long last, long maxAt, int events) {
            if (size == id.length) {
                int n = size * 2;
                id = Arrays.copyOf(id, n);
                firstSeq = Arrays.copyOf(firstSeq, n);
                lastSeq = Arrays.copyOf(lastSeq, n);
                reachedAt = Arrays.copyOf(reachedAt, n);
                before = Arrays.copyOf(before, n);
                count = Arrays.copyOf(count, n);
            }
            id[size] = blockId;
            firstSeq[size] = first;
            lastSeq[size] = last;
            reachedAt[size] = size == 0 ? maxAt : Math.max(maxAt, reachedAt[size - 1]);
            before[size] = total;
            count[size] = events;
            total += events;
            size++;
        }

        /** The first block whose last seq is at least {@code seq} (it holds {@code seq} or starts after it); size if none. */
        int firstEndingAtOrAfter(long seq) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (lastSeq[mid] < seq) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        /** The last block whose first seq is below {@code seq}; -1 if none. */
        int lastStartingBefore(long seq) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (firstSeq[mid] < seq) lo = mid + 1;
                else hi = mid;
            }
            return lo - 1;
        }

        /** The first block that holds an event at or after {@code atNs} (earlier blocks end before it); size if none. */
        int firstReaching(long atNs) {
            int lo = 0;
            int hi = size;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (reachedAt[mid] < atNs) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        long maxSeq() {
            return size == 0 ? -1 : lastSeq[size - 1];
        }
    }

    private final long runId;
    private final LaneBlocks[] lanes = new LaneBlocks[Lane.values().length];
    private long maxFirstSeq = -1;
    private final Map<Long, List<RunEvent>> decoded = new LinkedHashMap<>(32, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<RunEvent>> eldest) {
            return size() > DECODED_BLOCKS;
        }
    };

    BlockDirectory(long runId) {
        this.runId = runId;
        for (Lane lane : Lane.values()) lanes[lane.ordinal()] = new LaneBlocks(lane);
    }

    long runId() {
        return runId;
    }

    LaneBlocks lane(Lane lane) {
        return lanes[lane.ordinal()];
    }

    /** Adds the blocks committed since the last call (all of them the first time). */
    void catchUp(Connection connection) throws SQLException {
        try (PreparedStatement probe = connection.prepareStatement(
                "SELECT max(first_seq) FROM event_blocks WHERE run_id = ?")) {
            probe.setLong(1, runId);
            try (ResultSet rs = probe.executeQuery()) {
                long newest = rs.next() ? rs.getLong(1) : -1;
                if (rs.wasNull()) newest = -1;
                if (newest < maxFirstSeq) clear(); // fewer blocks than before: the run was deleted (or replaced)
                if (newest <= maxFirstSeq) return;
            }
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, lane, first_seq, last_seq, max_at_ns, event_count FROM event_blocks
                WHERE run_id = ? AND first_seq > ? ORDER BY first_seq, lane""")) {
            select.setLong(1, runId);
            select.setLong(2, maxFirstSeq);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long first = rs.getLong(3);
                    lanes[Lane.fromWireName(rs.getString(2)).ordinal()].add(rs.getLong(1), first, rs.getLong(4),
                            rs.getLong(5), rs.getInt(6));
                    maxFirstSeq = Math.max(maxFirstSeq, first);
                }
            }
        }
    }

    private void clear() {
        for (Lane lane : Lane.values()) lanes[lane.ordinal()] = new LaneBlocks(lane);
        maxFirstSeq = -1;
        decoded.clear();
    }

    /** Events stored for the run (all lanes). */
    long total() {
        long n = 0;
        for (LaneBlocks l : lanes) n += l.total;
        return n;
    }

    /** The highest seq stored, or -1. */
    long maxSeq() {
        long max = -1;
        for (LaneBlocks l : lanes) max = Math.max(max, l.maxSeq());
        return max;
    }

    /** The events of block {@code i} of {@code lane}, in seq order; recently used blocks are kept decoded. */
    List<RunEvent> events(Connection connection, LaneBlocks lane, int i) throws SQLException {
        long blockId = lane.id[i];
        List<RunEvent> events = decoded.get(blockId);
        if (events != null) return events;
        try (PreparedStatement select = connection.prepareStatement("SELECT data FROM event_blocks WHERE id = ?")) {
            select.setLong(1, blockId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new ArchiveException("The events of run " + runId + " changed while they were read (was it "
                            + "deleted?). Open the run again.");
                }
                events = EventBlock.decode(rs.getBytes(1), lane.lane);
            }
        }
        events.sort(EventBlocks.BY_SEQ);
        List<RunEvent> stored = List.copyOf(events);
        decoded.put(blockId, stored);
        return stored;
    }

    /** Streams seq, time and kind of block {@code i} of {@code lane} without decoding texts. */
    void scan(Connection connection, LaneBlocks lane, int i, EventBlock.TimedSink sink) throws SQLException {
        List<RunEvent> cached = decoded.get(lane.id[i]);
        if (cached != null) {
            for (RunEvent e : cached) {
                sink.accept(e.seq(), e.atNanos(), e.kind(), e.value() != null,
                        e.value() == null ? Double.NaN : e.value());
            }
            return;
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT data FROM event_blocks WHERE id = ?")) {
            select.setLong(1, lane.id[i]);
            try (ResultSet rs = select.executeQuery()) {
                if (rs.next()) EventBlock.scan(rs.getBytes(1), sink);
            }
        }
    }
}
