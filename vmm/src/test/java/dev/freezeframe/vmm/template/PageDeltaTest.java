package dev.freezeframe.vmm.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageDeltaTest {
    private static final long RAM = 64L << 20; // RamImageTest.sparseRam's size
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @Test
    void onlyPagesThatDifferFromTheBaseAreKeptAndBaseThenDeltaGivesTheGuestBack() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = RamImageTest.sparseRam(dir.resolve("ram"), arena);
            Random random = new Random(14);
            for (int page = 0; page < 300; page++) {                      // the template: 300 pages of "kernel"
                for (int i = 0; i < PAGE; i += 8) ram.set(ValueLayout.JAVA_LONG, (long) page * PAGE + i, random.nextLong());
            }
            RamImage.save(ram, dir.resolve("ram"), dir.resolve("base.img"));

            ram.set(ValueLayout.JAVA_LONG, 10L * PAGE, 1);                // changed
            ram.asSlice(20L * PAGE, PAGE).fill((byte) 0);                 // became zero
            ram.asSlice(1000L * PAGE, 8 * PAGE).fill((byte) 0x5a);        // new, very compressible
            ram.set(ValueLayout.JAVA_INT, RAM - 4, 42);                   // new, the last page
            PageDelta.Stats stats;
            try (PageDelta.BaseImage base = PageDelta.BaseImage.open(dir.resolve("base.img"))) {
                stats = PageDelta.capture(ram, dir.resolve("ram"), base).write(dir.resolve("ram.delta"));
            }
            assertEquals(1 + 8 + 1, stats.storedPages());
            assertEquals(1, stats.zeroedPages());
            assertEquals(298, stats.basePages());
            assertTrue(stats.fileBytes() < 2 * PAGE + 1024, "compressed: " + stats.fileBytes());
            assertEquals(stats.fileBytes(), Files.size(dir.resolve("ram.delta")));

            MemorySegment restored = RamImageTest.sparseRam(dir.resolve("restored"), arena);
            RamImage.restore(dir.resolve("base.img"), dir.resolve("restored"), RAM);
            assertEquals(11, PageDelta.apply(dir.resolve("ram.delta"), dir.resolve("restored"), RAM));
            assertEquals(-1, ram.mismatch(restored));
        }
    }

    @Test
    void scatteredChangesAcrossManyBaseRunsAreFoundPageByPage() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = RamImageTest.sparseRam(dir.resolve("ram"), arena);
            Random random = new Random(1414);
            int span = 4096; // pages 0..4095 touched; the base gets runs with gaps between them
            boolean[] inBase = new boolean[span];
            for (int page = 0; page < span; page++) {
                if (random.nextInt(3) > 0) {
                    inBase[page] = true;
                    ram.set(ValueLayout.JAVA_LONG, (long) page * PAGE + 8L * random.nextInt(512), random.nextLong() | 1);
                }
            }
            RamImage.save(ram, dir.resolve("ram"), dir.resolve("base.img"));
            int changed = 0;
            int zeroed = 0;
            int same = 0;
            for (int page = 0; page < span; page++) {
                int what = random.nextInt(10);
                long at = (long) page * PAGE + 8L * random.nextInt(512);
                if (what == 0) {                                       // a byte anywhere in the page changes
                    ram.set(ValueLayout.JAVA_BYTE, at, (byte) (ram.get(ValueLayout.JAVA_BYTE, at) ^ 0x40));
                    changed++;
                } else if (what == 1 && inBase[page]) {                // becomes zero
                    ram.asSlice((long) page * PAGE, PAGE).fill((byte) 0);
                    zeroed++;
                } else if (inBase[page]) {
                    same++;
                }
            }
            PageDelta.Stats stats;
            try (PageDelta.BaseImage base = PageDelta.BaseImage.open(dir.resolve("base.img"))) {
                stats = PageDelta.capture(ram, dir.resolve("ram"), base).write(dir.resolve("ram.delta"));
            }
            MemorySegment restored = RamImageTest.sparseRam(dir.resolve("restored"), arena);
            RamImage.restore(dir.resolve("base.img"), dir.resolve("restored"), RAM);
            PageDelta.apply(dir.resolve("ram.delta"), dir.resolve("restored"), RAM);
            assertEquals(-1, ram.mismatch(restored));
            assertEquals(changed, stats.storedPages());
            assertEquals(zeroed, stats.zeroedPages());
            assertEquals(same, stats.basePages());
        }
    }

    @Test
    void anEmptyBaseKeepsEveryNonZeroPage() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = RamImageTest.sparseRam(dir.resolve("ram"), arena);
            ram.set(ValueLayout.JAVA_LONG, 5L * PAGE, 7);
            ram.set(ValueLayout.JAVA_LONG, 6L * PAGE, 8);
            PageDelta.writeEmptyBase(dir.resolve("base.img"), RAM);
            try (PageDelta.BaseImage base = PageDelta.BaseImage.open(dir.resolve("base.img"))) {
                assertEquals(2, PageDelta.capture(ram, dir.resolve("ram"), base).write(dir.resolve("ram.delta"))
                        .storedPages());
            }
            MemorySegment restored = RamImageTest.sparseRam(dir.resolve("restored"), arena);
            assertEquals(0, RamImage.restore(dir.resolve("base.img"), dir.resolve("restored"), RAM));
            PageDelta.apply(dir.resolve("ram.delta"), dir.resolve("restored"), RAM);
            assertEquals(-1, ram.mismatch(restored));
        }
    }

    @Test
    void aDamagedOrForeignDeltaIsRefusedWithAReason() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = RamImageTest.sparseRam(dir.resolve("ram"), arena);
            for (int p = 0; p < 100; p++) ram.set(ValueLayout.JAVA_LONG, (long) p * PAGE, p + 1);
            try (PageDelta.BaseImage base = PageDelta.BaseImage.empty(RAM)) {
                PageDelta.capture(ram, dir.resolve("ram"), base).write(dir.resolve("ram.delta"));
            }
            byte[] delta = Files.readAllBytes(dir.resolve("ram.delta"));
            Files.write(dir.resolve("cut"), java.util.Arrays.copyOf(delta, delta.length - 10));
            assertThrows(IOException.class, () -> PageDelta.apply(dir.resolve("cut"), dir.resolve("ram"), RAM));
            IOException size = assertThrows(IOException.class,
                    () -> PageDelta.apply(dir.resolve("ram.delta"), dir.resolve("ram"), RAM / 2));
            assertTrue(size.getMessage().contains("64 MiB of guest RAM, not 32 MiB"), size.getMessage());
            Files.write(dir.resolve("junk"), new byte[64]);
            assertThrows(IOException.class, () -> PageDelta.apply(dir.resolve("junk"), dir.resolve("ram"), RAM));
        }
    }
}
