package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.RunEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes one run as a single export file ({@link RecordStream} framing, {@link ExportRecords} payloads): the run, its
 * events in batches, its snapshots (reports as stored, compressed), and an end record with the counts. The file is
 * written to a temporary file beside the target, created exclusively (a file or symlink already at that name is never
 * opened, so nobody can redirect the export through a planted link), and moved into place atomically when complete,
 * so a failed export never leaves a partial file.
 */
public final class RunExporter {
    /** Events per EVENTS record. */
    static final int EVENTS_PER_RECORD = 4096;

    /** What an export wrote. */
    public record Summary(long runId, Path file, long events, long snapshots, long bytes) {
    }

    private final Archive archive;

    public RunExporter(Archive archive) {
        this.archive = archive;
    }

    public Summary export(long runId, Path target) {
        Path file = target.toAbsolutePath().normalize();
        Path temp = null;
        long events = 0;
        long snapshots = 0;
        long records = 0;
        try {
            RunRow run = RunRow.read(archive.connection(), runId);
            if (run == null) throw new ArchiveException("There is no run " + runId + " in " + archive.path() + ".");
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            temp = createTemp(file);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), 1 << 16)) {
                RecordStream.writeHeader(out, RecordStream.FORMAT_VERSION);
                out.write(RecordStream.frame(ExportRecords.run(run, ViewerMarkRows.read(archive.connection(), runId))));
                records++;
                EventRecords writer = new EventRecords(out);
                EventBlocks.forEachInSeqOrder(archive.connection(), runId, writer);
                writer.finish();
                events = writer.events;
                records += writer.records;
                try (PreparedStatement select = archive.connection().prepareStatement("""
                        SELECT tag, kind, at_ns, step_index, placeholder, placeholder_reason, report_size, report
                        FROM snapshots WHERE run_id = ? ORDER BY at_ns, id""")) {
                    select.setLong(1, runId);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            int step = rs.getInt(4);
                            Integer stepIndex = rs.wasNull() ? null : step;
                            SnapshotRows.Meta meta = new SnapshotRows.Meta(rs.getString(1), rs.getString(2),
                                    rs.getLong(3), stepIndex, rs.getInt(5) == 1, rs.getString(6), rs.getInt(7));
                            byte[] payload = ExportRecords.snapshot(meta, rs.getBytes(8));
                            if (payload.length > RecordStream.MAX_PAYLOAD) {
                                throw new ArchiveException("Snapshot '" + meta.tag() + "' of run " + runId
                                        + " is too large to export (" + payload.length + " bytes compressed; the "
                                        + "export format allows " + RecordStream.MAX_PAYLOAD + " per record).");
                            }
                            out.write(RecordStream.frame(payload));
                            snapshots++;
                            records++;
                        }
                    }
                }
                out.write(RecordStream.frame(ExportRecords.end(events, snapshots, records)));
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Summary(runId, file, events, snapshots, Files.size(file));
        } catch (SQLException e) {
            deleteQuietly(temp);
            throw Archive.translate(archive.path(), "read", e);
        } catch (IOException | UncheckedIOException e) {
            deleteQuietly(temp);
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new ArchiveException("Cannot write the export " + file + " (" + cause.getMessage()
                    + "). Check the folder and free space, then retry.", e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Groups events into EVENTS records of {@link #EVENTS_PER_RECORD} as they stream past. */
    private static final class EventRecords implements Consumer<RunEvent> {
        private final OutputStream out;
        private final List<RunEvent> batch = new ArrayList<>(EVENTS_PER_RECORD);
        long events;
        long records;

        EventRecords(OutputStream out) {
            this.out = out;
        }

        @Override
        public void accept(RunEvent e) {
            batch.add(e);
            if (batch.size() == EVENTS_PER_RECORD) finish();
        }

        void finish() {
            if (batch.isEmpty()) return;
            try {
                out.write(RecordStream.frame(ExportRecords.events(batch)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            events += batch.size();
            records++;
            batch.clear();
        }
    }

    /**
     * Creates the temporary file in the target's folder, exclusively ({@code O_CREAT|O_EXCL}, which never follows a
     * symlink): a name that is taken — by a leftover or by a planted link — is skipped, never opened.
     */
    private static Path createTemp(Path file) throws IOException {
        Path preferred = file.resolveSibling(file.getFileName() + ".partial");
        FileAlreadyExistsException taken = null;
        for (int attempt = 0; attempt < 16; attempt++) {
            Path candidate = attempt == 0 ? preferred : file.resolveSibling(file.getFileName() + "."
                    + Long.toHexString(RANDOM.nextLong()) + ".partial");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                taken = e;
            }
        }
        throw taken;
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the partial file is named *.partial
        }
    }
}
