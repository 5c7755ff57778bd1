package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Summaries of a time range of one run ({@link RangeSummary}), exact for any run size: only the event blocks that
 * overlap the range are read; a block wholly inside it counts from its stored count and time range without being
 * decoded, unless its values or texts are needed (series, the console digest, watch hits).
 */
public final class RangeQueries {
    /** The console digest reads at most this many line texts; counts stay exact beyond it. */
    static final int DIGEST_TEXTS = 200_000;
    private static final int MOST_REPEATED = 5;
    private static final int MESSAGE_CHARS = 160;
    /** What reads as an error in a line: the kernel's and schedulers' usual words for it. */
    private static final Pattern ERROR_WORDS = Pattern.compile(
            "(?i)\\b(error|errors|failed|failure|panic|oops|bug:|stall|stalled|warning:)");
    private static final Pattern NUMBERS = Pattern.compile("0x[0-9a-fA-F]+|\\d+");

    private final Archive archive;

    RangeQueries(Archive archive) {
        this.archive = archive;
    }

    /** What happened in run {@code runId} between {@code fromNs} and {@code toNs} (both inclusive). */
    public RangeSummary summarize(long runId, long fromNs, long toNs) {
        if (toNs < fromNs) throw new IllegalArgumentException("the range ends before it starts");
        try {
            Accumulator acc = new Accumulator(fromNs, toNs);
            try (PreparedStatement blocks = archive.connection().prepareStatement("""
                    SELECT id, lane, min_at_ns, max_at_ns, event_count FROM event_blocks
                    WHERE run_id = ? AND max_at_ns >= ? AND min_at_ns <= ? ORDER BY first_seq, lane""");
                 PreparedStatement data = archive.connection().prepareStatement(
                         "SELECT data FROM event_blocks WHERE id = ?")) {
                blocks.setLong(1, runId);
                blocks.setLong(2, fromNs);
                blocks.setLong(3, toNs);
                try (ResultSet rs = blocks.executeQuery()) {
                    while (rs.next()) {
                        acc.block(Lane.fromWireName(rs.getString(2)), rs.getLong(1), rs.getLong(3), rs.getLong(4),
                                rs.getInt(5), data);
                    }
                }
            }
            return acc.result();
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** The message shape a line is counted under: numbers folded to {@code #}, cut to a readable length. */
    static String shape(String text) {
        String s = NUMBERS.matcher(text.strip()).replaceAll("#");
        return s.length() <= MESSAGE_CHARS ? s : s.substring(0, MESSAGE_CHARS - 1) + "…";
    }

    static boolean readsAsError(RunEvent e) {
        return e.lane() == Lane.SCHEDULER && e.kind().equals("error") || ERROR_WORDS.matcher(e.text()).find();
    }

    private static final class LaneAcc {
        long count;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        void add(long atNs) {
            count++;
            first = Math.min(first, atNs);
            last = Math.max(last, atNs);
        }
    }

    private static final class SeriesAcc {
        long count;
        long firstNs = Long.MAX_VALUE;
        long firstSeq;
        double first;
        long lastNs = Long.MIN_VALUE;
        long lastSeq;
        double last;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(long seq, long at, double v) {
            count++;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (at < firstNs || at == firstNs && seq < firstSeq) {
                firstNs = at;
                firstSeq = seq;
                first = v;
            }
            if (at > lastNs || at == lastNs && seq > lastSeq) {
                lastNs = at;
                lastSeq = seq;
                last = v;
            }
        }
    }

    private static final class Accumulator {
        final long from;
        final long to;
        final Map<Lane, LaneAcc> lanes = new EnumMap<>(Lane.class);
        final Map<String, SeriesAcc> series = new TreeMap<>();
        final Map<String, Long> shapes = new HashMap<>();
        final Map<Integer, Long> hits = new TreeMap<>();
        long stderr;
        long errors;
        long textsRead;
        boolean truncated;

        Accumulator(long from, long to) {
            this.from = from;
            this.to = to;
        }

        void block(Lane lane, long id, long minAt, long maxAt, int count, PreparedStatement data) throws SQLException {
            LaneAcc l = lanes.computeIfAbsent(lane, k -> new LaneAcc());
            boolean inside = minAt >= from && maxAt <= to;
            boolean console = lane == Lane.CONSOLE || lane == Lane.SCHEDULER;
            if (lane == Lane.STATS) {
                EventBlock.scan(blob(data, id), (seq, at, kind, hasValue, value) -> {
                    if (at < from || at > to) return;
                    l.add(at);
                    if (hasValue && Double.isFinite(value)) {
                        series.computeIfAbsent(kind, k -> new SeriesAcc()).add(seq, at, value);
                    }
                });
            } else if (lane == Lane.WATCHPOINTS || console && textsRead < DIGEST_TEXTS) {
                for (RunEvent e : EventBlock.decode(blob(data, id), lane)) {
                    if (e.atNanos() >= from && e.atNanos() <= to) event(l, e);
                }
            } else if (console) {
                EventBlock.scan(blob(data, id), (seq, at, kind, hasValue, value) -> {
                    if (at < from || at > to) return;
                    truncated = true;
                    l.add(at);
                    if (lane == Lane.SCHEDULER && kind.equals("stderr")) stderr++;
                    if (lane == Lane.SCHEDULER && kind.equals("error")) errors++;
                });
            } else if (inside) {
                l.count += count;
                l.first = Math.min(l.first, minAt);
                l.last = Math.max(l.last, maxAt);
            } else {
                EventBlock.scan(blob(data, id), (seq, at, kind, hasValue, value) -> {
                    if (at >= from && at <= to) l.add(at);
                });
            }
        }

        private void event(LaneAcc l, RunEvent e) {
            l.add(e.atNanos());
            switch (e.lane()) {
                case WATCHPOINTS -> {
                    if (e.kind().equals("hit")) {
                        int slot = slotOf(e.detailJson());
                        if (slot >= 0) hits.merge(slot, 1L, Long::sum);
                    }
                }
                case CONSOLE, SCHEDULER -> {
                    if (e.lane() == Lane.SCHEDULER && e.kind().equals("stderr")) stderr++;
                    if (textsRead >= DIGEST_TEXTS) {
                        truncated = true;
                        if (e.lane() == Lane.SCHEDULER && e.kind().equals("error")) errors++;
                        return;
                    }
                    textsRead++;
                    if (readsAsError(e)) errors++;
                    if (!e.text().isBlank()) shapes.merge(shape(e.text()), 1L, Long::sum);
                }
                default -> {
                }
            }
        }

        private static int slotOf(String detailJson) {
            if (detailJson == null) return -1;
            try {
                JsonNode slot = Archive.JSON.readTree(detailJson).path("slot");
                return slot.canConvertToInt() ? slot.asInt() : -1;
            } catch (java.io.IOException e) {
                return -1; // a detail the engine did not write: the hit still counts in its lane
            }
        }

        private static byte[] blob(PreparedStatement data, long id) throws SQLException {
            data.setLong(1, id);
            try (ResultSet rs = data.executeQuery()) {
                if (!rs.next()) {
                    throw new ArchiveException("The run's events changed while they were read (was it deleted?). "
                            + "Select the range again.");
                }
                return rs.getBytes(1);
            }
        }

        RangeSummary result() {
            List<RangeSummary.LaneCount> laneCounts = new ArrayList<>();
            for (Lane lane : Lane.values()) {
                LaneAcc l = lanes.get(lane);
                if (l == null || l.count == 0) {
                    laneCounts.add(new RangeSummary.LaneCount(lane, 0, -1, -1));
                } else {
                    laneCounts.add(new RangeSummary.LaneCount(lane, l.count, l.first, l.last));
                }
            }
            List<RangeSummary.SeriesStats> stats = new ArrayList<>();
            series.forEach((kind, s) -> stats.add(new RangeSummary.SeriesStats(kind, s.count, s.first, s.last, s.min,
                    s.max, s.firstNs, s.lastNs)));
            List<RangeSummary.Repeated> repeated = shapes.entrySet().stream()
                    .filter(e -> e.getValue() > 1)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(MOST_REPEATED)
                    .map(e -> new RangeSummary.Repeated(e.getKey(), e.getValue()))
                    .toList();
            long lines = count(Lane.CONSOLE) + count(Lane.SCHEDULER);
            return new RangeSummary(from, to, laneCounts, stats,
                    new RangeSummary.ConsoleDigest(lines, stderr, errors, repeated, textsRead, truncated), hits);
        }

        private long count(Lane lane) {
            LaneAcc l = lanes.get(lane);
            return l == null ? 0 : l.count;
        }
    }
}
