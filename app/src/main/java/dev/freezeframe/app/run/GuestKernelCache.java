package dev.freezeframe.app.run;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.live.KallsymsCache;
import dev.freezeframe.coordinator.introspect.kernel.GuestKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BTF of every kernel a run has booted, kept by release and build id ({@code <cache>/kernels/<key>.btf}, the key
 * as {@link KallsymsCache#key(String, String)}), so a run's snapshots can be decoded again with the types of the
 * kernel that produced them, whichever kernel the kit holds by then. Written once per build, atomically; a failure is
 * logged and never fails a run.
 */
public final class GuestKernelCache {
    private static final Logger LOG = LoggerFactory.getLogger(GuestKernelCache.class);

    private final Path dir;

    public GuestKernelCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public static GuestKernelCache in(AppDirs dirs) {
        return new GuestKernelCache(dirs.cacheDir().resolve("kernels"));
    }

    public Path file(String release, String buildId) {
        return dir.resolve(KallsymsCache.key(release, buildId) + ".btf");
    }

    /** Keeps the kernel's BTF unless this build's is already kept. */
    public void store(GuestKernel kernel) {
        if (kernel.btf().length == 0 || kernel.buildId().isEmpty()) return; // nothing to keep, or no stable key
        Path file = file(kernel.release(), kernel.buildId());
        if (Files.isRegularFile(file)) return;
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".btf-", ".tmp");
            Files.write(tmp, kernel.btf());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("cannot keep the BTF of kernel {} in {}", kernel.describe(), dir, e);
        }
    }

    /** The BTF of a kernel build a run has seen. */
    public Optional<byte[]> load(String release, String buildId) {
        try {
            Path file = file(release, buildId);
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            LOG.warn("cannot read the cached BTF of kernel {} {}", release, buildId, e);
            return Optional.empty();
        }
    }
}
