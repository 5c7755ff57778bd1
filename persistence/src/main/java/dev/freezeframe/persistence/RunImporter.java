package dev.freezeframe.persistence;

import dev.freezeframe.coordinator.model.RunEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Imports a run export as a new run, all or nothing (one transaction). Recovery rules (seed
 * {@code batpak-segment-recovery-tests}, see {@link RecordStream}): a torn tail — the file ends inside a record, or
 * right after an intact record without the end record — is recovered: the records before the tear are imported and
 * the report says what was lost (unless {@code strict}, which refuses it). Any damage with intact records after it
 * fails closed: nothing is imported. A file from a newer Freezeframe, a file that is not an export, or one larger
 * than the size limit is refused before anything is read into the archive.
 */
public final class RunImporter {
    public static final long DEFAULT_MAX_FILE_BYTES = 8L << 30;

    private final Archive archive;
    private final long maxFileBytes;
    private final boolean strict;

    public RunImporter(Archive archive) {
        this(archive, DEFAULT_MAX_FILE_BYTES, false);
    }

    /**
     * @param maxFileBytes larger files are refused
     * @param strict       refuse a torn (cut off) export instead of recovering its intact part
     */
    public RunImporter(Archive archive, long maxFileBytes, boolean strict) {
        this.archive = archive;
        this.maxFileBytes = maxFileBytes;
        this.strict = strict;
    }

    public ImportReport importFile(Path path) {
        archive.requireWritable("import a run");
        Path file = path.toAbsolutePath().normalize();
        long fileLen;
        try {
            fileLen = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ArchiveException("There is no file " + file + " to import.", e);
        } catch (IOException e) {
            throw new ArchiveException("Cannot read " + file + " (" + e.getMessage() + ").", e);
        }
        if (fileLen > maxFileBytes) {
            throw new ArchiveException(file + " is " + fileLen + " bytes, more than the import limit of "
                    + maxFileBytes + " bytes. Nothing was imported.");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            try {
                RecordStream.readHeader(channel);
            } catch (RecordStream.HeaderException e) {
                throw new ArchiveException(switch (e.problem) {
                    case NOT_AN_EXPORT -> file + " is not a Freezeframe run export. Nothing was imported.";
                    case TOO_SHORT -> file + " is cut off inside its header; it holds no run. Nothing was imported.";
                    case NEWER_VERSION -> file + " was written by a newer Freezeframe (export format " + e.version
                            + "; this version reads up to " + RecordStream.FORMAT_VERSION + "). Update Freezeframe to "
                            + "import it. Nothing was imported.";
                    case DAMAGED -> "The header of " + file + " is damaged. Nothing was imported; ask for a fresh "
                            + "export.";
                }, e);
            }
            return importRecords(file, channel, fileLen);
        } catch (IOException e) {
            throw new ArchiveException("Cannot read " + file + " (" + e.getMessage() + "). Nothing was imported.", e);
        }
    }

