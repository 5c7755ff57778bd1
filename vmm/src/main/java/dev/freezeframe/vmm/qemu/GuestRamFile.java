package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that backs guest RAM, created by us (0600, sparse) before QEMU starts and mapped shared into the JVM, so the
 * host sees guest memory at memory speed and can prepare it (the data-channel header) before boot. QEMU opens the same
 * file with {@code share=on}; both mappings are the same page-cache pages. The mapping outlives the file's deletion and
 * is released by {@link #close()}.
 */
final class GuestRamFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GuestRamFile.class);

    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private GuestRamFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    static GuestRamFile create(Path path, long bytes) {
        long usable = RuntimeDirectory.usableBytes(path.getParent());
        if (usable < bytes) {
            throw new VmmException(VmmException.Kind.HOST_SETUP, "Only " + (usable >> 20) + " MiB are free in "
                    + path.getParent() + " but the guest needs " + (bytes >> 20)
                    + " MiB there; free some space or give the VM less memory.");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel file = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            file.write(ByteBuffer.wrap(new byte[1]), bytes - 1); // sets the size; the file stays sparse
            MemorySegment segment = file.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
            return new GuestRamFile(path, arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw new VmmException(VmmException.Kind.HOST_SETUP, "Could not create the " + (bytes >> 20)
                    + " MiB guest memory file " + path + "; check free space in its file system.", e);
        }
    }

    Path path() {
        return path;
    }

    /** The whole file, writable (the backend's own use: data-channel window). */
    MemorySegment segment() {
        return segment;
    }

    /** Unmaps; readers still holding slices then fail cleanly instead of touching unmapped memory. */
    @Override
    public void close() {
        for (int attempt = 0; ; attempt++) {
            try {
                arena.close();
                return;
            } catch (IllegalStateException busy) {
                // Another thread is inside an access right now; it finishes within microseconds.
                if (attempt == 100) {
                    LOG.warn("Guest memory stays mapped: a reader kept it busy", busy);
                    return;
                }
                Thread.onSpinWait();
            }
        }
    }
}
