package dev.freezeframe.vmm.kit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes and reads "newc" cpio archives, the format the kernel unpacks as initramfs. Device nodes are plain header
 * fields, so {@code /dev/console} needs neither root nor mknod. The kernel unpacks concatenated archives in order,
 * which lets a per-run archive be appended to the cached base without rebuilding it.
 */
public final class Cpio {
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFLNK = 0120000;
    static final int S_IFCHR = 0020000;
    static final int TYPE_MASK = 0170000;
    private static final String MAGIC = "070701";
    private static final String TRAILER = "TRAILER!!!";

    private Cpio() {
    }

    /** One archive member; {@code data} is the file content or the symlink target. */
    public record Entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data) {
        public boolean isDirectory() {
            return (mode & TYPE_MASK) == S_IFDIR;
        }

        public boolean isSymlink() {
            return (mode & TYPE_MASK) == S_IFLNK;
        }

        public boolean isCharDevice() {
            return (mode & TYPE_MASK) == S_IFCHR;
        }

        public boolean isFile() {
            return (mode & TYPE_MASK) == S_IFREG;
        }
    }

    /** Streams entries; parent directories are added before their children (the kernel does not create them). */
    public static final class Writer implements AutoCloseable {
        private final OutputStream out;
        private final Set<String> written = new HashSet<>();
        private long offset;
        private int nextInode = 1;
        private boolean finished;

        public Writer(OutputStream out) {
            this.out = out;
        }

        public Writer directory(String path, int permissions) throws IOException {
            String name = normalize(path);
            if (written.contains(name)) {
                return this;
            }
            parents(name);
            return entry(name, S_IFDIR | permissions, 0, 0, new byte[0], 2);
        }

        public Writer file(String path, int permissions, byte[] data) throws IOException {
            String name = normalize(path);
            parents(name);
            return entry(name, S_IFREG | permissions, 0, 0, data, 1);
        }

        public Writer symlink(String path, String target) throws IOException {
            String name = normalize(path);
            parents(name);
            return entry(name, S_IFLNK | 0777, 0, 0, target.getBytes(StandardCharsets.UTF_8), 1);
        }

        public Writer charDevice(String path, int permissions, int major, int minor) throws IOException {
            String name = normalize(path);
            parents(name);
            return entry(name, S_IFCHR | permissions, major, minor, new byte[0], 1);
        }

        private void parents(String name) throws IOException {
            int slash = name.lastIndexOf('/');
            if (slash > 0) {
                directory(name.substring(0, slash), 0755);
            }
        }

        private Writer entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data, int nlink)
                throws IOException {
            if (finished) {
                throw new IllegalStateException("archive already finished");
            }
            written.add(name);
            byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
            // mtime 0 and uid/gid 0 keep the archive reproducible: the same inputs give the same bytes.
            String header = String.format(Locale.ROOT, "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                    MAGIC, nextInode++, mode, 0, 0, nlink, 0, data.length, 0, 0, rdevMajor, rdevMinor,
                    nameBytes.length, 0);
            write(header.getBytes(StandardCharsets.US_ASCII));
            write(nameBytes);
            pad();
            write(data);
            pad();
            return this;
        }

        private void write(byte[] bytes) throws IOException {
            out.write(bytes);
            offset += bytes.length;
        }

        private void pad() throws IOException {
            while (offset % 4 != 0) {
                out.write(0);
                offset++;
            }
        }

        /** Writes the trailer. */
        public void finish() throws IOException {
            if (!finished) {
                entry(TRAILER, 0, 0, 0, new byte[0], 1);
                finished = true;
            }
            out.flush();
        }

        @Override
        public void close() throws IOException {
            finish();
        }
    }

    private static String normalize(String path) {
        String name = path;
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty() || name.contains("..") || name.endsWith("/")) {
            throw new IllegalArgumentException("bad archive path: " + path);
        }
        return name;
    }

    /** Builds an archive in memory. */
    public static byte[] build(WriterAction action) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer writer = new Writer(bytes)) {
            action.accept(writer);
        }
        return bytes.toByteArray();
    }

    @FunctionalInterface
    public interface WriterAction {
        void accept(Writer writer) throws IOException;
    }

    /** Reads every entry of one uncompressed newc archive (stops at the trailer). */
    public static List<Entry> read(byte[] archive) throws IOException {
        List<Entry> entries = new ArrayList<>();
        int pos = 0;
        while (true) {
            if (pos + 110 > archive.length) {
                throw new IOException("truncated cpio header at offset " + pos);
            }
            String header = new String(archive, pos, 110, StandardCharsets.US_ASCII);
            if (!header.startsWith(MAGIC)) {
                throw new IOException("not a newc cpio header at offset " + pos);
            }
            int mode = field(header, 1);
            int fileSize = field(header, 6);
            int rdevMajor = field(header, 9);
            int rdevMinor = field(header, 10);
            int nameSize = field(header, 11);
            String name = new String(archive, pos + 110, nameSize - 1, StandardCharsets.UTF_8);
            pos = align(pos + 110 + nameSize);
            if (pos + fileSize > archive.length) {
                throw new IOException("truncated cpio data for " + name);
            }
            byte[] data = java.util.Arrays.copyOfRange(archive, pos, pos + fileSize);
            pos = align(pos + fileSize);
            if (name.equals(TRAILER)) {
                return entries;
            }
            entries.add(new Entry(name, mode, rdevMajor, rdevMinor, data));
        }
    }

    private static int field(String header, int index) {
        return (int) Long.parseLong(header.substring(6 + index * 8, 14 + index * 8), 16);
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }
}
