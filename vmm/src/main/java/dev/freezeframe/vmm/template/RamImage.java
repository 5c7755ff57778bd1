package dev.freezeframe.vmm.template;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Guest RAM as a page file: only the pages that hold something are stored, in runs of consecutive pages, so a 1 GiB
 * guest that has touched 100 MiB costs about 100 MiB. Saving looks only at the RAM file's allocated extents
 * ({@code SEEK_DATA}/{@code SEEK_HOLE}): reading a hole of a tmpfs mapping would allocate it. Within them, all-zero
 * pages are skipped too. Restoring copies the runs into a fresh (all-zero, sparse) RAM file.
 *
 * <pre>
 * header  u64 magic "FFRAMIMG" | u32 version = 1 | u32 page size | u64 RAM bytes | u64 run count
 * run     u64 first page | u64 page count | page count × page size bytes
 * </pre>
 * All little-endian.
 */
public final class RamImage {
    public static final long MAGIC = 0x474D_494D_4152_4646L; // "FFRAMIMG" read as a little-endian u64
    public static final int VERSION = 1;
    public static final int PAGE = 4096;
    private static final int HEADER = 32;
    private static final int RUN_HEADER = 16;
    private static final MemorySegment ZERO_PAGE = Arena.global().allocate(PAGE);

    /** Pages stored and skipped by one save, and the file's size. */
    public record Stats(long storedPages, long zeroPages, long fileBytes) {
    }

    private record Run(long firstPage, long pages) {
    }

    private RamImage() {
    }

    /**
     * Writes {@code ram} (the mapping of {@code ramFile}, whose holes are known to be zero) to {@code image}. The guest
     * must be stopped.
     */
    public static Stats save(MemorySegment ram, Path ramFile, Path image) throws IOException {
        List<Run> runs = new ArrayList<>();
        long stored = 0;
        for (long[] extent : DataExtents.of(ramFile, ram.byteSize())) {
            long firstPage = extent[0] / PAGE;
            long endPage = Math.min((extent[1] + PAGE - 1) / PAGE, ram.byteSize() / PAGE);
            long runStart = -1;
            for (long page = firstPage; page < endPage; page++) {
                boolean zero = MemorySegment.mismatch(ram, page * PAGE, page * PAGE + PAGE, ZERO_PAGE, 0, PAGE) < 0;
                if (!zero && runStart < 0) runStart = page;
                if (zero && runStart >= 0) {
                    runs.add(new Run(runStart, page - runStart));
                    runStart = -1;
                }
                if (!zero) stored++;
            }
            if (runStart >= 0) runs.add(new Run(runStart, endPage - runStart));
        }
        long fileBytes = HEADER;
        try (FileChannel out = FileChannel.open(image, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(MAGIC).putInt(VERSION).putInt(PAGE).putLong(ram.byteSize()).putLong(runs.size()).flip();
            writeFully(out, header);
            for (Run run : runs) {
                ByteBuffer runHeader = ByteBuffer.allocate(RUN_HEADER).order(ByteOrder.LITTLE_ENDIAN);
                runHeader.putLong(run.firstPage()).putLong(run.pages()).flip();
                writeFully(out, runHeader);
                writeFully(out, ram.asSlice(run.firstPage() * PAGE, run.pages() * PAGE).asByteBuffer());
                fileBytes += RUN_HEADER + run.pages() * PAGE;
            }
        }
        return new Stats(stored, ram.byteSize() / PAGE - stored, fileBytes);
    }

    /**
     * Copies the image's pages into the RAM file {@code ramFile} ({@code ramBytes} long, all zero), in the kernel
     * (file to file, no page faults through a mapping: several times faster on tmpfs than copying into the mapping).
     *
     * @return the number of pages copied
     * @throws IOException when the file is not a RAM image of this size or is truncated
     */
    public static long restore(Path image, Path ramFile, long ramBytes) throws IOException {
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(ramFile, StandardOpenOption.WRITE)) {
            ByteBuffer header = read(in, 0, HEADER, image);
            if (header.getLong(0) != MAGIC || header.getInt(8) != VERSION || header.getInt(12) != PAGE) {
                throw new IOException(image + " is not a guest RAM image of this version");
            }
            if (header.getLong(16) != ramBytes) {
                throw new IOException(image + " holds " + (header.getLong(16) >> 20) + " MiB of guest RAM, not "
                        + (ramBytes >> 20) + " MiB");
            }
            long runs = header.getLong(24);
            long at = HEADER;
            long copied = 0;
            for (long r = 0; r < runs; r++) {
                ByteBuffer run = read(in, at, RUN_HEADER, image);
                long first = run.getLong(0);
                long pages = run.getLong(8);
                long bytes = pages * PAGE;
                if (pages < 0 || first < 0 || first + pages > ramBytes / PAGE || at + RUN_HEADER + bytes > in.size()) {
                    throw new IOException(image + " is truncated or damaged");
                }
                out.position(first * PAGE);
                for (long done = 0; done < bytes; ) {
                    long n = in.transferTo(at + RUN_HEADER + done, bytes - done, out);
                    if (n <= 0) throw new IOException(image + " is truncated");
                    done += n;
                }
                at += RUN_HEADER + bytes;
                copied += pages;
            }
            return copied;
        }
    }

