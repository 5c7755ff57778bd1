package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.RunEvent;
import dev.freezeframe.coordinator.model.SnapshotRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one live run's events and snapshots to the archive. Producers hand items to a bounded queue ({@link #append}
 * blocks when it is full, so a runaway producer is slowed, never dropped); a single writer thread drains the queue in
 * batches and writes each batch in one transaction together with its level-of-detail pyramid tiles and its search
 * chunk (the text is indexed when the writer is idle and at close). Readers use their own connections and are never
 * blocked (WAL). A transaction either lands whole or not at all, so after a crash the archive holds exactly the
 * batches that were committed.
 */
public final class EventIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventIngest.class);

    /**
     * @param queueCapacity items the queue holds before {@link #append} blocks
     * @param maxBatch      most items written in one transaction
     * @param lingerMillis  how long the writer waits for more events before committing a small batch, so a trickle
     *                      of events is stored as a few blocks instead of one per event; a snapshot or a
     *                      {@link #flush} is committed at once
     */
    public record Options(int queueCapacity, int maxBatch, int lingerMillis) {
        static final int DEFAULT_LINGER_MILLIS = 25;
        public static final Options DEFAULTS = new Options(65_536, 16_384, DEFAULT_LINGER_MILLIS);

        public Options {
            if (queueCapacity < 1 || maxBatch < 1) throw new IllegalArgumentException("capacities must be >= 1");
            if (lingerMillis < 0) throw new IllegalArgumentException("lingerMillis must be >= 0");
        }

        public Options(int queueCapacity, int maxBatch) {
            this(queueCapacity, maxBatch, DEFAULT_LINGER_MILLIS);
        }
    }

    private static final Object STOP = new Object();

    private static final class Flush {
        final CountDownLatch done = new CountDownLatch(1);
    }

    private final Path file;
    private final long runId;
    private final int maxBatch;
    private final long lingerNanos;
    private final BlockingQueue<Object> queue;
    private final Connection connection;
    /** Held while this ingest records the run, so readers can tell it from a run whose recorder died. */
    private final RunLeases.Lease lease;
    private final Thread writer;
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile long committedEvents;
    private volatile long committedSnapshots;
    private volatile long lastCommittedSeq = -1;

    // owned by the writer thread
    private EventWriter eventWriter;

    private EventIngest(Path file, long runId, Options options, Connection connection, RunLeases.Lease lease) {
        this.file = file;
        this.lease = lease;
        this.runId = runId;
        this.maxBatch = options.maxBatch();
        this.lingerNanos = options.lingerMillis() * 1_000_000L;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.connection = connection;
        this.writer = Thread.ofPlatform().name("archive-writer-run-" + runId).daemon(true).unstarted(this::writeLoop);
    }

    static EventIngest start(Path file, long runId, Options options) {
        Connection connection = null;
        RunLeases.Lease lease = null;
        try {
            connection = Archive.connectWriter(file);
            configureWriter(connection);
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
                exists.setLong(1, runId);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        throw new ArchiveException("There is no run " + runId + " in " + file
                                + " to record events for.");
                    }
                }
            }
            lease = RunLeases.hold(file, runId);
            EventIngest ingest = new EventIngest(file, runId, options, connection, lease);
            ingest.prepare();
            ingest.writer.start();
            return ingest;
        } catch (SQLException e) {
            closeQuietly(connection);
            if (lease != null) lease.close();
            throw Archive.translate(file, "write to", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            if (lease != null) lease.close();
            throw e;
        }
    }

    static void configureWriter(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA synchronous = NORMAL");
            s.execute("PRAGMA foreign_keys = ON");
            s.execute("PRAGMA cache_size = -32768");
            s.execute("PRAGMA temp_store = MEMORY");
            s.execute("PRAGMA wal_autocheckpoint = 4000");
        }
    }

    private void prepare() throws SQLException {
        eventWriter = new EventWriter(connection, runId);
    }

    public long runId() {
        return runId;
    }

    /** Queues one event; blocks while the queue is full. Each event of a run needs its own {@code seq}. */
    public void append(RunEvent event) {
        put(event);
    }

    /** Queues one snapshot; it is committed in order with the events around it. */
    public void append(SnapshotRecord snapshot) {
        put(snapshot);
    }

    /** Waits until everything appended before this call is committed. */
    public void flush() {
        Flush marker = new Flush();
        put(marker);
        try {
            while (!marker.done.await(100, TimeUnit.MILLISECONDS)) {
                if (!writer.isAlive()) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException("Interrupted while waiting for the archive to store the run's events.", e);
        }
        throwIfFailed();
    }

    /** Events committed so far (visible to readers). */
    public long committedEvents() {
        return committedEvents;
    }

    public long committedSnapshots() {
        return committedSnapshots;
    }

    /** The seq of the last committed event, or -1. */
    public long lastCommittedSeq() {
        return lastCommittedSeq;
    }

    /** Commits what is queued, stops the writer thread and releases its connection. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            while (writer.isAlive() && !queue.offer(STOP, 100, TimeUnit.MILLISECONDS)) {
                // the writer drains the queue; keep offering until it has room
            }
            // no deadline: the writer commits everything it was given before it ends; leaving earlier loses events
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                if (eventWriter != null) eventWriter.close();
            } catch (SQLException e) {
                LOG.warn("closing the archive writer statements failed", e);
            }
            closeQuietly(connection);
            lease.close();
        }
        throwIfFailed();
    }

    private void put(Object item) {
        if (closed) throw new IllegalStateException("ingest for run " + runId + " is closed");
        throwIfFailed();
        try {
            while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                throwIfFailed();
                if (!writer.isAlive()) throw new ArchiveException("The archive writer for run " + runId + " stopped.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArchiveException("Interrupted while handing events to the archive.", e);
        }
    }

    private void throwIfFailed() {
        Throwable f = failure;
        if (f == null) return;
        if (f instanceof ArchiveException ae) throw new ArchiveException(ae.getMessage(), ae);
        if (f instanceof SQLException se) throw Archive.translate(file, "write to", se);
        throw new ArchiveException("Storing run " + runId + " in " + file + " failed (" + f + ").", f);
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            try {
                // no deadline: the writer thread waits for work until close() sends STOP
                batch.add(queue.take());
                gather(batch);
            } catch (InterruptedException e) {
                failure = e;
                return;
            }
            List<Flush> flushes = new ArrayList<>();
            List<SnapshotRecord> snapshots = new ArrayList<>();
            List<RunEvent> events = new ArrayList<>(batch.size());
            for (Object item : batch) {
                if (item == STOP) stop = true;
                else if (item instanceof Flush f) flushes.add(f);
                else if (item instanceof RunEvent e) events.add(e);
                else if (item instanceof SnapshotRecord s) snapshots.add(s);
            }
            batch.clear();
            if (failure == null && (!events.isEmpty() || !snapshots.isEmpty())) {
                try {
                    writeBatch(events, snapshots);
                } catch (SQLException | RuntimeException e) {
                    LOG.error("archive writer for run {} failed", runId, e);
                    failure = e;
                }
            }
            flushes.forEach(f -> f.done.countDown());
            if (failure == null && (stop || queue.isEmpty())) {
                try {
                    if (stop) SearchIndex.indexAll(connection);
                    else SearchIndex.indexPending(connection, 4);
                } catch (SQLException | RuntimeException e) {
                    // the chunks stay pending and are indexed before the next text search
                    LOG.warn("indexing run {} text for search failed; it will be retried", runId, e);
                }
            }
        }
    }

    /**
     * Adds what is queued to {@code batch}, waiting up to the linger time for more while the batch is small and holds
     * nothing that must be committed at once (a snapshot, a flush, the stop).
     */
    private void gather(List<Object> batch) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        int scanned = 0;
        while (true) {
            queue.drainTo(batch, maxBatch - batch.size());
            for (; scanned < batch.size(); scanned++) {
                Object item = batch.get(scanned);
                if (!(item instanceof RunEvent)) return;
            }
            if (batch.size() >= maxBatch) return;
            long wait = deadline - System.nanoTime();
            if (wait <= 0) return;
            Object next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) return;
            batch.add(next);
        }
    }

    private void writeBatch(List<RunEvent> events, List<SnapshotRecord> snapshots) throws SQLException {
        connection.setAutoCommit(false);
        try {
            for (RunEvent e : events) eventWriter.add(e);
            for (SnapshotRecord s : snapshots) eventWriter.add(s);
            eventWriter.writePending();
            connection.commit();
        } finally {
            if (!connection.getAutoCommit()) {
                try {
                    connection.rollback();
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }
        if (!events.isEmpty()) {
            committedEvents += events.size();
            lastCommittedSeq = events.getLast().seq();
        }
        committedSnapshots += snapshots.size();
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the archive writer connection failed", e);
        }
    }
}
