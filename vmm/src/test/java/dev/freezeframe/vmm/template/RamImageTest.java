package dev.freezeframe.vmm.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RamImageTest {
    private static final long RAM = 64L << 20;

    @TempDir
    Path dir;

    /** A sparse RAM file like the backend's, mapped shared; pages written where asked. */
    static MemorySegment sparseRam(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[1]), RAM - 1);
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, RAM, arena);
        }
    }

    @Test
    void onlyNonZeroPagesAreStoredAndComeBackWhereTheyWere() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = sparseRam(dir.resolve("ram"), arena);
            ram.set(ValueLayout.JAVA_LONG, 0, 0x1122334455667788L);            // page 0
            ram.set(ValueLayout.JAVA_BYTE, 5 * 4096 + 4095, (byte) 7);         // page 5
            ram.set(ValueLayout.JAVA_BYTE, 6 * 4096, (byte) 8);                // page 6: a run with page 5
            ram.asSlice(9 * 4096, 4096).fill((byte) 0);                        // page 9 written, but zero
            ram.set(ValueLayout.JAVA_INT, RAM - 4, 42);                        // last page
            RamImage.Stats stats = RamImage.save(ram, dir.resolve("ram"), dir.resolve("ram.img"));
            assertEquals(4, stats.storedPages());
            assertEquals(RAM / 4096 - 4, stats.zeroPages());
            assertEquals(32 + 3 * 16 + 4 * 4096, stats.fileBytes(), "three runs of four pages");
            assertEquals(stats.fileBytes(), Files.size(dir.resolve("ram.img")));

            MemorySegment restored = sparseRam(dir.resolve("restored"), arena);
            assertEquals(4, RamImage.restore(dir.resolve("ram.img"), dir.resolve("restored"), RAM));
            assertEquals(-1, ram.mismatch(restored));
        }
    }

    @Test
    void aDamagedOrForeignImageIsRefusedWithAReason() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = sparseRam(dir.resolve("ram"), arena);
            ram.set(ValueLayout.JAVA_LONG, 4096, 1);
            RamImage.save(ram, dir.resolve("ram"), dir.resolve("ram.img"));
            byte[] image = Files.readAllBytes(dir.resolve("ram.img"));

            Files.write(dir.resolve("cut.img"), java.util.Arrays.copyOf(image, image.length - 100));
            IOException cut = assertThrows(IOException.class, () -> RamImage.restore(dir.resolve("cut.img"), dir.resolve("ram"), RAM));
            assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());

            IOException size = assertThrows(IOException.class,
                    () -> RamImage.restore(dir.resolve("ram.img"), dir.resolve("ram"), RAM / 2));
            assertTrue(size.getMessage().contains("64 MiB of guest RAM, not 32 MiB"), size.getMessage());

            Files.write(dir.resolve("junk.img"), new byte[64]);
            assertThrows(IOException.class, () -> RamImage.restore(dir.resolve("junk.img"), dir.resolve("ram"), RAM));
        }
    }
}
