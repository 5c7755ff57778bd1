package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Paging through one run's events for the console and the events table: by seq across lanes, around a time, counts,
 * and the events matching a filter. Answered from the run's {@link BlockDirectory} (kept by the {@link Archive}, caught
 * up with the live writer on every call), so a 10 M-event run pages as fast as a small one: a page decodes a few
 * blocks. Seqs of recorded runs run from 0 without gaps, so in an unfiltered view row {@code i} is seq {@code i}.
 */
public final class EventQueries {
    private static final Set<Lane> ALL_LANES = Collections.unmodifiableSet(EnumSet.allOf(Lane.class));

    private final Archive archive;

    EventQueries(Archive archive) {
        this.archive = archive;
    }

    /** Events stored for the run, all lanes. */
    public long count(long runId) {
        return read(() -> directory(runId).total());
    }

    /** Events stored for the run in one lane. */
    public long count(long runId, Lane lane) {
        return read(() -> directory(runId).lane(lane).total);
    }

    /** The highest seq stored for the run, or -1 when it has no events. */
    public long lastSeq(long runId) {
        return read(() -> directory(runId).maxSeq());
    }

    /** The events with {@code fromSeq <= seq < toSeq}, all lanes, in seq order. */
    public List<RunEvent> bySeq(long runId, long fromSeq, long toSeq) {
        return read(() -> {
            BlockDirectory d = directory(runId);
            List<RunEvent> found = new ArrayList<>();
            if (toSeq <= fromSeq) return found;
            for (Lane lane : Lane.values()) {
                BlockDirectory.LaneBlocks blocks = d.lane(lane);
                for (int i = blocks.firstEndingAtOrAfter(fromSeq); i < blocks.size && blocks.firstSeq[i] < toSeq; i++) {
                    for (RunEvent e : d.events(connection(), blocks, i)) {
                        if (e.seq() >= fromSeq && e.seq() < toSeq) found.add(e);
                    }
                }
            }
            found.sort(EventBlocks.BY_SEQ);
            return found;
        });
    }

    /** The seq of the first event of {@code lane} (in seq order) at or after {@code atNs}, or empty when none. */
    public OptionalLong firstSeqAtOrAfter(long runId, Lane lane, long atNs) {
        return firstSeqAtOrAfter(runId, Set.of(lane), atNs);
    }

    /** The lowest seq among {@code lanes}' first events at or after {@code atNs} (all lanes when empty). */
    public OptionalLong firstSeqAtOrAfter(long runId, Set<Lane> lanes, long atNs) {
        return read(() -> {
            BlockDirectory d = directory(runId);
            long best = Long.MAX_VALUE;
            for (Lane lane : scope(lanes)) {
                BlockDirectory.LaneBlocks blocks = d.lane(lane);
                int i = blocks.firstReaching(atNs);
                if (i == blocks.size || blocks.firstSeq[i] >= best) continue;
                long[] first = {Long.MAX_VALUE};
                // blocks before i end before atNs; block i holds an event at or after it
                d.scan(connection(), blocks, i, (seq, at, kind, hasValue, value) -> {
                    if (at >= atNs && seq < first[0]) first[0] = seq;
                });
                best = Math.min(best, first[0]);
            }
            return best == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(best);
        });
    }

    /** Up to {@code limit} events of {@code lanes} with seq at or above {@code fromSeq}, in seq order. */
    public EventPage after(long runId, Set<Lane> lanes, long fromSeq, int limit) {
        return read(() -> {
            Slice s = forward(directory(runId), scope(lanes), fromSeq, limit);
            return new EventPage(s.events, -1, false, s.exhausted);
        });
    }

    /** Up to {@code limit} events of {@code lanes} with seq below {@code beforeSeq}: the last ones, in seq order. */
    public EventPage before(long runId, Set<Lane> lanes, long beforeSeq, int limit) {
        return read(() -> {
            Slice s = backward(directory(runId), scope(lanes), beforeSeq, limit);
            return new EventPage(s.events, -1, s.exhausted, false);
        });
    }

