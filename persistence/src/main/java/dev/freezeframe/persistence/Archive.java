package dev.freezeframe.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.coordinator.metrics.WorkloadMetric;
import dev.freezeframe.coordinator.model.RunConfig;
import dev.freezeframe.coordinator.model.Verdict;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The SQLite run archive. Opening creates the file on first use (mode 0600: runs hold kernel addresses and console
 * output; SQLite gives its -wal and -shm files the same mode) and migrates the schema; a database that is not a
 * Freezeframe archive, or one written by a newer Freezeframe, is refused before anything is written to it. An archive
 * that cannot be written (the file, its folder or its filesystem is read-only) is opened read-only without a word: it
 * can be listed and read, and only an attempt to change it says why it cannot.
 */
public final class Archive implements AutoCloseable {
    /** Marks the file as ours ("FFRZ"), so a foreign SQLite database is never migrated into an archive. */
    static final int APPLICATION_ID = 0x4646525A;

    private static final Logger LOG = LoggerFactory.getLogger(Archive.class);

    private final Path path;
    private final Connection connection;
    /** Leases on the runs this archive created, held until their verdict is recorded or the archive closes. */
    private final Map<Long, RunLeases.Lease> leases = new HashMap<>();
    /** Block directories of the runs paged through this archive's connection, a few at a time (see EventQueries). */
    private final Map<Long, BlockDirectory> directories = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, BlockDirectory> eldest) {
            return size() > 4;
        }
    };

    private final boolean readOnly;

    private Archive(Path path, Connection connection, boolean readOnly) {
        this.path = path;
        this.connection = connection;
        this.readOnly = readOnly;
    }

    /** Opens (creating if needed) the archive at {@code path}; read-only when it cannot be written. */
    public static Archive open(Path path) {
        return open(path, false);
    }

    /** As {@link #open(Path)}; {@code readOnly} forces the read-only path (which a read-only filesystem takes). */
    static Archive open(Path path, boolean readOnly) {
        Path file = path.toAbsolutePath().normalize();
        if (Files.isDirectory(file)) {
            throw new ArchiveException(file + " is a folder, not an archive file. Choose a file path with --db.");
        }
        if (readOnly || (Files.exists(file) && !writable(file))) {
            return openReadOnly(file);
        }
        try {
            if (!Files.isDirectory(file.getParent())) Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new ArchiveException("Cannot create the archive folder " + file.getParent() + " (" + e.getMessage()
                    + "). Choose another location with --db.", e);
        }
        if (Files.exists(file) && sizeOf(file) > 0) {
            refuseIfNotOurs(file);
        } else {
            createPrivate(file);
        }
        try {
            Connection connection = connect(file, false);
            try (var statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode = WAL");
                statement.execute("PRAGMA synchronous = NORMAL");
                statement.execute("PRAGMA foreign_keys = ON");
                // set only when missing: writing it on every open would conflict with a live run's writer
                try (var rs = statement.executeQuery("PRAGMA application_id")) {
                    if (!rs.next() || rs.getInt(1) != APPLICATION_ID) {
                        statement.execute("PRAGMA application_id = " + APPLICATION_ID);
                    }
                }
            }
            int before = Migrations.userVersion(connection);
            Migrations.migrate(connection);
            if (before != Migrations.LATEST) {
                LOG.info("archive {} migrated from schema {} to {}", file, before, Migrations.LATEST);
            }
            return new Archive(file, connection, false);
        } catch (SQLException e) {
            throw translate(file, "open", e);
        }
    }

    /** Whether SQLite can write {@code file}: the file, and its folder for the -wal and -shm files beside it. */
    private static boolean writable(Path file) {
        try {
            return Files.isWritable(file) && Files.isWritable(file.getParent())
                    && !Files.getFileStore(file).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }

    /** Creates an empty archive file readable by its owner only (an existing file keeps its mode). */
    private static void createPrivate(Path file) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // created meanwhile by another process: its mode stands
        } catch (UnsupportedOperationException e) {
            // not a POSIX filesystem: SQLite creates it
        } catch (IOException e) {
            throw new ArchiveException("Cannot create the archive " + file + " (" + e.getMessage() + "). Choose "
                    + "another location with --db.", e);
        }
    }

    /**
     * Opens an archive that cannot be written: nothing is set, migrated or created. A live writer elsewhere may still
     * use the WAL, so the usual read-only connection comes first; when SQLite cannot open it that way (a WAL archive
     * whose -shm file cannot be created), the file is read as immutable — nobody can be writing it then.
     */
    private static Archive openReadOnly(Path file) {
        if (!Files.exists(file)) {
            throw new ArchiveException("There is no archive " + file + ", and its folder is not writable, so none can "
                    + "be created. Choose another location with --db.");
        }
        Connection connection = null;
        try {
            try {
                connection = connect(file, true);
                probe(connection);
            } catch (SQLException e) {
                if (connection != null) connection.close();
                connection = connectImmutable(file);
                probe(connection);
            }
            checkOurs(file, connection);
            int version = Migrations.userVersion(connection);
            if (version < Migrations.LATEST) {
                throw new ArchiveException("The archive " + file + " is read-only and was written by an older "
                        + "Freezeframe (archive schema " + version + "; this version reads " + Migrations.LATEST
                        + "). Make it writable once so it can be upgraded, or open it with the older version.");
            }
            return new Archive(file, connection, true);
        } catch (SQLException e) {
            closeQuietly(connection);
            throw translate(file, "open", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static void probe(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            rs.next();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the open failure is what matters
        }
    }

    static Connection connectImmutableForTest(Path file) throws SQLException {
        return connectImmutable(file);
    }

    private static Connection connectImmutable(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(org.sqlite.SQLiteOpenMode.OPEN_URI);
        return DriverManager.getConnection("jdbc:sqlite:" + file.toUri() + "?immutable=1", config.toProperties());
    }

    /** Whether this archive was opened read-only (it could not be written); reads work, changes are refused. */
    public boolean readOnly() {
        return readOnly;
    }

    /** Refuses a change to a read-only archive with the sentence the user needs. */
    void requireWritable(String change) {
        if (readOnly) {
            throw new ArchiveException("The archive " + path + " is read-only (the file, its folder or its "
                    + "filesystem cannot be written), so it cannot " + change + ". Make it writable, or choose another "
                    + "archive with --db.");
        }
    }

    public Path path() {
        return path;
    }

    public int schemaVersion() {
        try {
            return Migrations.userVersion(connection);
        } catch (SQLException e) {
            throw translate(path, "read", e);
        }
    }

    /** The newest schema version this build reads and writes. */
    public static int supportedSchemaVersion() {
        return Migrations.LATEST;
    }

    /** All runs, newest first. */
    public List<ArchivedRun> listRuns() {
        String sql = """
                SELECT id, started_at_ms, ended_at_ms, scheduler, scheduler_args, scenario, kernel, kernel_version,
                       vcpus, memory_mib, verdict, reason, duration_ms, archive_note
                FROM runs ORDER BY started_at_ms DESC, id DESC""";
        try (var statement = connection.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            List<ArchivedRun> runs = new ArrayList<>();
            while (rs.next()) {
                runs.add(runOf(rs, path));
            }
            return runs;
        } catch (SQLException e) {
            throw translate(path, "read", e);
        }
    }

    /**
     * Records the start of a run and returns its id. Events and snapshots then go through {@link #startIngest}; the
     * verdict through {@link #finishRun}.
     */
    public long createRun(RunConfig config, Instant startedAt, Optional<String> kernelVersion) {
        String configJson;
        try {
            configJson = JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new ArchiveException("Cannot record the run's configuration (" + e.getOriginalMessage() + ").", e);
        }
        requireWritable("record a new run");
        RunRow row = new RunRow(startedAt.toEpochMilli(), null, config.scheduler(),
                String.join(" ", config.schedulerArgs()), config.scenario(), config.kernel(),
                kernelVersion.orElse(null), config.vcpus(), config.memoryMib(), configJson, null, null, null, null);
        try {
            // the lease is taken before the run becomes visible, so no reader ever sees it as interrupted
            connection.setAutoCommit(false);
            try {
                long runId = RunRow.insert(connection, row);
                RunLeases.Lease lease = RunLeases.hold(path, runId);
                try {
                    connection.commit();
                } catch (SQLException e) {
                    lease.close();
                    throw e;
                }
                synchronized (leases) {
                    leases.put(runId, lease);
                }
                return runId;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(path, "write to", e);
        }
    }

    /** Records how a run ended; its duration is the time since its start. */
    public void finishRun(long runId, Verdict verdict, String reason, Instant endedAt) {
        requireWritable("record a verdict");
        String sql = """
                UPDATE runs SET ended_at_ms = ?, verdict = ?, reason = ?, duration_ms = ? - started_at_ms
                WHERE id = ?""";
        try (var update = connection.prepareStatement(sql)) {
            update.setLong(1, endedAt.toEpochMilli());
            if (verdict == null) update.setNull(2, Types.VARCHAR);
            else update.setString(2, verdict.wireName());
            update.setString(3, reason);
            update.setLong(4, endedAt.toEpochMilli());
            update.setLong(5, runId);
            if (update.executeUpdate() == 0) {
                throw new ArchiveException("There is no run " + runId + " in " + path + ".");
            }
        } catch (SQLException e) {
            throw translate(path, "write to", e);
        }
        releaseLease(runId);
    }

    /** Records the workload metrics a run measured (once, when it ends; a second call replaces equal keys). */
    public void recordMetrics(long runId, List<WorkloadMetric> metrics) {
        if (metrics.isEmpty()) return;
        requireWritable("record workload metrics");
        inTransaction(() -> MetricRows.insert(connection, runId, metrics));
    }

    /** Replaces the run's snapshot-viewer marks of {@code kind} with {@code marks} (in their order). */
    public void saveViewerMarks(long runId, ViewerMark.Kind kind, List<ViewerMark> marks) {
        requireWritable("save the snapshot viewer's marks");
        inTransaction(() -> ViewerMarkRows.replace(connection, runId, kind, marks));
    }

    /** The Runs browser's A/B marks, in the order their runs were marked. */
    public List<AbMark> abMarks() {
        try {
            return AbMarkRows.read(connection);
        } catch (SQLException e) {
            throw translate(path, "read", e);
        }
    }

    /** Replaces the A/B marks with {@code marks} (in their order); a run no longer in the archive is left out. */
    public void saveAbMarks(List<AbMark> marks) {
        requireWritable("save the A/B marks");
        inTransaction(() -> AbMarkRows.replace(connection, marks));
    }

    /** Writes done together: all or, on a failure, none. */
    @FunctionalInterface
    private interface Writes {
        void run() throws SQLException;
    }

    private void inTransaction(Writes writes) {
        try {
            connection.setAutoCommit(false);
            try {
                writes.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(path, "write to", e);
        }
    }

    /** Records that run {@code link.runId()} is a fork of another run's snapshot. */
    public void recordFork(ForkLink link) {
        requireWritable("record a fork");
        try (var insert = connection.prepareStatement(
                "INSERT INTO run_forks (run_id, parent_run_id, snapshot_tag, parent_at_ns) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, link.runId());
            insert.setLong(2, link.parentRunId());
            insert.setString(3, link.snapshotTag());
            insert.setLong(4, link.parentAtNanos());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw translate(path, "write to", e);
        }
    }

    /** The fork links of all runs, by the forked run's id. */
    public java.util.Map<Long, ForkLink> forkLinks() {
        try (var statement = connection.prepareStatement(
                "SELECT run_id, parent_run_id, snapshot_tag, parent_at_ns FROM run_forks");
             ResultSet rs = statement.executeQuery()) {
            java.util.Map<Long, ForkLink> links = new java.util.HashMap<>();
            while (rs.next()) {
                links.put(rs.getLong(1), new ForkLink(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
            }
            return links;
        } catch (SQLException e) {
            throw translate(path, "read", e);
        }
    }

    /** Where run {@code runId} was forked from; empty for a run that was not forked. */
    public Optional<ForkLink> forkOf(long runId) {
        return Optional.ofNullable(forkLinks().get(runId));
    }

    /** Deletes a run with its events, snapshots, pyramid and search entries; false when there was no such run. */
    public boolean deleteRun(long runId) {
        requireWritable("delete a run");
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (var deleteText = connection.prepareStatement("""
                    DELETE FROM event_text
                    WHERE rowid IN (SELECT id FROM event_blocks WHERE run_id = ? AND text_state = 2)""");
                 var deleteRun = connection.prepareStatement("DELETE FROM runs WHERE id = ?")) {
                deleteText.setLong(1, runId);
                deleteText.executeUpdate();
                deleteRun.setLong(1, runId);
                directories.remove(runId);
                boolean deleted = deleteRun.executeUpdate() > 0;
                connection.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw translate(path, "write to", e);
        }
    }

    /** Starts the writer thread that appends a live run's events and snapshots in batched transactions. */
    public EventIngest startIngest(long runId) {
        requireWritable("record a run");
        return EventIngest.start(path, runId, EventIngest.Options.DEFAULTS);
    }

    public EventIngest startIngest(long runId, EventIngest.Options options) {
        requireWritable("record a run");
        return EventIngest.start(path, runId, options);
    }

    /** Queries for browsing: runs with filters, a run's details, events, snapshots and map-field series. */
    public RunQueries runs() {
        return new RunQueries(this);
    }

    /** Paging through one run's events by seq, around a time and by filter (the console and the events table). */
    public EventQueries events() {
        return new EventQueries(this);
    }

    /** Summaries of a time range of a run: counts per lane, series statistics, console digest, watch hits. */
    public RangeQueries ranges() {
        return new RangeQueries(this);
    }

    /** Viewport queries for the timeline, answered from the level-of-detail pyramid. */
    public TimelineQueries timeline() {
        return new TimelineQueries(this);
    }

    static final ObjectMapper JSON = new ObjectMapper();

    /** Connection for the archive's own collaborators in this package (ingest, queries). */
    Connection connection() {
        return connection;
    }

    /** The block directory of {@code runId}, caught up with what has been committed since it was last used. */
    BlockDirectory blockDirectory(long runId) throws SQLException {
        BlockDirectory d = directories.get(runId);
        if (d == null) {
            d = new BlockDirectory(runId);
            directories.put(runId, d);
        }
        d.catchUp(connection);
        return d;
    }

    /** Gives back the lease this archive took when it created {@code runId}. */
    private void releaseLease(long runId) {
        RunLeases.Lease lease;
        synchronized (leases) {
            lease = leases.remove(runId);
        }
        if (lease != null) lease.close();
    }

    @Override
    public void close() {
        synchronized (leases) {
            leases.values().forEach(RunLeases.Lease::close);
            leases.clear();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing archive {} failed", path, e);
        }
    }

    /** The run on the current row; a run without verdict or end is probed for whether anyone still records it. */
    static ArchivedRun runOf(ResultSet rs, Path archive) throws SQLException {
        String verdict = rs.getString("verdict");
        Optional<Long> endedAt = optionalLong(rs, "ended_at_ms");
        boolean recording = verdict == null && endedAt.isEmpty() && RunLeases.isHeld(archive, rs.getLong("id"));
        return new ArchivedRun(
                rs.getLong("id"),
                Instant.ofEpochMilli(rs.getLong("started_at_ms")),
                endedAt.map(Instant::ofEpochMilli),
                rs.getString("scheduler"),
                rs.getString("scheduler_args"),
                rs.getString("scenario"),
                rs.getString("kernel"),
                Optional.ofNullable(rs.getString("kernel_version")),
                rs.getInt("vcpus"),
                rs.getInt("memory_mib"),
                Optional.ofNullable(verdict).map(Verdict::fromWireName),
                Optional.ofNullable(rs.getString("reason")),
                optionalLong(rs, "duration_ms"),
                recording,
                Optional.ofNullable(rs.getString("archive_note")));
    }

    private static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    /** Looks at an existing file through a read-only connection, so a refused file is never modified. */
    private static void refuseIfNotOurs(Path file) {
        try (Connection peek = connect(file, true)) {
            checkOurs(file, peek);
        } catch (SQLException e) {
            throw translate(file, "open", e);
        }
    }

    private static void checkOurs(Path file, Connection peek) throws SQLException {
        try (var statement = peek.createStatement()) {
            int applicationId;
            int version;
            int tables;
            try (ResultSet rs = statement.executeQuery("PRAGMA application_id")) {
                applicationId = rs.next() ? rs.getInt(1) : 0;
            }
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                tables = rs.next() ? rs.getInt(1) : 0;
            }
            if (applicationId != APPLICATION_ID && (version != 0 || tables != 0)) {
                throw new ArchiveException(file + " is an SQLite database but not a Freezeframe archive. "
                        + "Choose another file with --db; this one was left untouched.");
            }
            if (version > Migrations.LATEST) {
                throw new ArchiveException(file + " was written by a newer Freezeframe (archive schema " + version
                        + "; this version reads up to " + Migrations.LATEST + "). Open it with a newer Freezeframe, or "
                        + "choose another archive with --db. The file was left untouched.");
            }
        }
    }

    /** A new connection to {@code file}; the writer thread and each reader use their own (WAL keeps them apart). */
    static Connection connect(Path file, boolean readOnly) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(readOnly);
        config.setBusyTimeout(5_000);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    /**
     * A connection for a writer that reads before it writes in one transaction (the search indexing): its
     * transactions take the write lock up front, so another process committing in between cannot invalidate them.
     */
    static Connection connectWriter(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(5_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new ArchiveException("Cannot read the archive " + file + " (" + e.getMessage() + ").", e);
        }
    }

    static ArchiveException translate(Path file, String action, SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            switch (code) {
                case SQLITE_NOTADB:
                    return new ArchiveException(file + " is not a Freezeframe archive (not an SQLite database). "
                            + "Choose another file with --db; this one was left untouched.", e);
                case SQLITE_CORRUPT:
                    return new ArchiveException("The archive " + file + " is damaged. Nothing was changed; keep a copy "
                            + "and try `sqlite3 " + file + " .recover` to salvage it.", e);
                case SQLITE_FULL:
                    return new ArchiveException("The disk holding " + file + " is full. Free some space and retry; "
                            + "what was already stored is kept.", e);
                case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN:
                    return new ArchiveException("Cannot " + action + " the archive " + file + ": permission denied or "
                            + "the file is not writable. Check its permissions or choose another file with --db.", e);
                case SQLITE_BUSY, SQLITE_LOCKED:
                    return new ArchiveException("The archive " + file + " is locked by another program. Close it there "
                            + "and retry.", e);
                default:
                    break;
            }
        }
        return new ArchiveException("Cannot " + action + " the archive " + file + " (" + e.getMessage() + ").", e);
    }
}
