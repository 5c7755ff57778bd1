package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private directory of one VM: control sockets, console socket, guest RAM file, the merged initramfs. Mode 0700 so
 * no other user can attach to the sockets or read guest memory.
 *
 * <p>Location: {@code $XDG_RUNTIME_DIR}, else {@code /dev/shm}, else the JVM's temp dir, skipping any without room for
 * guest RAM. The guest RAM file is shared with QEMU and written constantly; on a disk-backed file system (like /tmp on
 * the build machines) the kernel would write those pages back to disk, so a tmpfs is preferred.
 */
public final class RuntimeDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeDirectory.class);
    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final String PREFIX = "freezeframe-vm-";
    /** Holds the pid of the JVM that created the directory. */
    static final String OWNER_FILE = "owner.pid";

    private final Path path;

    private RuntimeDirectory(Path path) {
        this.path = path;
    }

    /**
     * Creates the directory in the first candidate location with room for {@code ramBytes} of guest memory (a small
     * tmpfs, such as a container's 64 MiB /dev/shm, would let QEMU die of SIGBUS once the guest touches more).
     */
    public static RuntimeDirectory create(long ramBytes) {
        List<Path> candidates = candidateParents();
        for (Path parent : candidates) {
            if (usableBytes(parent) >= ramBytes) {
                return createUnder(parent);
            }
        }
        throw new VmmException(VmmException.Kind.HOST_SETUP, "None of " + candidates + " has room for "
                + (ramBytes >> 20) + " MiB of guest memory; free some space there or give the VM less memory.");
    }

    public static RuntimeDirectory createUnder(Path parent) {
        reapStale(parent);
        try {
            Path dir = Files.createTempDirectory(parent, PREFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            return new RuntimeDirectory(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw new VmmException(VmmException.Kind.HOST_SETUP, "Could not create a private runtime directory under "
                    + parent + "; check that it exists and is writable.", e);
        }
    }

    /**
     * Removes directories left by JVMs that died without cleaning up (killed, crashed): their RAM files would otherwise
     * hold tmpfs memory until reboot. A directory belongs to the process named in its owner file; one without that
     * file counts only once it is older than a start could take.
     */
    static void reapStale(Path parent) {
        try (Stream<Path> dirs = Files.list(parent)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(PREFIX)).toList()) {
                if (isAbandoned(dir)) {
                    LOG.info("Removing the runtime directory of a VM whose process is gone: {}", dir);
                    new RuntimeDirectory(dir).delete();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not look for stale runtime directories in {}", parent, e);
        }
    }

    private static boolean isAbandoned(Path dir) {
        try {
            Path owner = dir.resolve(OWNER_FILE);
            if (!Files.exists(owner)) {
                return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(Duration.ofMinutes(10)));
            }
            long pid = Long.parseLong(Files.readString(owner).strip());
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException | SecurityException e) {
            return false; // not ours to judge (another user's, or being written right now)
        }
    }

    /** $XDG_RUNTIME_DIR, /dev/shm, the JVM's temp dir: the writable ones, in that order. */
    static List<Path> candidateParents() {
        List<Path> candidates = new ArrayList<>();
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) {
            candidates.add(Path.of(xdg));
        }
        candidates.add(Path.of("/dev/shm"));
        candidates.add(Path.of(System.getProperty("java.io.tmpdir")));
        return candidates.stream().filter(p -> Files.isDirectory(p) && Files.isWritable(p)).distinct().toList();
    }

    static long usableBytes(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    public Path path() {
        return path;
    }

    /** A file in the directory. */
    public Path file(String name) {
        return path.resolve(name);
    }

    /** A socket path in the directory; checked against the unix socket path limit. */
    public Path socket(String name) {
        Path socket = file(name);
        if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new VmmException(VmmException.Kind.HOST_SETUP, "The runtime directory path " + path
                    + " is too long for unix sockets; set XDG_RUNTIME_DIR to a shorter directory.");
        }
        return socket;
    }

    /** Removes the directory and everything in it; logs instead of throwing, since it runs during clean-up. */
    public void delete() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("Could not remove the VM runtime directory {}", path, e);
        }
    }
}