    /**
     * The events of {@code lanes} around a time: up to {@code before} events before the first one at or after
     * {@code atNs} (the anchor), the anchor and up to {@code after - 1} after it. Past the last event, the tail.
     */
    public EventPage around(long runId, Set<Lane> lanes, long atNs, int before, int after) {
        return read(() -> {
            OptionalLong anchor = firstSeqAtOrAfter(runId, lanes, atNs);
            if (anchor.isEmpty()) {
                Slice tail = backward(directory(runId), scope(lanes), Long.MAX_VALUE, before + after);
                return new EventPage(tail.events, -1, tail.exhausted, true);
            }
            return aroundSeq(runId, lanes, anchor.getAsLong(), before, after);
        });
    }

    /** Like {@link #around} with the anchor given by its seq (the first event of the lanes at or after it). */
    public EventPage aroundSeq(long runId, Set<Lane> lanes, long seq, int before, int after) {
        return read(() -> {
            BlockDirectory d = directory(runId);
            Slice back = backward(d, scope(lanes), seq, before);
            Slice ahead = forward(d, scope(lanes), seq, after);
            List<RunEvent> events = new ArrayList<>(back.events.size() + ahead.events.size());
            events.addAll(back.events);
            events.addAll(ahead.events);
            int anchor = ahead.events.isEmpty() ? -1 : back.events.size();
            return new EventPage(events, anchor, back.exhausted, ahead.exhausted);
        });
    }

    /**
     * The events matching {@code filter} with seq above {@code afterSeq} (-1 for all), as refs in seq order. A kind or
     * lane filter scans the blocks without decoding their texts; a text filter reads only the blocks the search index
     * names.
     */
    public EventRefs matching(long runId, EventFilter filter, long afterSeq) {
        Optional<TextMatch> text = TextMatch.of(filter.text());
        if (!filter.text().isEmpty() && text.isEmpty()) return EventRefs.EMPTY; // only punctuation: nothing can match
        if (text.isPresent()) new RunQueries(archive).catchUpSearchIndex();
        return read(() -> {
            BlockDirectory d = directory(runId);
            List<long[]> perLane = new ArrayList<>();
            List<Lane> laneOf = new ArrayList<>();
            for (Lane lane : scope(filter.lanes())) {
                BlockDirectory.LaneBlocks blocks = d.lane(lane);
                LongList seqs = new LongList();
                int start = blocks.firstEndingAtOrAfter(afterSeq + 1);
                if (text.isPresent()) {
                    if (!SearchIndex.searchable(lane)) continue;
                    Set<Long> candidates = blocksMatching(runId, lane, afterSeq, text.get());
                    for (int i = start; i < blocks.size; i++) {
                        if (!candidates.contains(blocks.id[i])) continue;
                        for (RunEvent e : d.events(connection(), blocks, i)) {
                            if (e.seq() > afterSeq && (filter.kinds().isEmpty() || filter.kinds().contains(e.kind()))
                                    && text.get().matches(e.text())) {
                                seqs.add(e.seq());
                            }
                        }
                    }
                } else {
                    for (int i = start; i < blocks.size; i++) {
                        d.scan(connection(), blocks, i, (seq, at, kind, hasValue, value) -> {
                            if (seq > afterSeq && (filter.kinds().isEmpty() || filter.kinds().contains(kind))) {
                                seqs.add(seq);
                            }
                        });
                    }
                }
                if (seqs.size > 0) {
                    long[] sorted = Arrays.copyOf(seqs.values, seqs.size);
                    Arrays.sort(sorted);
                    perLane.add(sorted);
                    laneOf.add(lane);
                }
            }
            return merge(perLane, laneOf);
        });
    }

    /** The events of {@code refs} at indexes {@code [from, to)}, in that order. */
    public List<RunEvent> events(long runId, EventRefs refs, int from, int to) {
        return read(() -> {
            BlockDirectory d = directory(runId);
            List<RunEvent> found = new ArrayList<>(Math.max(0, to - from));
            for (int r = from; r < to; r++) {
                long seq = refs.seq(r);
                BlockDirectory.LaneBlocks blocks = d.lane(refs.lane(r));
                int i = blocks.firstEndingAtOrAfter(seq);
                if (i == blocks.size || blocks.firstSeq[i] > seq) throw missing(runId, seq);
                List<RunEvent> events = d.events(connection(), blocks, i);
                int at = Collections.binarySearch(events, RunEvent.of(seq, 0, blocks.lane, "", ""),
                        EventBlocks.BY_SEQ);
                if (at < 0) throw missing(runId, seq);
                found.add(events.get(at));
            }
            return found;
        });
    }

