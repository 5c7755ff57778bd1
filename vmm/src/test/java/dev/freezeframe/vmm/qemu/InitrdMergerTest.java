package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitrdMergerTest {

    @TempDir
    Path dir;

    @Test
    void concatenatesInOrderAndStartsEachArchiveOnAFourByteBoundary() throws Exception {
        Path base = Files.write(dir.resolve("base"), new byte[] {1, 2, 3, 4, 5});
        Path perRun = Files.write(dir.resolve("run"), new byte[] {6, 7, 8});
        Path merged = dir.resolve("merged");
        InitrdMerger.merge(List.of(base, perRun), merged);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 0, 0, 0, 6, 7, 8, 0}, Files.readAllBytes(merged));
    }
}
