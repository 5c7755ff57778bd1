package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.Lane;
import dev.freezeframe.coordinator.model.RunEvent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one run as a single export file ({@link RecordStream} framing, {@link ExportRecords} payloads): the run, its
 * events in batches, its snapshots (reports as stored, compressed), and an end record with the counts. The file is
 * written beside the target and moved into place when complete, so a failed export never leaves a partial file.
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
        Path temp = file.resolveSibling(file.getFileName() + ".partial");
        long events = 0;
        long snapshots = 0;
        long records = 0;
        try {
            RunRow run = RunRow.read(archive.connection(), runId);
            if (run == null) throw new ArchiveException("There is no run " + runId + " in " + archive.path() + ".");
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                RecordStream.writeHeader(out, RecordStream.FORMAT_VERSION);
                out.write(RecordStream.frame(ExportRecords.run(run)));
                records++;
                try (PreparedStatement select = archive.connection().prepareStatement("""
                        SELECT seq, at_ns, lane, kind, text, value, detail_json FROM events
                        WHERE run_id = ? ORDER BY seq""")) {
                    select.setLong(1, runId);
                    List<RunEvent> batch = new ArrayList<>(EVENTS_PER_RECORD);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            double v = rs.getDouble(6);
                            Double value = rs.wasNull() ? null : v;
                            batch.add(new RunEvent(rs.getLong(1), rs.getLong(2), Lane.fromWireName(rs.getString(3)),
                                    rs.getString(4), rs.getString(5), value, rs.getString(7)));
                            if (batch.size() == EVENTS_PER_RECORD) {
                                out.write(RecordStream.frame(ExportRecords.events(batch)));
                                events += batch.size();
                                records++;
                                batch.clear();
                            }
                        }
                    }
                    if (!batch.isEmpty()) {
                        out.write(RecordStream.frame(ExportRecords.events(batch)));
                        events += batch.size();
                        records++;
                    }
                }
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
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new ArchiveException("Cannot write the export " + file + " (" + e.getMessage()
                    + "). Check the folder and free space, then retry.", e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the partial file is named *.partial
        }
    }
}
