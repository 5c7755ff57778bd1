package dev.freezeframe.app.cli;

import dev.freezeframe.persistence.Archive;
import dev.freezeframe.persistence.ArchiveException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Shared plumbing of the archive commands: the archive chosen with the inherited {@code --db}, date parsing. */
final class ArchiveCommands {
    private ArchiveCommands() {
    }

    static Archive open(CommandSpec spec) {
        FreezeframeCommand root = (FreezeframeCommand) spec.root().userObject();
        return Archive.open(root.archivePath());
    }

    /** Refuses a run id the archive does not have, with the command that lists the ones it has. */
    static void requireRun(Archive archive, long runId) {
        if (archive.runs().detail(runId).isEmpty()) {
            throw new ArchiveException("There is no run " + runId + " in " + archive.path()
                    + " (see `freezeframe runs list`).");
        }
    }

    /** Parses {@code 2026-11-01}, {@code 2026-11-01T10:00} (local time) or an ISO instant. */
    static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException ignored) {
                // try the local forms
            }
            try {
                return LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException ignored) {
                // try a plain date
            }
            try {
                return LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a date (use 2026-11-01, "
                        + "2026-11-01T10:00 or 2026-11-01T10:00:00Z)");
            }
        }
    }
}
