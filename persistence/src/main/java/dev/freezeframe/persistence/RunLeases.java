package dev.freezeframe.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * Tells a run that is still being recorded from one whose recorder died. Whoever records a run holds a lease on it: an
 * exclusive lock on byte {@code runId} of a lock file beside the archive ({@code archive.db-live}). The operating
 * system drops the lock when the process dies however it dies, so a run without a verdict whose lease nobody holds was
 * interrupted — no timeout or heartbeat guesses involved.
 *
 * <p>One channel per lock file per JVM, closed only when this process holds no lease in it: on Linux, closing any
 * channel of a file releases every lock the process holds on it. Holds are counted, so the archive that created a run
 * and the ingest writing it can both hold it.
 */
final class RunLeases {
    /** A held lease; {@link #close} gives it back. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private static final class LockFile {
        final FileChannel channel;
        final Map<Long, FileLock> locks = new HashMap<>();
        final Map<Long, Integer> holds = new HashMap<>();

        LockFile(FileChannel channel) {
            this.channel = channel;
        }
    }

    private static final Map<Path, LockFile> FILES = new HashMap<>();
    /** The lock file is created readable by its owner only, like the archive (an existing one keeps its mode). */
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private RunLeases() {
    }

    static Path lockFileOf(Path archive) {
        return archive.resolveSibling(archive.getFileName() + "-live");
    }

    /** Takes a lease on {@code runId}; refused when another process records that run. */
    static Lease hold(Path archive, long runId) {
        synchronized (FILES) {
            LockFile file = open(archive);
            Integer holds = file.holds.get(runId);
            if (holds == null) {
                FileLock lock = tryLock(archive, file, runId);
                if (lock == null) {
                    throw new ArchiveException("Run " + runId + " in " + archive + " is being recorded by another "
                            + "Freezeframe process; only one can record a run.");
                }
                file.locks.put(runId, lock);
                holds = 0;
            }
            file.holds.put(runId, holds + 1);
        }
        boolean[] released = {false};
        return () -> {
            synchronized (FILES) {
                if (released[0]) return;
                released[0] = true;
                release(archive, runId);
            }
        };
    }

    /**
     * Whether some process (this one included) holds a lease on {@code runId}. Without a lock file nobody records;
     * a lock file this process cannot write (a read-only archive) is probed read-only; when even that fails the answer
     * is yes: better to show a dead run as running than a live one as interrupted.
     */
    static boolean isHeld(Path archive, long runId) {
        synchronized (FILES) {
            try {
                LockFile known = FILES.get(key(archive));
                if (known != null && known.holds.containsKey(runId)) return true;
                // every recorder creates the lock file first: without one, nobody records any run
                if (!java.nio.file.Files.exists(lockFileOf(key(archive)))) return false;
                LockFile file = open(archive);
                FileLock probe = tryLock(archive, file, runId);
                if (probe == null) return true;
                probe.release();
                closeIfIdle(archive);
                return false;
            } catch (ArchiveException | IOException e) {
                return heldReadOnly(archive, runId);
            }
        }
    }

    /**
     * Probes a lock file this process cannot open for writing (a read-only archive) with a shared lock, which needs
     * read access only: a recorder's exclusive lease refuses it. This process holds no lease in that file (it could
     * not have taken one), so closing the probe's channel releases nothing of ours. Unreadable: held, to be safe.
     */
    private static boolean heldReadOnly(Path archive, long runId) {
        try (FileChannel probe = FileChannel.open(lockFileOf(key(archive)), StandardOpenOption.READ)) {
            FileLock lock = probe.tryLock(runId, 1, true);
            if (lock == null) return true;
            lock.release();
            return false;
        } catch (IOException | OverlappingFileLockException e) {
            return true;
        }
    }

    private static void release(Path archive, long runId) {
        LockFile file = FILES.get(key(archive));
        if (file == null) return;
        int holds = file.holds.getOrDefault(runId, 0) - 1;
        if (holds > 0) {
            file.holds.put(runId, holds);
            return;
        }
        file.holds.remove(runId);
        FileLock lock = file.locks.remove(runId);
        try {
            if (lock != null) lock.release();
        } catch (IOException ignored) {
            // the lock goes with the process at the latest
        }
        closeIfIdle(archive);
    }

    /** Closes the lock file's channel when this process holds nothing in it (so archives opened once do not leak). */
    private static void closeIfIdle(Path archive) {
        LockFile file = FILES.get(key(archive));
        if (file == null || !file.holds.isEmpty()) return;
        FILES.remove(key(archive));
        try {
            file.channel.close();
        } catch (IOException ignored) {
            // nothing is locked through it
        }
    }

    private static FileLock tryLock(Path archive, LockFile file, long runId) {
        try {
            return file.channel.tryLock(runId, 1, false);
        } catch (OverlappingFileLockException e) {
            return null; // cannot happen while holds are counted; treat as held
        } catch (IOException e) {
            throw new ArchiveException("Cannot use the lock file " + lockFileOf(archive) + " (" + e.getMessage()
                    + "). Check that the archive's folder is writable.", e);
        }
    }

    private static LockFile open(Path archive) {
        return FILES.computeIfAbsent(key(archive), k -> {
            try {
                return new LockFile(FileChannel.open(lockFileOf(k), Set.of(StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE), PRIVATE));
            } catch (IOException e) {
                throw new ArchiveException("Cannot create the lock file " + lockFileOf(k) + " (" + e.getMessage()
                        + "). Check that the archive's folder is writable.", e);
            }
        });
    }

    private static Path key(Path archive) {
        return archive.toAbsolutePath().normalize();
    }
}