    /** How many pages an image holds (its run headers are read, not its pages). */
    public static long pageCount(Path image) throws IOException {
        try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ)) {
            return index(in, image).runs().stream().mapToLong(run -> run[1]).sum();
        }
    }

    /** Where an image's runs are: {first page, page count, file offset of the first page's bytes} each. */
    record Index(long ramBytes, List<long[]> runs) {
    }

    /** Reads the run headers of an image (not its pages). */
    static Index index(FileChannel in, Path image) throws IOException {
        ByteBuffer header = read(in, 0, HEADER, image);
        if (header.getLong(0) != MAGIC || header.getInt(8) != VERSION || header.getInt(12) != PAGE) {
            throw new IOException(image + " is not a guest RAM image of this version");
        }
        long ramBytes = header.getLong(16);
        long count = header.getLong(24);
        List<long[]> runs = new ArrayList<>();
        long at = HEADER;
        for (long r = 0; r < count; r++) {
            ByteBuffer run = read(in, at, RUN_HEADER, image);
            long first = run.getLong(0);
            long pages = run.getLong(8);
            if (pages < 0 || first < 0 || first + pages > ramBytes / PAGE || at + RUN_HEADER + pages * PAGE > in.size()) {
                throw new IOException(image + " is truncated or damaged");
            }
            runs.add(new long[] {first, pages, at + RUN_HEADER});
            at += RUN_HEADER + pages * PAGE;
        }
        return new Index(ramBytes, runs);
    }

    private static ByteBuffer read(FileChannel in, long position, int length, Path image) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) throw new IOException(image + " is truncated");
        }
        return buffer.flip();
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) out.write(buffer);
    }

    /** The allocated extents of a sparse file, through lseek(2) SEEK_DATA/SEEK_HOLE (Java has no API for them). */
    static final class DataExtents {
        private static final int SEEK_DATA = 3;
        private static final int SEEK_HOLE = 4;
        private static final int O_RDONLY = 0;
        private static final Linker LINKER = Linker.nativeLinker();
        private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        private static final MethodHandle LSEEK = LINKER.downcallHandle(LINKER.defaultLookup().find("lseek").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_INT));
        private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        private DataExtents() {
        }

        /** [start, end) byte ranges holding data, within the first {@code size} bytes. */
        static List<long[]> of(Path file, long size) throws IOException {
            List<long[]> extents = new ArrayList<>();
            try (Arena arena = Arena.ofConfined()) {
                int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_RDONLY);
                if (fd < 0) throw new IOException("cannot open " + file);
                try {
                    long at = 0;
                    while (at < size) {
                        long data = (long) LSEEK.invokeExact(fd, at, SEEK_DATA);
                        if (data < 0 || data >= size) break; // ENXIO: no data after `at`
                        long hole = (long) LSEEK.invokeExact(fd, data, SEEK_HOLE);
                        long end = hole < 0 ? size : Math.min(hole, size);
                        extents.add(new long[] {data, end});
                        at = end;
                    }
                } finally {
                    int ignored = (int) CLOSE.invokeExact(fd);
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IOException("cannot read the extents of " + file, t);
            }
            return extents;
        }
    }
}
