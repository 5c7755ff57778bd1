package dev.freezeframe.vmm.template;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guest RAM of a forkable snapshot as a page source over a base {@link RamImage} (the run's boot template, or an empty
 * image): only the pages that differ from the base are kept — pages that became zero as a list, the others compressed
 * (JDK Deflater, fast level) in chunks. Saving is split in two so the guest is frozen only for the cheap half:
 * {@link #capture} compares the frozen RAM with the base and copies the changed pages out (memory speed);
 * {@link Captured#write} compresses and writes them after the guest runs again.
 *
 * <pre>
 * header  u64 magic "FFPGDLTA" | u32 version = 1 | u32 page size | u64 RAM bytes | u64 zeroed | u64 stored | u64 chunks
 * zeroed  zeroed × u64 page index
 * stored  stored × u64 page index (ascending; chunk k holds stored pages k·CHUNK_PAGES …)
 * chunk   u32 raw bytes | u32 compressed bytes | compressed bytes
 * </pre>
 * All little-endian. Restoring = restore the base image, then {@link #apply} the delta.
 */
public final class PageDelta {
    public static final long MAGIC = 0x4154_4C44_4750_4646L; // "FFPGDLTA" read as a little-endian u64
    public static final int VERSION = 1;
    private static final int PAGE = RamImage.PAGE;
    private static final int HEADER = 48;
    /** Pages compressed together: large enough for Deflater's window to matter, small enough to restore in slices. */
    static final int CHUNK_PAGES = 64;
    /** Copied-out pages are kept in off-heap blocks of this many pages, allocated as needed. */
    private static final int BLOCK_PAGES = 4096;
    /** Zero bytes to compare long stretches of guest RAM against. */
    private static final MemorySegment ZEROS = Arena.global().allocate(1 << 20, PAGE);
    private static final Logger LOG = LoggerFactory.getLogger(PageDelta.class);
    private static boolean warm;

    /** What one save kept: pages stored (compressed), pages zeroed, pages equal to the base, and the file's size. */
    public record Stats(long storedPages, long zeroedPages, long basePages, long fileBytes) {
    }

    private PageDelta() {
    }

    /**
     * Compares the (stopped) guest's RAM with {@code base} and copies out the pages that differ. Only the RAM file's
     * allocated extents are read (a tmpfs hole is zero and reading it would allocate it). The comparison runs over long
     * stretches ({@link MemorySegment#mismatch} is vectorized), page by page only where a difference is found.
     */
    public static Captured capture(MemorySegment ram, Path ramFile, BaseImage base) throws IOException {
        long pages = ram.byteSize() / PAGE;
        if (base.ramBytes() != ram.byteSize()) {
            throw new IOException("the base image holds " + (base.ramBytes() >> 20) + " MiB of RAM, the guest "
                    + (ram.byteSize() >> 20) + " MiB");
        }
        Collector out = new Collector();
        try {
            BitSet seen = new BitSet((int) pages);
            for (long[] extent : RamImage.DataExtents.of(ramFile, ram.byteSize())) {
                long first = extent[0] / PAGE;
                long end = Math.min((extent[1] + PAGE - 1) / PAGE, pages);
                if (first >= end) continue;
                seen.set((int) first, (int) end);
                compare(ram, first, end, base, out);
            }
            // pages the base holds that are holes now (never after a restore, but a delta must be exact)
            base.forEachRunPage((from, to) -> {
                for (int p = seen.nextClearBit(from); p < to; p = seen.nextClearBit(p + 1)) out.zeroed(p);
            });
            return out.captured(ram.byteSize());
        } catch (IOException | RuntimeException e) {
            out.arena.close();
            throw e;
        }
    }

    /** Pages [first, end) of the guest against the base: the base's runs and the zero stretches between them. */
    private static void compare(MemorySegment ram, long first, long end, BaseImage base, Collector out) {
        long page = first;
        int run = base.runAtOrAfter(page);
        while (page < end) {
            long runFirst = run < base.runCount() ? base.runFirst(run) : end;
            if (page < runFirst) {
                long to = Math.min(runFirst, end);
                compareWithZero(ram, page, to, out);
                page = to;
            } else {
                long to = Math.min(base.runEnd(run), end);
                compareWithBase(ram, page, to, base.file, base.fileOffset(run, page), out);
                page = to;
                run++;
            }
        }
    }

    /** Guest pages [from, to) against base bytes at {@code baseOffset}: equal pages counted, the others kept. */
    private static void compareWithBase(MemorySegment ram, long from, long to, MemorySegment baseFile, long baseOffset,
                                        Collector out) {
        long at = from * PAGE;
        long end = to * PAGE;
        long offset = baseOffset;
        while (at < end) {
            long m = MemorySegment.mismatch(ram, at, end, baseFile, offset, offset + (end - at));
            if (m < 0) {
                out.same += (end - at) / PAGE;
                return;
            }
            long differing = at + m / PAGE * PAGE;
            out.same += (differing - at) / PAGE;
            if (isZero(ram, differing)) {
                out.zeroed(differing / PAGE);
            } else {
                out.store(ram, differing / PAGE);
            }
            offset += differing + PAGE - at;
            at = differing + PAGE;
        }
    }

    /** Guest pages [from, to) where the base is zero: the non-zero ones are kept. */
    private static void compareWithZero(MemorySegment ram, long from, long to, Collector out) {
        long at = from * PAGE;
        long end = to * PAGE;
        while (at < end) {
            long length = Math.min(end - at, ZEROS.byteSize());
            long m = MemorySegment.mismatch(ram, at, at + length, ZEROS, 0, length);
            if (m < 0) {
                at += length;
                continue;
            }
            long differing = at + m / PAGE * PAGE;
            out.store(ram, differing / PAGE);
            at = differing + PAGE;
        }
    }

    private static boolean isZero(MemorySegment ram, long at) {
        return MemorySegment.mismatch(ram, at, at + PAGE, ZEROS, 0, PAGE) < 0;
    }

    /** The pages one capture keeps, gathered without allocating per page. */
    private static final class Collector {
        private final Arena arena = Arena.ofShared();
        private final List<MemorySegment> blocks = new ArrayList<>();
        private long[] stored = new long[1024];
        private int storedCount;
        private long[] zeroed = new long[64];
        private int zeroedCount;
        private long same;

        void store(MemorySegment ram, long page) {
            if (storedCount % BLOCK_PAGES == 0 && storedCount / BLOCK_PAGES == blocks.size()) {
                blocks.add(arena.allocate((long) BLOCK_PAGES * PAGE, PAGE));
            }
            MemorySegment.copy(ram, page * PAGE, blocks.get(storedCount / BLOCK_PAGES),
                    (long) (storedCount % BLOCK_PAGES) * PAGE, PAGE);
            if (storedCount == stored.length) stored = Arrays.copyOf(stored, storedCount * 2);
            stored[storedCount++] = page;
        }

        void zeroed(long page) {
            if (zeroedCount == zeroed.length) zeroed = Arrays.copyOf(zeroed, zeroedCount * 2);
            zeroed[zeroedCount++] = page;
        }

        Captured captured(long ramBytes) {
            Arrays.sort(zeroed, 0, zeroedCount);
            return new Captured(ramBytes, Arrays.copyOf(stored, storedCount), Arrays.copyOf(zeroed, zeroedCount), same,
                    blocks, arena);
        }
    }

    /**
     * Runs the comparison on a small made-up guest until the JIT has compiled it, and makes the first lseek calls, so
     * the first capture of a run costs what the later ones do. Once per JVM; call it off the freeze (opening a
     * {@link BaseImage} does).
     */
    static void warmUp() {
        synchronized (PageDelta.class) {
            if (warm) return;
            warm = true;
        }
        long t0 = System.nanoTime();
        int pages = 256;
        Path scratch = null;
        // mapped files, as in a run (a JIT profile of other segment kinds would be thrown away at the first capture)
        try (Arena arena = Arena.ofConfined()) {
            scratch = Files.createTempFile("ff-warm", ".ram");
            MemorySegment mapped;
            try (FileChannel file = FileChannel.open(scratch, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                mapped = file.map(FileChannel.MapMode.READ_WRITE, 0, (long) (pages + pages / 2) * PAGE, arena);
            }
            MemorySegment ram = mapped.asSlice(0, (long) pages * PAGE);
            MemorySegment baseFile = mapped.asSlice((long) pages * PAGE);
            // base: pages 0-127 in one run; guest: every 4th of them changed, every 8th zeroed, some new ones above
            for (int p = 0; p < pages / 2; p++) baseFile.set(ValueLayout.JAVA_LONG, (long) p * PAGE, p + 1);
            MemorySegment.copy(baseFile, 0, ram, 0, baseFile.byteSize());
            for (int p = 0; p < pages / 2; p += 4) ram.set(ValueLayout.JAVA_LONG, (long) p * PAGE + 8, 7);
            for (int p = 0; p < pages / 2; p += 8) ram.asSlice((long) p * PAGE, PAGE).fill((byte) 0);
            for (int p = pages / 2; p < pages; p += 3) ram.set(ValueLayout.JAVA_LONG, (long) p * PAGE + 16, 9);
            BaseImage base = new BaseImage(null, ram.byteSize(), new long[] {0}, new long[] {pages / 2},
                    new long[] {0}, baseFile, null);
            for (int round = 0; round < 400; round++) {
                Collector out = new Collector();
                compare(ram, 0, pages, base, out);
                out.captured(ram.byteSize()).close();
            }
            RamImage.DataExtents.of(scratch, ram.byteSize());
        } catch (IOException | RuntimeException e) {
            LOG.debug("warming the RAM comparison failed; the first capture pays for it", e);
        } finally {
            try {
                if (scratch != null) Files.deleteIfExists(scratch);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
        LOG.debug("RAM comparison warmed in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** Pages copied out of a frozen guest, not yet compressed; {@link #write} once, then the memory is released. */
    public static final class Captured implements AutoCloseable {
        private final long ramBytes;
        private final long[] stored;
        private final long[] zeroed;
        private final long same;
        private final List<MemorySegment> blocks;
        private final Arena arena;

        private Captured(long ramBytes, long[] stored, long[] zeroed, long same, List<MemorySegment> blocks,
                         Arena arena) {
            this.ramBytes = ramBytes;
            this.stored = stored;
            this.zeroed = zeroed;
            this.same = same;
            this.blocks = blocks;
            this.arena = arena;
        }

        public long storedPages() {
            return stored.length;
        }

        /** Compresses and writes the delta to {@code file}, then releases the copied pages. */
        public Stats write(Path file) throws IOException {
            long chunks = (stored.length + CHUNK_PAGES - 1) / CHUNK_PAGES;
            long bytes = 0;
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
                header.putLong(MAGIC).putInt(VERSION).putInt(PAGE).putLong(ramBytes).putLong(zeroed.length)
                        .putLong(stored.length).putLong(chunks).flip();
                bytes += writeFully(out, header);
                bytes += writeFully(out, longs(zeroed));
                bytes += writeFully(out, longs(stored));
                byte[] raw = new byte[CHUNK_PAGES * PAGE];
                byte[] packed = new byte[raw.length + raw.length / 100 + 1024];
                for (long c = 0; c < chunks; c++) {
                    int first = (int) (c * CHUNK_PAGES);
                    int count = Math.min(CHUNK_PAGES, stored.length - first);
                    for (int i = 0; i < count; i++) {
                        int index = first + i;
                        MemorySegment.copy(blocks.get(index / BLOCK_PAGES), ValueLayout.JAVA_BYTE,
                                (long) (index % BLOCK_PAGES) * PAGE, raw, i * PAGE, PAGE);
                    }
                    deflater.reset();
                    deflater.setInput(raw, 0, count * PAGE);
                    deflater.finish();
                    int packedLength = 0;
                    while (!deflater.finished()) {
                        if (packedLength == packed.length) packed = Arrays.copyOf(packed, packed.length * 2);
                        packedLength += deflater.deflate(packed, packedLength, packed.length - packedLength);
                    }
                    ByteBuffer chunkHeader = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                    chunkHeader.putInt(count * PAGE).putInt(packedLength).flip();
                    bytes += writeFully(out, chunkHeader);
                    bytes += writeFully(out, ByteBuffer.wrap(packed, 0, packedLength));
                }
            } finally {
                deflater.end();
                close();
            }
            return new Stats(stored.length, zeroed.length, same, bytes);
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) arena.close();
        }
    }

    /**
     * Applies the delta in {@code file} onto {@code ramFile}, which must already hold the base image.
     *
     * @return the pages written (stored and zeroed)
     * @throws IOException when the file is not a delta for this much RAM, or is truncated
     */
    public static long apply(Path file, Path ramFile, long ramBytes) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(ramFile, StandardOpenOption.WRITE)) {
            ByteBuffer header = read(in, 0, HEADER, file);
            if (header.getLong(0) != MAGIC || header.getInt(8) != VERSION || header.getInt(12) != PAGE) {
                throw new IOException(file + " is not a guest RAM delta of this version");
            }
            if (header.getLong(16) != ramBytes) {
                throw new IOException(file + " holds " + (header.getLong(16) >> 20) + " MiB of guest RAM, not "
                        + (ramBytes >> 20) + " MiB");
            }
            long zeroedCount = header.getLong(24);
            long storedCount = header.getLong(32);
            long chunks = header.getLong(40);
            long pages = ramBytes / PAGE;
            if (zeroedCount < 0 || storedCount < 0 || zeroedCount > pages || storedCount > pages
                    || chunks != (storedCount + CHUNK_PAGES - 1) / CHUNK_PAGES) {
                throw new IOException(file + " is damaged");
            }
            long at = HEADER;
            long[] zeroed = pageList(read(in, at, (int) (zeroedCount * 8), file), pages, file);
            at += zeroedCount * 8;
            long[] stored = pageList(read(in, at, (int) (storedCount * 8), file), pages, file);
            at += storedCount * 8;
            for (long page : zeroed) writeFully(out, ZEROS.asSlice(0, PAGE).asByteBuffer(), page * PAGE);
            Inflater inflater = new Inflater();
            try {
                byte[] raw = new byte[CHUNK_PAGES * PAGE];
                for (long c = 0; c < chunks; c++) {
                    ByteBuffer chunkHeader = read(in, at, 8, file);
                    int rawLength = chunkHeader.getInt(0);
                    int packedLength = chunkHeader.getInt(4);
                    int first = (int) (c * CHUNK_PAGES);
                    int count = (int) Math.min(CHUNK_PAGES, storedCount - first);
                    if (rawLength != count * PAGE || packedLength < 0 || at + 8 + packedLength > in.size()) {
                        throw new IOException(file + " is truncated or damaged");
                    }
                    ByteBuffer packed = read(in, at + 8, packedLength, file);
                    inflater.reset();
                    inflater.setInput(packed);
                    int done = 0;
                    while (done < rawLength && !inflater.finished()) {
                        int n = inflater.inflate(raw, done, rawLength - done);
                        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                        done += n;
                    }
                    if (done != rawLength) throw new IOException(file + " has a damaged chunk");
                    // consecutive pages go out in one write
                    int i = 0;
                    while (i < count) {
                        int j = i + 1;
                        while (j < count && stored[first + j] == stored[first + j - 1] + 1) j++;
                        writeFully(out, ByteBuffer.wrap(raw, i * PAGE, (j - i) * PAGE), stored[first + i] * PAGE);
                        i = j;
                    }
                    at += 8 + packedLength;
                }
            } catch (DataFormatException e) {
                throw new IOException(file + " has a damaged chunk (" + e.getMessage() + ")", e);
            } finally {
                inflater.end();
            }
            return zeroedCount + storedCount;
        }
    }

    /**
     * A {@link RamImage} mapped read-only, with its runs indexed, to compare a guest's RAM against. Opening one also
     * warms the comparison ({@link #warmUp}).
     */
    public static final class BaseImage implements AutoCloseable {
        private final Path path;
        private final long ramBytes;
        // the image's runs in ascending page order: first page, page count, file offset of the first page's bytes
        private final long[] runFirst;
        private final long[] runPages;
        private final long[] runOffset;
        private final MemorySegment file;
        private final Arena arena;

        private BaseImage(Path path, long ramBytes, long[] runFirst, long[] runPages, long[] runOffset,
                          MemorySegment file, Arena arena) {
            this.path = path;
            this.ramBytes = ramBytes;
            this.runFirst = runFirst;
            this.runPages = runPages;
            this.runOffset = runOffset;
            this.file = file;
            this.arena = arena;
        }

        /** An all-zero base: every non-zero page of the guest is stored. */
        public static BaseImage empty(long ramBytes) {
            warmUp();
            return new BaseImage(null, ramBytes, new long[0], new long[0], new long[0], MemorySegment.NULL, null);
        }

        /**
         * Maps {@code image} and reads every page once, so a capture that compares against it in a freeze does not pay
         * for page faults on the mapping; open it once per run, before the first capture.
         */
        public static BaseImage open(Path image) throws IOException {
            Arena arena = Arena.ofShared();
            try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
                MemorySegment mapped = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size(), arena);
                RamImage.Index index = RamImage.index(in, image);
                List<long[]> runs = new ArrayList<>(index.runs());
                runs.sort(Comparator.comparingLong(run -> run[0]));
                int n = runs.size();
                long[] first = new long[n];
                long[] count = new long[n];
                long[] offset = new long[n];
                for (int i = 0; i < n; i++) {
                    first[i] = runs.get(i)[0];
                    count[i] = runs.get(i)[1];
                    offset[i] = runs.get(i)[2];
                    if (i > 0 && first[i] < first[i - 1] + count[i - 1]) {
                        throw new IOException(image + " is damaged (its runs overlap)");
                    }
                }
                long sum = 0;
                for (long at = 0; at < mapped.byteSize(); at += PAGE) sum += mapped.get(ValueLayout.JAVA_BYTE, at);
                if (sum == Long.MIN_VALUE) throw new IOException("unreachable"); // keeps the reads
                warmUp();
                return new BaseImage(image, index.ramBytes(), first, count, offset, mapped, arena);
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }

        long ramBytes() {
            return ramBytes;
        }

        /** The image file, or empty for the all-zero base. */
        public java.util.Optional<Path> path() {
            return java.util.Optional.ofNullable(path);
        }

        int runCount() {
            return runFirst.length;
        }

        long runFirst(int run) {
            return runFirst[run];
        }

        long runEnd(int run) {
            return runFirst[run] + runPages[run];
        }

        /** Where page {@code page} (inside run {@code run}) is in the mapped file. */
        long fileOffset(int run, long page) {
            return runOffset[run] + (page - runFirst[run]) * PAGE;
        }

        /** The first run that ends after {@code page}, or {@link #runCount()}. */
        int runAtOrAfter(long page) {
            int low = 0;
            int high = runFirst.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (runEnd(mid) <= page) low = mid + 1; else high = mid;
            }
            return low;
        }

        /** Calls {@code action} with each run's [first page, end page). */
        void forEachRunPage(RunAction action) {
            for (int run = 0; run < runFirst.length; run++) action.on((int) runFirst[run], (int) runEnd(run));
        }

        @FunctionalInterface
        interface RunAction {
            void on(int from, int to);
        }

        @Override
        public void close() {
            if (arena != null && arena.scope().isAlive()) arena.close();
        }
    }

    /** Writes an empty {@link RamImage} (every page zero): the base of a run that did not start from a template. */
    public static void writeEmptyBase(Path image, long ramBytes) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(RamImage.MAGIC).putInt(RamImage.VERSION).putInt(PAGE).putLong(ramBytes).putLong(0).flip();
        Files.write(image, Arrays.copyOf(header.array(), 32));
    }

    private static ByteBuffer longs(long[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) buffer.putLong(v);
        return buffer.flip();
    }

    private static long[] pageList(ByteBuffer buffer, long pages, Path file) throws IOException {
        long[] list = new long[buffer.remaining() / 8];
        for (int i = 0; i < list.length; i++) {
            list[i] = buffer.getLong(i * 8);
            if (list[i] < 0 || list[i] >= pages) throw new IOException(file + " is damaged (page " + list[i] + ")");
        }
        return list;
    }

    private static ByteBuffer read(FileChannel in, long position, int length, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) throw new IOException(file + " is truncated");
        }
        return buffer.flip();
    }

    private static int writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        int n = buffer.remaining();
        while (buffer.hasRemaining()) out.write(buffer);
        return n;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) position += out.write(buffer, position);
    }
}
