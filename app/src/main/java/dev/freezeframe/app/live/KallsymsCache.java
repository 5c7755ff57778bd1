package dev.freezeframe.app.live;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.coordinator.introspect.kernel.KernelSymbolTable;
import dev.freezeframe.vmm.kit.Kit;
import dev.freezeframe.vmm.kit.KitLock;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest kernel's symbol table (kallsyms), kept once per kernel build after a run has received it, so a launch form
 * can complete watch symbols before anything boots. One file per build, {@code <cache>/symbols/<key>.kallsyms}, in
 * kallsyms' own text form; the key is the kernel release plus the start of the kit's bzImage hash, so a rebuilt kernel
 * with the same release gets a file of its own. Written atomically (a reader never sees half a file), readable only by
 * the user. A missing or damaged file is simply not there: the cache never fails a run.
 */
public final class KallsymsCache {
    private static final Logger LOG = LoggerFactory.getLogger(KallsymsCache.class);
    private static final String SUFFIX = ".kallsyms";

    private final Path dir;

    /** @param dir the folder holding the files ({@code <cache>/symbols}) */
    public KallsymsCache(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    /** The cache under the user's cache folder. */
    public static KallsymsCache in(AppDirs dirs) {
        return new KallsymsCache(dirs.cacheDir().resolve("symbols"));
    }

    /** The build's key: {@code 7.3.4+deb13-cloud-amd64-1a2b3c4d5e6f}. */
    public static String key(Kit kit) {
        String release = kit.kernelVersion();
        try {
            KitLock.LockedArtifact image = kit.lock().artifacts().get(Kit.BZIMAGE);
            if (image != null && image.sha256() != null && image.sha256().length() >= 12) {
                return key(release, image.sha256().substring(0, 12));
            }
        } catch (RuntimeException e) {
            LOG.debug("no bzImage hash for the kallsyms cache key: {}", e.getMessage());
        }
        return key(release, "");
    }

    /** A key from a release and a build id (either may be empty). */
    public static String key(String release, String buildId) {
        String raw = buildId.isEmpty() ? release : release + "-" + buildId;
        String safe = raw.replaceAll("[^A-Za-z0-9._+-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) safe = "kernel" + safe;
        return safe.toLowerCase(Locale.ROOT);
    }

    public Path file(String key) {
        return dir.resolve(key + SUFFIX);
    }

    /** The symbols of the kit's kernel if a run has cached them. */
    public Optional<KernelSymbolTable> load(Kit kit) {
        return load(key(kit));
    }

    /**
     * The symbols of a kernel known only by its release (an archived run records the release, not the build): the
     * newest file of that release, whichever build it came from.
     */
    public Optional<KernelSymbolTable> loadRelease(String release) {
        String prefix = key(release, "");
        try (var files = Files.list(dir)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.endsWith(SUFFIX) && (n.equals(prefix + SUFFIX) || n.startsWith(prefix + "-"));
            }).max(java.util.Comparator.comparingLong(KallsymsCache::modified)).flatMap(f -> {
                String n = f.getFileName().toString();
                return load(n.substring(0, n.length() - SUFFIX.length()));
            });
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    public Optional<KernelSymbolTable> load(String key) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            KernelSymbolTable.Builder builder = new KernelSymbolTable.Builder();
            try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
                lines.forEach(line -> builder.addKallsymsText(line));
            }
            if (builder.size() == 0) return Optional.empty();
            return Optional.of(builder.build());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot read the cached kernel symbols {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Writes the table for {@code key} unless a file is there already (symbols of one build do not change).
     *
     * @return true when this call wrote it
     */
    public boolean saveIfAbsent(String key, KernelSymbolTable table) {
        if (table.size() == 0 || Files.isRegularFile(file(key))) return false;
        try {
            save(key, table);
            return true;
        } catch (IOException e) {
            LOG.warn("cannot cache the kernel symbols in {}: {}", dir, e.getMessage());
            return false;
        }
    }

    /** Writes (or replaces) the table for {@code key}: a private temporary file, then one atomic rename. */
    public void save(String key, KernelSymbolTable table) throws IOException {
        createPrivateDir(dir);
        Path tmp = Files.createTempFile(dir, key + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                for (KernelSymbolTable.Symbol s : table.all()) {
                    out.write(String.format("%016x %c %s", s.address(), s.type(), s.name()));
                    if (s.module() != null) out.write("\t[" + s.module() + "]");
                    out.write('\n');
                }
            }
            Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void createPrivateDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException raced) {
            // another run made it meanwhile
        }
    }
}