    // ---- internals ----

    private record Slice(List<RunEvent> events, boolean exhausted) {
    }

    private Slice forward(BlockDirectory d, Set<Lane> lanes, long fromSeq, int limit) throws SQLException {
        List<RunEvent> found = new ArrayList<>();
        boolean exhausted = true;
        for (Lane lane : lanes) {
            BlockDirectory.LaneBlocks blocks = d.lane(lane);
            int taken = 0;
            int i = blocks.firstEndingAtOrAfter(fromSeq);
            for (; i < blocks.size && taken < limit; i++) {
                for (RunEvent e : d.events(connection(), blocks, i)) {
                    if (e.seq() >= fromSeq && taken < limit) {
                        found.add(e);
                        taken++;
                    }
                }
            }
            if (i < blocks.size || taken >= limit) exhausted = false;
        }
        found.sort(EventBlocks.BY_SEQ);
        if (found.size() > limit) {
            exhausted = false;
            found = new ArrayList<>(found.subList(0, limit));
        }
        return new Slice(found, exhausted);
    }

    private Slice backward(BlockDirectory d, Set<Lane> lanes, long beforeSeq, int limit) throws SQLException {
        List<RunEvent> found = new ArrayList<>();
        boolean exhausted = true;
        for (Lane lane : lanes) {
            BlockDirectory.LaneBlocks blocks = d.lane(lane);
            int taken = 0;
            int i = blocks.lastStartingBefore(beforeSeq);
            for (; i >= 0 && taken < limit; i--) {
                List<RunEvent> events = d.events(connection(), blocks, i);
                for (int k = events.size() - 1; k >= 0 && taken < limit; k--) {
                    if (events.get(k).seq() < beforeSeq) {
                        found.add(events.get(k));
                        taken++;
                    }
                }
            }
            if (i >= 0 || taken >= limit) exhausted = false;
        }
        found.sort(EventBlocks.BY_SEQ);
        if (found.size() > limit) {
            exhausted = false;
            found = new ArrayList<>(found.subList(found.size() - limit, found.size()));
        }
        return new Slice(found, exhausted);
    }

    /** The ids of a lane's blocks holding every word of {@code match} somewhere, past {@code afterSeq}. */
    private Set<Long> blocksMatching(long runId, Lane lane, long afterSeq, TextMatch match) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (PreparedStatement select = connection().prepareStatement("""
                SELECT id FROM event_blocks
                WHERE run_id = ? AND lane = ? AND last_seq > ?
                  AND id IN (SELECT rowid FROM event_text WHERE event_text MATCH ?)""")) {
            select.setLong(1, runId);
            select.setString(2, lane.wireName());
            select.setLong(3, afterSeq);
            select.setString(4, match.ftsQuery());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Merges per-lane ascending seqs into one ascending list of refs. */
    private static EventRefs merge(List<long[]> perLane, List<Lane> laneOf) {
        int total = 0;
        for (long[] a : perLane) total += a.length;
        long[] seqs = new long[total];
        byte[] lanes = new byte[total];
        int[] next = new int[perLane.size()];
        for (int out = 0; out < total; out++) {
            int best = -1;
            for (int k = 0; k < perLane.size(); k++) {
                if (next[k] < perLane.get(k).length
                        && (best < 0 || perLane.get(k)[next[k]] < perLane.get(best)[next[best]])) {
                    best = k;
                }
            }
            seqs[out] = perLane.get(best)[next[best]++];
            lanes[out] = (byte) laneOf.get(best).ordinal();
        }
        return new EventRefs(seqs, lanes, total);
    }

    private static Set<Lane> scope(Set<Lane> lanes) {
        return lanes.isEmpty() ? ALL_LANES : lanes;
    }

    private ArchiveException missing(long runId, long seq) {
        return new ArchiveException("Event " + seq + " of run " + runId + " is no longer in " + archive.path()
                + "; open the run again.");
    }

    private BlockDirectory directory(long runId) throws SQLException {
        return archive.blockDirectory(runId);
    }

    private Connection connection() {
        return archive.connection();
    }

    private interface Query<T> {
        T run() throws SQLException;
    }

    private <T> T read(Query<T> query) {
        try {
            return query.run();
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** A growable array of longs (a filter may match millions of events). */
    private static final class LongList {
        long[] values = new long[256];
        int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }
    }
}
