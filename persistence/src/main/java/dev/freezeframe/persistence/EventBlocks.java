package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/** Reads events back out of a run's {@link EventBlock}s: in seq order across lanes, or one lane in a time window. */
final class EventBlocks {
    static final Comparator<RunEvent> BY_TIME = Comparator.comparingLong(RunEvent::atNanos)
            .thenComparingLong(RunEvent::seq);
    static final Comparator<RunEvent> BY_SEQ = Comparator.comparingLong(RunEvent::seq);

    private EventBlocks() {
    }

    /** One decoded block being merged, positioned at its next event. */
    private static final class Cursor {
        final List<RunEvent> events;
        int next;

        Cursor(List<RunEvent> events) {
            this.events = events;
        }

        long seq() {
            return events.get(next).seq();
        }
    }

    /**
     * Streams every event of {@code runId} in seq order. Blocks of different lanes overlap in seq (one batch holds
     * several lanes), so they are merged; a block is decoded only once the merge reaches its first seq, which keeps
     * one block per lane in memory.
     */
    static void forEachInSeqOrder(Connection connection, long runId, Consumer<RunEvent> sink) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT lane, first_seq, data FROM event_blocks WHERE run_id = ? ORDER BY first_seq, lane")) {
            select.setLong(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                PriorityQueue<Cursor> merge = new PriorityQueue<>(Comparator.comparingLong(Cursor::seq));
                boolean more = rs.next();
                while (true) {
                    while (more && (merge.isEmpty() || rs.getLong(2) <= merge.peek().seq())) {
                        List<RunEvent> events = decodeSorted(rs.getBytes(3), rs.getString(1), BY_SEQ);
                        if (!events.isEmpty()) merge.add(new Cursor(events));
                        more = rs.next();
                    }
                    Cursor c = merge.poll();
                    if (c == null) return;
                    sink.accept(c.events.get(c.next++));
                    if (c.next < c.events.size()) merge.add(c);
                }
            }
        }
    }

    /**
     * The events of one lane with {@code fromNs <= at_ns < toNs}, in time order (then seq), at most {@code limit}.
     * Blocks are read in order of their earliest event and reading stops once no later block can change the answer.
     */
    static List<RunEvent> inWindow(Connection connection, long runId, Lane lane, long fromNs, long toNs, int limit)
            throws SQLException {
        List<RunEvent> found = new ArrayList<>();
        if (limit <= 0 || toNs <= fromNs) return found;
        try (PreparedStatement select = blocksOverlapping(connection, runId, lane, fromNs, toNs)) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (found.size() >= limit) {
                        // every later block starts at or after this one; none can beat the limit-th event found
                        found.sort(BY_TIME);
                        found.subList(limit, found.size()).clear();
                        if (rs.getLong(1) > found.getLast().atNanos()) break;
                    }
                    for (RunEvent e : EventBlock.decode(rs.getBytes(2), lane)) {
                        if (e.atNanos() >= fromNs && e.atNanos() < toNs) found.add(e);
                    }
                }
            }
        }
        found.sort(BY_TIME);
        return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    }

    /**
     * Streams seq, time, kind and value of the events of one lane with {@code fromNs <= at_ns < toNs}, in no
     * particular order, without decoding their texts (see {@link EventBlock#scan}).
     */
    static void scanWindow(Connection connection, long runId, Lane lane, long fromNs, long toNs,
                           EventBlock.TimedSink sink) throws SQLException {
        if (toNs <= fromNs) return;
        try (PreparedStatement select = blocksOverlapping(connection, runId, lane, fromNs, toNs)) {
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    EventBlock.scan(rs.getBytes(2), (seq, at, kind, hasValue, value) -> {
                        if (at >= fromNs && at < toNs) sink.accept(seq, at, kind, hasValue, value);
                    });
                }
            }
        }
    }

    /** The blocks of one lane that may hold events in {@code [fromNs, toNs)}: columns min_at_ns, data. */
    private static PreparedStatement blocksOverlapping(Connection connection, long runId, Lane lane, long fromNs,
                                                       long toNs) throws SQLException {
        PreparedStatement select = connection.prepareStatement("""
                SELECT min_at_ns, data FROM event_blocks
                WHERE run_id = ? AND lane = ? AND max_at_ns >= ? AND min_at_ns < ? ORDER BY min_at_ns""");
        try {
            select.setLong(1, runId);
            select.setString(2, lane.wireName());
            select.setLong(3, fromNs);
            select.setLong(4, toNs);
            return select;
        } catch (SQLException e) {
            select.close();
            throw e;
        }
    }

    private static List<RunEvent> decodeSorted(byte[] data, String lane, Comparator<RunEvent> order) {
        List<RunEvent> events = EventBlock.decode(data, Lane.fromWireName(lane));
        for (int i = 1; i < events.size(); i++) {
            if (order.compare(events.get(i - 1), events.get(i)) > 0) {
                events.sort(order);
                break;
            }
        }
        return events;
    }
}
