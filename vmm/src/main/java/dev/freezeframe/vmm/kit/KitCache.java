package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kit cache: {@code <root>/<kernel-version>/} per kit, {@code downloads/} for .debs (kept, partial ones too),
 * {@code apt/} for the private apt configuration, {@code toolchain/} for the unpacked BPF compiler, {@code current}
 * pointing at the kit the next run boots, and {@code .build.lock}, the file lock that serialises builds.
 */
public final class KitCache {
    private static final String CURRENT = "current";
    private final Path root;

    public KitCache(Path root) {
        this.root = root.toAbsolutePath();
    }

    /** {@code $XDG_CACHE_HOME/freezeframe/kit}, or {@code ~/.cache/freezeframe/kit}. */
    public static KitCache defaultCache() {
        return new KitCache(defaultRoot(System.getenv(), Path.of(System.getProperty("user.home"))));
    }

    static Path defaultRoot(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".cache");
        return base.resolve("freezeframe").resolve("kit");
    }

    public Path root() {
        return root;
    }

    Path downloads() {
        return root.resolve("downloads");
    }

    Path aptDir() {
        return root.resolve("apt");
    }

    Path toolchains() {
        return root.resolve("toolchain");
    }

    public Path kitDir(String key) {
        if (key.isEmpty() || key.contains("/") || key.startsWith(".")) {
            throw new IllegalArgumentException("bad kit key: " + key);
        }
        return root.resolve(key);
    }

    /** The directory {@code current} points at, if any. */
    public Optional<Path> currentDir() {
        try {
            return Optional.of(root.resolve(Files.readSymbolicLink(root.resolve(CURRENT))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The kit {@code current} points at, if any; not verified. */
    public Optional<Kit> current() {
        Path link = root.resolve(CURRENT);
        try {
            Path target = Files.readSymbolicLink(link);
            Path dir = root.resolve(target);
            if (!Files.isRegularFile(dir.resolve(Kit.LOCK_FILE))) {
                return Optional.empty();
            }
            return Optional.of(Kit.load(dir));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | VmmException e) {
            return Optional.empty();
        }
    }

    /** Points {@code current} at {@code dir} atomically (a symlink renamed over the old one). */
    void setCurrent(Path dir) throws IOException {
        Path tmp = root.resolve(CURRENT + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, root.relativize(dir));
        Files.move(tmp, root.resolve(CURRENT), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every kit directory that has a lock file, newest name first. */
    public List<Kit> kits() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            List<Kit> kits = new ArrayList<>();
            for (Path dir : dirs.filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                    && Files.isRegularFile(d.resolve(Kit.LOCK_FILE))).sorted().toList()) {
                try {
                    kits.add(Kit.load(dir));
                } catch (VmmException e) {
                    // an unreadable lock is reported by status as "no kit" for that directory; skip it here
                }
            }
            return kits;
        } catch (IOException e) {
            throw new VmmException("Cannot list the kit cache " + root + ".", e);
        }
    }

    /**
     * Takes the cache's build lock, waiting for another build to finish first. A lock on a file (not a PID file) is
     * released by the OS even if the holder is killed.
     */
    public BuildLock lockForBuild(KitProgress progress) {
        // A file lock is per process: inside one JVM (the workbench) builds queue on this lock first.
        if (!IN_PROCESS.tryLock()) {
            progress.note("another kit build is running; waiting for it to finish");
            IN_PROCESS.lock();
        }
        try {
            Files.createDirectories(root);
            FileChannel channel = FileChannel.open(root.resolve(".build.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                progress.note("another kit build is running; waiting for it to finish");
                lock = channel.lock();
            }
            return new BuildLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            IN_PROCESS.unlock();
            if (e instanceof IOException) {
                throw new VmmException("Cannot lock the kit cache " + root + "; check that it is writable.", e);
            }
            throw (RuntimeException) e;
        }
    }

    private static final java.util.concurrent.locks.ReentrantLock IN_PROCESS = new java.util.concurrent.locks.ReentrantLock();

    /** Held while a build or clean changes the cache. */
    public static final class BuildLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        BuildLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // closing the channel releases the lock anyway
            } finally {
                IN_PROCESS.unlock();
            }
        }
    }

    /**
     * Removes the built kits and work files. Downloads (the .debs) stay unless {@code downloadsToo}: they are the
     * expensive, version-pinned part.
     *
     * @return bytes freed
     */
    public long clean(boolean downloadsToo, KitProgress progress) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        BuildLock lock = lockForBuild(progress);
        try (Stream<Path> entries = Files.list(root)) {
            long freed = 0;
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.equals(".build.lock") || (!downloadsToo && name.equals("downloads"))) {
                    continue;
                }
                freed += deleteTree(entry);
            }
            return freed;
        } catch (IOException e) {
            throw new VmmException("Cannot clean the kit cache " + root + ".", e);
        } finally {
            lock.close();
        }
    }

    private static final Path RM = Path.of("/bin/rm");
    private static final String TRASH = ".trash";

    /**
     * Removes a large work tree without waiting for it: it is renamed into {@code .trash} (instant) and a detached
     * {@code rm -rf} deletes it. Deleting a kernel source tree is bound by disk latency (~20-30 s on a busy shared
     * disk), which the user should not wait for. Leftovers (e.g. after a reboot) are swept by the next call.
     */
    void discard(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path trash = root.resolve(TRASH);
        Files.createDirectories(trash);
        Path target = trash.resolve(dir.getFileName() + "-" + System.nanoTime());
        try {
            Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteTree(dir);
            return;
        }
        if (!Files.isExecutable(RM)) {
            deleteTree(target);
            return;
        }
        try (Stream<Path> leftovers = Files.list(trash)) {
            List<String> cmd = new ArrayList<>(List.of(RM.toString(), "-rf", "--one-file-system", "--"));
            leftovers.forEach(p -> cmd.add(p.toString()));
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
    }
    private static final Path DU = Path.of("/usr/bin/du");

    /** Bytes used under {@code path} (du -sb), or 0 if unknown; only for the user's information. */
    private static long sizeOf(Path path) {
        if (!Files.isExecutable(DU)) {
            return 0;
        }
        try {
            Process du = new ProcessBuilder(DU.toString(), "-sb", "--", path.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            // no deadline: its output was read to the end above
            du.waitFor();
            return Long.parseLong(out.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static long deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(RM)) {
            // a kernel source tree is ~20k files: rm(1) removes it in ~2 s where a Java file walk took ~25 s here
            long size = sizeOf(path);
            try {
                Process rm = new ProcessBuilder(RM.toString(), "-rf", "--one-file-system", "--", path.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                // no deadline: removing a kit tree takes as long as the disk needs; the user waits for `kit clean`
                if (rm.waitFor() == 0 && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    return size;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while removing " + path, e);
            }
        }
        long[] freed = {0};
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                freed[0] += attrs.size();
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
        return freed[0];
    }
}
