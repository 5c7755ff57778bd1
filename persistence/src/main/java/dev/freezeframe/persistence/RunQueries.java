package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
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
                       vcpus, memory_mib, verdict, reason, duration_ms, archive_note
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
        // running and interrupted look alike in the table; whether anyone still records the run decides (RunLeases)
        Optional<String> liveness = filter.verdict().filter(v -> v.equals("running") || v.equals("interrupted"));
        filter.verdict().ifPresent(v -> {
            switch (v) {
                case "running", "interrupted" -> sql.append(" AND verdict IS NULL AND ended_at_ms IS NULL");
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
        Optional<TextMatch> match = filter.text().flatMap(TextMatch::of);
        if (match.isPresent()) {
            sql.append(' ').append("""
                     AND (id IN (SELECT value FROM json_each(?)) OR instr(lower(coalesce(reason, '')), ?) > 0)""");
            args.add(runsWithMatchingLine(match.get()).toString());
            args.add(filter.text().get().strip().toLowerCase(Locale.ROOT));
        }
        sql.append(" ORDER BY started_at_ms DESC, id DESC");
        if (filter.limit() > 0 && liveness.isEmpty()) {
            sql.append(" LIMIT ?");
            args.add(filter.limit());
        }
        try (PreparedStatement select = archive.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) select.setObject(i + 1, args.get(i));
            List<ArchivedRun> runs = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next() && (filter.limit() <= 0 || runs.size() < filter.limit())) {
                    ArchivedRun run = Archive.runOf(rs, archive.path());
                    if (liveness.isEmpty() || liveness.get().equals(run.verdictLabel())) runs.add(run);
                }
            }
            return runs;
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /**
     * Indexes text that a writer recorded but has not indexed yet (a live run, or a crash), so searches are complete.
     * It writes through a connection of its own that waits for the write lock, so a live writer never makes it fail.
     */
    void catchUpSearchIndex() {
        try {
            // a read-only archive is searched as far as it was indexed
            if (archive.readOnly() || !SearchIndex.anyPending(archive.connection())) return;
            try (Connection writer = Archive.connectWriter(archive.path())) {
                SearchIndex.indexAll(writer);
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "update the search index of", e);
        }
    }

    /** The ids of runs with at least one event line that {@code match} matches, ascending. */
    private List<Long> runsWithMatchingLine(TextMatch match) {
        catchUpSearchIndex();
        List<Long> runs = new ArrayList<>();
        try (PreparedStatement select = archive.connection().prepareStatement("""
                SELECT b.run_id, b.lane, b.data FROM event_text JOIN event_blocks b ON b.id = event_text.rowid
                WHERE event_text MATCH ? ORDER BY b.run_id""")) {
            select.setString(1, match.ftsQuery());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long run = rs.getLong(1);
                    if (!runs.isEmpty() && runs.getLast() == run) continue;
                    for (RunEvent e : EventBlock.decode(rs.getBytes(3), Lane.fromWireName(rs.getString(2)))) {
                        if (match.matches(e.text())) {
                            runs.add(run);
                            break;
                        }
                    }
                }
            }
            return runs;
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "search", e);
        }
    }

    /** One run with its configuration and counts, or empty when there is no such run. */
    public Optional<RunDetail> detail(long runId) {
        String sql = """
                SELECT id, started_at_ms, ended_at_ms, scheduler, scheduler_args, scenario, kernel, kernel_version,
                       vcpus, memory_mib, verdict, reason, duration_ms, archive_note, config_json,
                       (SELECT coalesce(sum(event_count), 0) FROM event_blocks b WHERE b.run_id = runs.id) AS events,
                       (SELECT max(max_at_ns) FROM event_blocks b WHERE b.run_id = runs.id) AS last_ns,
                       (SELECT count(*) FROM snapshots s WHERE s.run_id = runs.id) AS snapshots,
                       (SELECT count(*) FROM snapshots s WHERE s.run_id = runs.id AND s.placeholder = 1) AS placeholders
                FROM runs WHERE id = ?""";
        try (PreparedStatement select = archive.connection().prepareStatement(sql)) {
            select.setLong(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                long lastNs = rs.getLong("last_ns");
                Optional<Long> last = rs.wasNull() ? Optional.empty() : Optional.of(lastNs);
                return Optional.of(new RunDetail(Archive.runOf(rs, archive.path()), rs.getString("config_json"),
                        rs.getLong("events"),
                        rs.getLong("snapshots"), rs.getLong("placeholders"), last));
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** A run's events in {@code [fromNs, toNs)} of one lane, in time order, at most {@code limit}. */
    public List<RunEvent> events(long runId, Lane lane, long fromNs, long toNs, int limit) {
        try {
            return EventBlocks.inWindow(archive.connection(), runId, lane, fromNs, toNs, limit);
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /**
     * Events of a run whose text matches {@code text} (see {@link TextMatch}: every word starts a word of the same
     * line, ignoring case), in seq order, at most {@code limit}. The numeric stats lane is not searched.
     */
    public List<RunEvent> search(long runId, String text, int limit) {
        return search(runId, text, Set.of(), limit);
    }

    /** Like {@link #search(long, String, int)}, only in {@code lanes} (every lane when empty), e.g. the console's. */
    public List<RunEvent> search(long runId, String text, Set<Lane> lanes, int limit) {
        Optional<TextMatch> match = TextMatch.of(text);
        if (match.isEmpty() || limit <= 0) return List.of();
        catchUpSearchIndex();
        String sql = """
                SELECT b.first_seq, b.lane, b.data FROM event_blocks b
                WHERE b.run_id = ? AND b.id IN (SELECT rowid FROM event_text WHERE event_text MATCH ?)
                ORDER BY b.first_seq""";
        List<RunEvent> found = new ArrayList<>();
        try (PreparedStatement select = archive.connection().prepareStatement(sql)) {
            select.setLong(1, runId);
            select.setString(2, match.get().ftsQuery());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (!lanes.isEmpty() && !lanes.contains(Lane.fromWireName(rs.getString(2)))) continue;
                    if (found.size() >= limit) {
                        // later blocks start after this seq; once past the limit-th match they cannot add earlier ones
                        found.sort(EventBlocks.BY_SEQ);
                        found.subList(limit, found.size()).clear();
                        if (rs.getLong(1) > found.getLast().seq()) break;
                    }
                    for (RunEvent e : EventBlock.decode(rs.getBytes(3), Lane.fromWireName(rs.getString(2)))) {
                        if (match.get().matches(e.text())) found.add(e);
                    }
                }
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
        found.sort(EventBlocks.BY_SEQ);
        return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
    }

    /** The workload metrics a run measured, by step, group and metric; empty for runs without any. */
    public List<dev.freezeframe.coordinator.metrics.WorkloadMetric> metrics(long runId) {
        try {
            return MetricRows.read(archive.connection(), runId);
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    /** The marks and pins left on a run in the snapshot viewer, marks first, each kind in the order it was saved. */
    public List<ViewerMark> viewerMarks(long runId) {
        try {
            return ViewerMarkRows.read(archive.connection(), runId);
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
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
                if (!rs.next()) throw noSnapshot(snapshotId);
                return ReportCodec.inflateToString(rs.getBytes(1), rs.getInt(2));
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        } catch (DataFormatException e) {
            throw new ArchiveException("The report of snapshot " + snapshotId + " in " + archive.path()
                    + " is damaged and cannot be read.", e);
        }
    }

    /**
     * The numeric fields of one snapshot's maps: map name -> (field path -> value), maps and fields in the order of the
     * report. Read from the field index; a map without numeric fields is absent, and a report that was not valid JSON
     * when stored has none.
     */
    public Map<String, Map<String, Double>> snapshotFields(long snapshotId) {
        Map<String, Map<String, Double>> maps = new LinkedHashMap<>();
        try (PreparedStatement select = archive.connection().prepareStatement("""
                SELECT f.map, f.path, v.value FROM snapshot_values v JOIN field_names f ON f.id = v.field_id
                WHERE v.snapshot_id = ? ORDER BY v.ord""")) {
            select.setLong(1, snapshotId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    maps.computeIfAbsent(rs.getString(1), m -> new LinkedHashMap<>()).put(rs.getString(2),
                            rs.getDouble(3));
                }
            }
            if (maps.isEmpty()) requireSnapshot(snapshotId);
            return maps;
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }

    private void requireSnapshot(long snapshotId) throws SQLException {
        try (PreparedStatement select = archive.connection().prepareStatement("SELECT 1 FROM snapshots WHERE id = ?")) {
            select.setLong(1, snapshotId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) throw noSnapshot(snapshotId);
            }
        }
    }

    private ArchiveException noSnapshot(long snapshotId) {
        return new ArchiveException("There is no snapshot " + snapshotId + " in " + archive.path() + ".");
    }

    /**
     * The series of one map field across a run's snapshots, in time order, for plotting. Placeholders are skipped;
     * a snapshot without the field contributes an empty point so gaps stay visible.
     */
    public List<FieldPoint> fieldSeries(long runId, String mapName, String fieldPath) {
        // one key lookup in the field index per snapshot; the reports are not read
        String sql = """
                SELECT s.id, s.tag, s.at_ns, v.value
                FROM snapshots s
                LEFT JOIN snapshot_values v ON v.snapshot_id = s.id
                     AND v.field_id = (SELECT id FROM field_names WHERE map = ? AND path = ?)
                WHERE s.run_id = ? AND s.placeholder = 0
                ORDER BY s.at_ns, s.id""";
        try (PreparedStatement select = archive.connection().prepareStatement(sql)) {
            select.setString(1, mapName);
            select.setString(2, fieldPath);
            select.setLong(3, runId);
            List<FieldPoint> points = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(4);
                    OptionalDouble value = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(v);
                    points.add(new FieldPoint(rs.getLong(1), rs.getString(2), rs.getLong(3), value));
                }
            }
            return points;
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "read", e);
        }
    }
}