    private ImportReport importRecords(Path file, FileChannel channel, long fileLen) throws IOException {
        Connection connection = archive.connection();
        long runId = -1;
        long events = 0;
        long snapshots = 0;
        long records = 0;
        long pos = RecordStream.HEADER_BYTES;
        boolean ended = false;
        boolean torn = false;
        String tornWhy = null;
        try {
            connection.setAutoCommit(false);
            EventWriter writer = null;
            try {
                while (true) {
                    if (pos == fileLen) {
                        if (!ended) {
                            torn = true;
                            tornWhy = "it ends after record " + records + " without its end record";
                        }
                        break;
                    }
                    byte[] payload = RecordStream.tryFrameAt(channel, pos, fileLen);
                    if (payload == null) {
                        long next = RecordStream.nextValidFrame(channel, pos, fileLen);
                        if (next >= 0) {
                            throw new ArchiveException("The export " + file + " is damaged at byte " + pos
                                    + " (record " + (records + 1) + " fails its checksum, and intact records follow "
                                    + "at byte " + next + "). Nothing was imported; ask for a fresh export.");
                        }
                        if (ended) {
                            throw new ArchiveException("The export " + file + " has " + (fileLen - pos)
                                    + " unexpected bytes after its end record. Nothing was imported.");
                        }
                        torn = true;
                        tornWhy = "it is cut off at byte " + pos + " of " + fileLen + ", inside record "
                                + (records + 1);
                        break;
                    }
                    if (ended) {
                        throw new ArchiveException("The export " + file + " has records after its end record (at byte "
                                + pos + "). Nothing was imported.");
                    }
                    records++;
                    byte type = payload.length == 0 ? 0 : payload[0];
                    if (records == 1 && type != ExportRecords.RUN) {
                        throw malformed(file, records, "the first record is not the run's description");
                    }
                    switch (type) {
                        case ExportRecords.RUN -> {
                            if (records != 1) throw malformed(file, records, "a second run description");
                            RunRow run = ExportRecords.parseRun(payload);
                            ImportChecks.run(run);
                            runId = RunRow.insert(connection, run);
                            List<ViewerMark> marks = ExportRecords.parseViewerMarks(payload);
                            for (ViewerMark.Kind kind : ViewerMark.Kind.values()) {
                                ViewerMarkRows.replace(connection, runId, kind, marks);
                            }
                            writer = new EventWriter(connection, runId);
                        }
                        case ExportRecords.EVENTS -> {
                            for (RunEvent e : ExportRecords.parseEvents(payload)) {
                                ImportChecks.event(e);
                                writer.add(e);
                                events++;
                            }
                            writer.writePending();
                        }
                        case ExportRecords.SNAPSHOT -> {
                            ExportRecords.Snapshot s = ExportRecords.parseSnapshot(payload);
                            ImportChecks.snapshot(s.meta());
                            writer.addCompressed(s.meta(), s.compressedReport());
                            writer.writePending();
                            snapshots++;
                        }
                        case ExportRecords.END -> {
                            long[] counts = ExportRecords.parseEnd(payload);
                            if (counts[0] != events || counts[1] != snapshots || counts[2] != records - 1) {
                                throw malformed(file, records, "its end record counts " + counts[0] + " events, "
                                        + counts[1] + " snapshots and " + counts[2] + " records, but the file holds "
                                        + events + ", " + snapshots + " and " + (records - 1));
                            }
                            ended = true;
                        }
                        default -> throw malformed(file, records, "unknown record type " + type
                                + " (written by a newer Freezeframe?)");
                    }
                    pos += RecordStream.FRAME_HEADER_BYTES + payload.length;
                }
                if (torn && strict) {
                    throw new ArchiveException("The export " + file + " is incomplete (" + tornWhy + "). Nothing was "
                            + "imported (strict mode); import without --strict to recover the intact part.");
                }
                if (runId < 0) {
                    throw new ArchiveException("The export " + file + " is incomplete (" + tornWhy + ") and holds "
                            + "no run. Nothing was imported.");
                }
                if (writer != null) {
                    writer.writePending();
                    writer.close();
                }
                if (torn) noteTornImport(connection, runId, file, tornWhy);
                connection.commit();
            } catch (ExportRecords.MalformedRecord e) {
                rollback(connection);
                throw malformed(file, records, e.getMessage());
            } catch (SQLException | RuntimeException | IOException e) {
                rollback(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
            try {
                SearchIndex.indexAll(connection);
            } catch (SQLException e) {
                // the chunks stay pending and are indexed before the next text search
            }
        } catch (SQLException e) {
            throw Archive.translate(archive.path(), "import into", e);
        }
        String message = torn
                ? "Recovered a cut-off export: " + tornWhy + ". Imported run " + runId + " with the " + events
                        + " events and " + snapshots + " snapshots before the cut; anything after it is lost."
                : "Imported run " + runId + " with " + events + " events and " + snapshots + " snapshots.";
        return new ImportReport(runId, events, snapshots, torn, pos, fileLen, message);
    }

    /** Marks the run as incomplete, so whoever browses it later knows its end is missing. */
    private static void noteTornImport(Connection connection, long runId, Path file, String why) throws SQLException {
        try (PreparedStatement note = connection.prepareStatement("""
                UPDATE runs SET archive_note = trim(coalesce(archive_note || ' ', '') || ?) WHERE id = ?""")) {
            note.setString(1, "Imported from a cut-off export (" + file.getFileName() + ": " + why
                    + "); whatever the run recorded after the cut is missing.");
            note.setLong(2, runId);
            note.executeUpdate();
        }
    }

    private static ArchiveException malformed(Path file, long record, String what) {
        return new ArchiveException("The export " + file + " cannot be imported: record " + record + " is intact but "
                + "not valid (" + what + "). Nothing was imported.");
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }
}
