package dev.freezeframe.vmm.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete guest kit on disk: everything needed to boot a sched_ext guest. The lock file is parsed on first use
 * only, which keeps a warm {@code kit build} (that just confirms the kit) well under a second.
 */
public final class Kit {
    public static final String LOCK_FILE = "kit.lock.json";
    public static final String BZIMAGE = "bzImage";
    public static final String VMLINUX = "vmlinux";
    public static final String CONFIG = "config";
    public static final String BASE_INITRAMFS = "initramfs-base.cpio.gz";
    public static final String AGENT = "agent/init";

    private final Path dir;
    private final String kernelVersion;
    private KitLock lock;

    private Kit(Path dir, String kernelVersion, KitLock lock) {
        this.dir = dir;
        this.kernelVersion = kernelVersion;
        this.lock = lock;
    }

    /** The kit described by the lock file in {@code dir}. */
    public static Kit load(Path dir) {
        KitLock lock = KitLock.read(dir.resolve(LOCK_FILE));
        return new Kit(dir, lock.kernelVersion(), lock);
    }

    /** A kit whose lock is read when first needed (the caller knows the kernel version already). */
    static Kit lazy(Path dir, String kernelVersion) {
        return new Kit(dir, kernelVersion, null);
    }

    /** The kit's directory in the cache. */
    public Path dir() {
        return dir;
    }

    /** {@code uname -r} of the kit's kernel. */
    public String kernelVersion() {
        return kernelVersion;
    }

    /** The kernel to boot. */
    public Path bzImage() {
        return dir.resolve(BZIMAGE);
    }

    /** The uncompressed kernel with {@code .BTF} (struct layouts for introspection). */
    public Path vmlinux() {
        return dir.resolve(VMLINUX);
    }

    /** The kernel's config, when known (Debian kernels; a user's kernel may come without one). */
    public Optional<Path> config() {
        Path config = dir.resolve(CONFIG);
        return Files.isRegularFile(config) ? Optional.of(config) : Optional.empty();
    }

    /**
     * Busybox, {@code /dev/console}, the agent as {@code /init} and the schedulers; append a per-run archive with
     * {@link Initramfs#concat}.
     */
    public Path baseInitramfs() {
        return dir.resolve(BASE_INITRAMFS);
    }

    /** Scheduler name → its path inside the guest (e.g. {@code scx_simple → /usr/bin/scx_simple}). */
    public Map<String, String> schedulers() {
        return lock().schedulers();
    }

    public Path lockFile() {
        return dir.resolve(LOCK_FILE);
    }

    public synchronized KitLock lock() {
        if (lock == null) {
            lock = KitLock.read(lockFile());
        }
        return lock;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Kit other && dir.equals(other.dir);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dir);
    }

    @Override
    public String toString() {
        return "Kit[" + kernelVersion + " in " + dir + "]";
    }
}
