package dev.freezeframe.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores the numeric fields of a snapshot's report ({@link ReportFields}) as {@code snapshot_values} rows, so a field's
 * series is read without touching the reports. Field names go through the {@code field_names} dictionary; their ids
 * are cached per instance. Runs in its caller's transaction; an instance is dropped after a transaction that rolled
 * back (ids it inserted there are gone), as the writers that own one do. Not thread-safe.
 */
final class SnapshotFieldIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFieldIndex.class);

    /** Names whose ids stay cached; a run whose hash maps churn through keys must not grow the cache without end. */
    private static final int CACHED_NAMES = 65_536;

    private record FieldName(String map, String path) {
    }

    private final PreparedStatement insertName;
    private final PreparedStatement selectName;
    private final PreparedStatement insertValue;
    private final Map<FieldName, Long> ids = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FieldName, Long> eldest) {
            return size() > CACHED_NAMES;
        }
    };

    SnapshotFieldIndex(Connection connection) throws SQLException {
        insertName = connection.prepareStatement("INSERT OR IGNORE INTO field_names (map, path) VALUES (?, ?)");
        selectName = connection.prepareStatement("SELECT id FROM field_names WHERE map = ? AND path = ?");
        insertValue = connection.prepareStatement(
                "INSERT INTO snapshot_values (snapshot_id, field_id, ord, value) VALUES (?, ?, ?, ?)");
    }

    /** How the warnings name a snapshot: its tag and run. */
    static String describe(String tag, long runId) {
        return "'" + tag + "' of run " + runId;
    }

    /**
     * The numeric fields of a report given as UTF-8 JSON; none, with a warning, when it is not valid JSON.
     * {@code snapshot} names it for the warning ({@link #describe}).
     */
    static Map<String, Map<String, Double>> fieldsOf(String snapshot, byte[] json) {
        try {
            return ReportFields.of(Archive.JSON.readTree(json));
        } catch (IOException e) {
            // the report is still stored; only its plot points are missing
            LOG.warn("the report of snapshot {} is not valid JSON ({}); its map fields are not indexed", snapshot,
                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            return Map.of();
        }
    }

    /** The numeric fields of a compressed report; none, with a warning, when it does not inflate. */
    static Map<String, Map<String, Double>> fieldsOfCompressed(String snapshot, byte[] compressed, int size) {
        try {
            return fieldsOf(snapshot, ReportCodec.inflate(compressed, size));
        } catch (DataFormatException e) {
            LOG.warn("the report of snapshot {} is damaged ({}); its map fields are not indexed", snapshot,
                    e.getMessage());
            return Map.of();
        }
    }

    /** Writes {@code fields} for snapshot {@code snapshotId}, remembering their order in the report. */
    void write(long snapshotId, Map<String, Map<String, Double>> fields) throws SQLException {
        int ord = 0;
        for (Map.Entry<String, Map<String, Double>> map : fields.entrySet()) {
            for (Map.Entry<String, Double> field : map.getValue().entrySet()) {
                double value = field.getValue();
                if (Double.isNaN(value)) continue; // SQLite stores NaN as NULL; a plot has no point for it anyway
                insertValue.setLong(1, snapshotId);
                insertValue.setLong(2, idOf(map.getKey(), field.getKey()));
                insertValue.setInt(3, ord++);
                insertValue.setDouble(4, value);
                insertValue.addBatch();
            }
        }
        if (ord > 0) insertValue.executeBatch();
    }

    private long idOf(String map, String path) throws SQLException {
        FieldName name = new FieldName(map, path);
        Long id = ids.get(name);
        if (id != null) return id;
        insertName.setString(1, map);
        insertName.setString(2, path);
        insertName.executeUpdate();
        selectName.setString(1, map);
        selectName.setString(2, path);
        try (ResultSet rs = selectName.executeQuery()) {
            if (!rs.next()) throw new SQLException("field name " + map + " / " + path + " vanished after its insert");
            id = rs.getLong(1);
        }
        ids.put(name, id);
        return id;
    }

    @Override
    public void close() throws SQLException {
        for (PreparedStatement s : new PreparedStatement[] {insertName, selectName, insertValue}) s.close();
    }
}
