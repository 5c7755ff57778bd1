package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitLockTest {
    @TempDir
    Path dir;

    private KitLock lockFor(String... files) throws IOException {
        Map<String, KitLock.LockedArtifact> artifacts = new java.util.TreeMap<>();
        for (String f : files) {
            artifacts.put(f, KitLock.LockedArtifact.of(dir.resolve(f)));
        }
        return new KitLock(KitLock.FORMAT_VERSION, KitBuilder.KIT_VERSION, "7.3.4+deb13-cloud-amd64", "debian",
                "2026-11-21T08:00:00Z",
                List.of(new KitLock.LockedPackage("linux-source-7.3", "7.3.4-1~bpo13+1", "trixie-backports",
                        "linux-source-7.3_7.3.4-1~bpo13+1_all.deb", 166780612L, "ab".repeat(32), "kernel-source")),
                Map.of("busybox-static", "1:1.35.0-4+b4"), artifacts, "cd".repeat(32),
                Map.of("scx_simple", "/usr/bin/scx_simple"));
    }

    @Test
    void roundTripsThroughJson() throws IOException {
        Files.writeString(dir.resolve("bzImage"), "kernel");
        KitLock lock = lockFor("bzImage");
        Path file = dir.resolve(Kit.LOCK_FILE);
        lock.write(file);
        assertEquals(lock, KitLock.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"linux-source-7.3\"") && json.contains("\"sha256\"") && json.contains("\"kitVersion\""),
                json);
    }

    @Test
    void anIntactKitVerifies() throws IOException {
        Files.writeString(dir.resolve("bzImage"), "kernel");
        Files.createDirectories(dir.resolve("sbin"));
        Files.write(dir.resolve("sbin/scx_simple"), new byte[4096]);
        assertEquals(List.of(), lockFor("bzImage", "sbin/scx_simple").verify(dir));
    }

    @Test
    void aCorruptedArtifactOfTheSameSizeIsDetected() throws IOException {
        Files.writeString(dir.resolve("bzImage"), "kernel");
        Files.write(dir.resolve("vmlinux"), new byte[8192]);
        KitLock lock = lockFor("bzImage", "vmlinux");
        long mtime = Files.getLastModifiedTime(dir.resolve("vmlinux")).toMillis();
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("vmlinux").toFile(), "rw")) {
            f.seek(4000);
            f.write(1);
        }
        // even with the old size and modification time the hash gives it away
        Files.setLastModifiedTime(dir.resolve("vmlinux"), java.nio.file.attribute.FileTime.fromMillis(mtime));
        assertEquals(List.of("vmlinux"), lock.verify(dir));
    }

    @Test
    void aMissingArtifactIsDetected() throws IOException {
        Files.writeString(dir.resolve("bzImage"), "kernel");
        KitLock lock = lockFor("bzImage");
        Files.delete(dir.resolve("bzImage"));
        assertEquals(List.of("bzImage"), lock.verify(dir));
    }
}
