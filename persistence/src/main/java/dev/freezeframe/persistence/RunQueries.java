package dev.freezeframe.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.zip.DataFormatException;

/** Browsing queries: runs with filters, one run's details, its events and snapshots, map-field series. */
public final class RunQueries {
    private final Archive archive;

    RunQueries(Archive archive) {
        this.archive = archive;
    }

    /** Runs matching {@code filter}, newest first. */
    public List<ArchivedRun> list(RunFilter filter) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, started_at_ms, ended_at_ms, scheduler, scheduler_args, scenario, kernel, kernel_version,
                       vcpus, memory_mib, verdict, reason, duration_ms
                FROM runs WHERE 1 = 1""");
        List<Object> args = new ArrayList<>();
        filter.scheduler().ifPresent(s -> {
            sql.append(" AND instr(lower(scheduler), ?) > 0");
            args.add(s.toLowerCase(Locale.ROOT));
        });
        filter.kernel().ifPresent(k -> {
            sql.append(" AND (instr(lower(kernel), ?) > 0 OR instr(lower(coalesce(kernel_version, '')), ?) > 0)");
            args.add(k.toLowerCase(Locale.ROOT));
            args.add(k.toLowerCase(Locale.ROOT));
        });
        filter.verdict().ifPresent(v -> {
            switch (v) {
                case "running" -> sql.append(" AND verdict IS NULL AND ended_at_ms IS NULL");
                case "unfinished" -> sql.append(" AND verdict IS NULL AND ended_at_ms IS NOT NULL");
                default -> {
                    sql.append(" AND verdict = ?");
                    args.add(v);
                }
            }
        });
        filter.startedFrom().ifPresent(i -> {
            sql.append(" AND started_at_ms >= ?");
            args.add(i.toEpochMilli());
        });
        filter.startedBefore().ifPresent(i -> {
            sql.append(" AND started_at_ms < ?");
            args.add(i.toEpochMilli());
        });
        Optional<String> match = filter.text().flatMap(RunQueries::ftsQuery);
        if (match.isPresent()) {
            catchUpSearchIndex();
            sql.append(' ').append("""
                     AND (id IN (SELECT c.run_id FROM event_text JOIN text_chunks c ON c.id = event_text.rowid
                                 WHERE event_text MATCH ?)
                          OR instr(lower(coalesce(reason, '')), ?) > 0)""");
            args.add(match.get());
            args.add(filter.text().get().strip().toLowerCase(Locale.ROOT));
        }
        sql.append(" ORDER BY started_at_ms DESC, id DESC");
        if (filter.limit() > 0) {
            sql.append(" LIMIT ?");
            args.add(filter.limit());
        }
        try (PreparedStatement select = archive.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) select.setObject(i + 1, args.get(i));
            List<ArchivedRun> runs = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) runs.add(Archive.runOf(rs));
            }
            return runs;
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** Indexes text that a writer recorded but has not indexed yet (e.g. after a crash), so searches are complete. */
    private void catchUpSearchIndex() {
        try {
            SearchIndex.indexAll(archive.connection());
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "update the search index of", e);
        }
    }

    /**
     * The FTS5 query for user text: every word (a run of letters and digits, as the index tokenizes) must occur in
     * the same indexed batch of events. The index keeps no positions, so callers that need exact phrases filter the
     * candidates themselves (as {@link #search} does).
     */
    static Optional<String> ftsQuery(String text) {
        List<String> terms = new ArrayList<>();
        for (String word : text.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) terms.add("\"" + word + "\"");
        }
        return terms.isEmpty() ? Optional.empty() : Optional.of(String.join(" AND ", terms));
    }

    /** One run with its configuration and counts, or empty when there is no such run. */
    public Optional<RunDetail> detail(long runId) {
        String sql = """
                SELECT id, started_at_ms, ended_at_ms, scheduler, scheduler_args, scenario, kernel, kernel_version,
                       vcpus, memory_mib, verdict, reason, duration_ms, config_json,
                       (SELECT count(*) FROM events e WHERE e.run_id = runs.id) AS events,
                       (SELECT max(at_ns) FROM events e WHERE e.run_id = runs.id) AS last_ns,
                       (SELECT count(*) FROM snapshots s WHERE s.run_id = runs.id) AS snapshots,
                       (SELECT count(*) FROM snapshots s WHERE s.run_id = runs.id AND s.placeholder = 1) AS placeholders
                FROM runs WHERE id = ?""";
        try (PreparedStatement select = archive.connection().prepareStatement(sql)) {
            select.setLong(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                long lastNs = rs.getLong("last_ns");
                Optional<Long> last = rs.wasNull() ? Optional.empty() : Optional.of(lastNs);
                return Optional.of(new RunDetail(Archive.runOf(rs), rs.getString("config_json"), rs.getLong("events"),
                        rs.getLong("snapshots"), rs.getLong("placeholders"), last));
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** A run's events in {@code [fromNs, toNs)} of one lane, in time order, at most {@code limit}. */
    public List<RunEvent> events(long runId, Lane lane, long fromNs, long toNs, int limit) {
        String sql = """
                SELECT seq, at_ns, lane, kind, text, value, detail_json FROM events
                WHERE run_id = ? AND lane = ? AND at_ns >= ? AND at_ns < ? ORDER BY at_ns, seq LIMIT ?""";
        try (PreparedStatement select = archive.connection().prepareStatement(sql)) {
            select.setLong(1, runId);
            select.setString(2, lane.wireName());
            select.setLong(3, fromNs);
            select.setLong(4, toNs);
            select.setInt(5, limit);
            return readEvents(select);
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** Events of a run whose text contains {@code text} (case-insensitive), in seq order. */
    public List<RunEvent> search(long runId, String text, int limit) {
        Optional<String> match = ftsQuery(text);
        if (match.isEmpty()) return List.of();
        catchUpSearchIndex();
        String needle = text.strip().toLowerCase(Locale.ROOT);
        String sql = """
                SELECT e.seq, e.at_ns, e.lane, e.kind, e.text, e.value, e.detail_json
                FROM text_chunks c JOIN events e ON e.run_id = c.run_id AND e.seq BETWEEN c.first_seq AND c.last_seq
                WHERE c.run_id = ? AND c.id IN (SELECT rowid FROM event_text WHERE event_text MATCH ?)
                ORDER BY e.seq""";
        List<RunEvent> found = new ArrayList<>();
        try (PreparedStatement select = archive.connection().prepareStatement(sql)) {
            select.setLong(1, runId);
            select.setString(2, match.get());
            for (RunEvent e : readEvents(select)) {
                String lower = e.text().toLowerCase(Locale.ROOT);
                if (e.lane() != Lane.STATS && lower.contains(needle)) {
                    found.add(e);
                    if (found.size() >= limit) break;
                }
            }
            return found;
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    private static List<RunEvent> readEvents(PreparedStatement select) throws SQLException {
        List<RunEvent> events = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                double value = rs.getDouble(6);
                Double boxed = rs.wasNull() ? null : value;
                events.add(new RunEvent(rs.getLong(1), rs.getLong(2), Lane.fromWireName(rs.getString(3)),
                        rs.getString(4), rs.getString(5), boxed, rs.getString(7)));
            }
        }
        return events;
    }

    /** A run's snapshots in time order. */
    public List<SnapshotInfo> snapshots(long runId) {
        String sql = """
                SELECT id, run_id, tag, kind, at_ns, step_index, placeholder, placeholder_reason, report_size
                FROM snapshots WHERE run_id = ? ORDER BY at_ns, id""";
        try (PreparedStatement select = archive.connection().prepareStatement(sql)) {
            select.setLong(1, runId);
            List<SnapshotInfo> list = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    int step = rs.getInt(6);
                    Optional<Integer> stepIndex = rs.wasNull() ? Optional.empty() : Optional.of(step);
                    list.add(new SnapshotInfo(rs.getLong(1), rs.getLong(2), rs.getString(3),
                            SnapshotKind.fromWireName(rs.getString(4)), rs.getLong(5), stepIndex, rs.getInt(7) == 1,
                            Optional.ofNullable(rs.getString(8)), rs.getInt(9)));
                }
            }
            return list;
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** The report of one snapshot, as JSON text. */
    public String snapshotReport(long snapshotId) {
        try (PreparedStatement select = archive.connection().prepareStatement(
                "SELECT report, report_size FROM snapshots WHERE id = ?")) {
            select.setLong(1, snapshotId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) throw new ArchiveException("There is no snapshot " + snapshotId + " in "
                        + archive.path() + ".");
                return ReportCodec.inflateToString(rs.getBytes(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        } catch (DataFormatException e) {
            throw new ArchiveException("The report of snapshot " + snapshotId + " in " + archive.path()
                    + " is damaged and cannot be read.", e);
        }
    }

    /** The numeric fields of one snapshot's maps: map name -> (field path -> value). */
    public Map<String, Map<String, Double>> snapshotFields(long snapshotId) {
        String json = snapshotReport(snapshotId);
        try {
            JsonNode report = Archive.JSON.readTree(json);
            return ReportFields.of(report);
        } catch (JsonProcessingException e) {
            throw new ArchiveException("The report of snapshot " + snapshotId + " is not valid JSON.", e);
        }
    }

    /**
     * The series of one map field across a run's snapshots, in time order, for plotting. Placeholders are skipped;
     * a snapshot without the field contributes an empty point so gaps stay visible.
     */
    public List<FieldPoint> fieldSeries(long runId, String mapName, String fieldPath) {
        List<FieldPoint> points = new ArrayList<>();
        for (SnapshotInfo s : snapshots(runId)) {
            if (s.placeholder()) continue;
            Map<String, Double> fields = snapshotFields(s.id()).getOrDefault(mapName, Map.of());
            Double v = fields.get(fieldPath);
            points.add(new FieldPoint(s.id(), s.tag(), s.atNanos(),
                    v == null ? OptionalDouble.empty() : OptionalDouble.of(v)));
        }
        return points;
    }
}
