package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitCacheTest {
    @TempDir
    Path root;

    @Test
    void defaultRootFollowsXdgCacheHome() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/home/u/.cache/freezeframe/kit"), KitCache.defaultRoot(Map.of(), home));
        assertEquals(Path.of("/x/freezeframe/kit"), KitCache.defaultRoot(Map.of("XDG_CACHE_HOME", "/x"), home));
        // the XDG spec says a relative value is invalid
        assertEquals(Path.of("/home/u/.cache/freezeframe/kit"),
                KitCache.defaultRoot(Map.of("XDG_CACHE_HOME", "rel"), home));
    }

    /** A fake but internally consistent kit: lock file and artifacts. */
    private Path fakeKit(String version) throws IOException {
        Path dir = root.resolve(version);
        Files.createDirectories(dir.resolve("sbin"));
        Files.writeString(dir.resolve(Kit.BZIMAGE), "kernel " + version);
        Files.writeString(dir.resolve("sbin/scx_simple"), "scheduler");
        Map<String, KitLock.LockedArtifact> artifacts = Map.of(
                Kit.BZIMAGE, KitLock.LockedArtifact.of(dir.resolve(Kit.BZIMAGE)),
                "sbin/scx_simple", KitLock.LockedArtifact.of(dir.resolve("sbin/scx_simple")));
        new KitLock(KitLock.FORMAT_VERSION, KitBuilder.KIT_VERSION, version, "debian", "2026-11-21T00:00:00Z",
                List.of(), Map.of(), artifacts, KitBuilder.agentSourceSha256(),
                Map.of("scx_simple", "/usr/bin/scx_simple")).write(dir.resolve(Kit.LOCK_FILE));
        return dir;
    }

    @Test
    void currentPointsAtTheLastKitSet() throws IOException {
        KitCache cache = new KitCache(root);
        assertTrue(cache.current().isEmpty());
        cache.setCurrent(fakeKit("7.2.13+deb14-cloud-amd64"));
        cache.setCurrent(fakeKit("7.3.4+deb13-cloud-amd64"));
        Kit current = cache.current().orElseThrow();
        assertEquals("7.3.4+deb13-cloud-amd64", current.kernelVersion());
        assertEquals(Map.of("scx_simple", "/usr/bin/scx_simple"), current.schedulers());
        assertEquals(2, cache.kits().size());
        assertTrue(Files.isSymbolicLink(root.resolve("current")));
    }

    @Test
    void completenessUsesStampsAndNoticesAnyWrite() throws IOException {
        KitCache cache = new KitCache(root);
        Path dir = fakeKit("7.3.4+deb13-cloud-amd64");
        cache.setCurrent(dir);
        Kit kit = cache.current().orElseThrow();
        assertEquals(List.of(), KitBuilder.problems(kit)); // full hash; records stamps
        assertTrue(Stamps.unchanged(dir).isPresent());
        assertTrue(KitBuilder.isComplete(kit));

        // same size, same mtime: the ctime still changes, so the stamp no longer matches and the hash catches it
        Path scheduler = dir.resolve("sbin/scx_simple");
        var mtime = Files.getLastModifiedTime(scheduler);
        Files.writeString(scheduler, "schedulex");
        Files.setLastModifiedTime(scheduler, mtime);
        assertTrue(Stamps.unchanged(dir).isEmpty());
        assertFalse(KitBuilder.isComplete(kit));
        assertEquals(List.of("sbin/scx_simple is missing or does not match its sha256"), KitBuilder.problems(kit));
    }

    @Test
    void cleanKeepsDownloadsUnlessAll() throws IOException {
        KitCache cache = new KitCache(root);
        cache.setCurrent(fakeKit("7.3.4+deb13-cloud-amd64"));
        Files.createDirectories(root.resolve("downloads"));
        Files.write(root.resolve("downloads/linux-source-7.3.deb"), new byte[1000]);
        assertTrue(cache.clean(false, KitProgress.silent()) > 0);
        assertTrue(cache.current().isEmpty());
        assertTrue(Files.exists(root.resolve("downloads/linux-source-7.3.deb")));
        cache.clean(true, KitProgress.silent());
        assertFalse(Files.exists(root.resolve("downloads")));
    }

    @Test
    void asecondBuildInTheSameProcessWaitsForTheFirst() throws Exception {
        KitCache cache = new KitCache(root);
        KitCache.BuildLock first = cache.lockForBuild(KitProgress.silent());
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicBoolean acquired = new AtomicBoolean();
        Thread second = new Thread(() -> {
            try (KitCache.BuildLock lock = cache.lockForBuild(new KitProgress() {
                @Override public void step(String name, String detail) { }
                @Override public void done(String name, String detail) { }
                @Override public void bytes(String name, long done, long total) { }
                @Override public void note(String text) { waiting.countDown(); }
            })) {
                acquired.set(lock != null);
            }
        });
        second.start();
        assertTrue(waiting.await(10, TimeUnit.SECONDS), "the second build should say it waits");
        assertFalse(acquired.get());
        first.close();
        second.join(10_000);
        assertTrue(acquired.get());
    }
}
