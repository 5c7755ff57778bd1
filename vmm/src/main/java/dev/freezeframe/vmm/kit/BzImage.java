package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads a bzImage's setup header (x86 boot protocol) and extracts the compressed vmlinux in it — what the kernel's
 * {@code scripts/extract-vmlinux} does, but using the header's payload fields instead of scanning for magic bytes.
 *
 * @param path           the bzImage
 * @param version        the kernel release ({@code uname -r}) from the header's version string
 * @param payloadOffset  file offset of the compressed kernel
 * @param payloadLength  its length, including the 4-byte size trailer that all formats but gzip carry
 */
public record BzImage(Path path, String version, long payloadOffset, long payloadLength) {

    public static BzImage read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new VmmException("The kernel " + path + " does not exist.");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(0x400).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(header, 0);
            if (header.position() < 0x260 || header.getInt(0x202) != 0x53726448 /* "HdrS" */) {
                throw new VmmException(path + " is not a Linux kernel image (it has no x86 boot header); pass a"
                        + " bzImage (e.g. arch/x86/boot/bzImage or /boot/vmlinuz-*), not a vmlinux or an initramfs.");
            }
            int protocol = Short.toUnsignedInt(header.getShort(0x206));
            if (protocol < 0x208) {
                throw new VmmException(path + " uses boot protocol " + Integer.toHexString(protocol)
                        + ", older than any kernel with sched_ext; use a 6.12 or newer kernel.");
            }
            int setupSects = Byte.toUnsignedInt(header.get(0x1f1));
            if (setupSects == 0) {
                setupSects = 4;
            }
            long protectedMode = (setupSects + 1) * 512L;
            long payloadOffset = protectedMode + Integer.toUnsignedLong(header.getInt(0x248));
            long payloadLength = Integer.toUnsignedLong(header.getInt(0x24c));
            int versionPtr = Short.toUnsignedInt(header.getShort(0x20e));
            String version = "unknown";
            if (versionPtr != 0) {
                ByteBuffer text = ByteBuffer.allocate(256);
                ch.read(text, versionPtr + 0x200L);
                String raw = new String(text.array(), 0, text.position(), StandardCharsets.US_ASCII);
                int end = raw.indexOf(' ');
                version = end > 0 ? raw.substring(0, end) : raw.replaceAll("\0.*", "");
            }
            return new BzImage(path, version, payloadOffset, payloadLength);
        } catch (IOException e) {
            throw new VmmException("Cannot read the kernel " + path + ".", e);
        }
    }

    /** The decompressor for the payload's format, as a command reading a file. */
    private record Format(String name, byte[] magic, boolean sizeTrailer, List<String> command) {
    }

    private static final List<Format> FORMATS = List.of(
            new Format("zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, true, List.of("zstd", "-d", "-c", "-q")),
            new Format("gzip", new byte[] {0x1f, (byte) 0x8b}, false, List.of("gzip", "-d", "-c")),
            new Format("xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, true, List.of("xz", "-d", "-c")),
            new Format("lz4", new byte[] {0x02, 0x21, 0x4c, 0x18}, true, List.of("lz4", "-d", "-c")),
            new Format("bzip2", new byte[] {'B', 'Z', 'h'}, true, List.of("bzip2", "-d", "-c")),
            new Format("lzma", new byte[] {0x5d, 0x00, 0x00}, true, List.of("xz", "--format=lzma", "-d", "-c")));

    /** Decompresses the payload into {@code out} (an ELF vmlinux). */
    void extractVmlinux(Path out, Path workDir, Tools tools) {
        try {
            byte[] payload;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(payloadLength));
                while (buffer.hasRemaining() && ch.read(buffer, payloadOffset + buffer.position()) > 0) {
                    // keep reading
                }
                payload = buffer.array();
            }
            Format format = FORMATS.stream().filter(f -> startsWith(payload, f.magic())).findFirst()
                    .orElseThrow(() -> new VmmException("The kernel " + path + " is compressed in a format the kit does"
                            + " not know; pass its vmlinux with --vmlinux."));
            Files.createDirectories(workDir);
            Path compressed = workDir.resolve("vmlinux." + format.name());
            int length = format.sizeTrailer() ? payload.length - 4 : payload.length;
            Files.write(compressed, java.util.Arrays.copyOf(payload, length));
            List<String> cmd = new java.util.ArrayList<>(format.command());
            cmd.add(compressed.toString());
            // written beside and renamed: the target may be hard-linked into another kit
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            tools.runTo("Cannot decompress the vmlinux inside " + path + " (" + format.name() + ")", workDir, tmp, cmd);
            Files.delete(compressed);
            if (!ElfInfo.isElf(tmp)) {
                Files.delete(tmp);
                throw new VmmException("What " + path + " decompresses to is not an ELF vmlinux; pass the vmlinux with"
                        + " --vmlinux.");
            }
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VmmException("Cannot extract the vmlinux from " + path + ".", e);
        }
    }

    private static boolean startsWith(byte[] data, byte[] magic) {
        if (data.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (data[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a vmlinux's BTF describes {@code struct sched_ext_ops}, which exists only with
     * {@code CONFIG_SCHED_CLASS_EXT=y}.
     *
     * @throws VmmException if the vmlinux has no {@code .BTF} (sched_ext schedulers need it too)
     */
    static boolean btfHasSchedExt(ElfInfo vmlinux) {
        if (!vmlinux.sections().containsKey(".BTF")) {
            throw new VmmException("The vmlinux " + vmlinux.path() + " has no .BTF section; sched_ext schedulers and"
                    + " Freezeframe's introspection need a kernel built with CONFIG_DEBUG_INFO_BTF=y.");
        }
        byte[] btf = vmlinux.sectionBytes(".BTF");
        byte[] needle = "\0sched_ext_ops\0".getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= btf.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (btf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The kernel config embedded in a vmlinux with {@code CONFIG_IKCONFIG} (gzip between the "IKCFG_ST" and
     * "IKCFG_ED" markers), if there is one.
     */
    static java.util.Optional<String> embeddedConfig(Path vmlinux) {
        byte[] start = "IKCFG_ST".getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(vmlinux, StandardOpenOption.READ)) {
            java.nio.MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            int limit = map.limit() - start.length;
            outer:
            for (int i = 0; i < limit; i++) {
                if (map.get(i) != start[0]) {
                    continue;
                }
                for (int j = 1; j < start.length; j++) {
                    if (map.get(i + j) != start[j]) {
                        continue outer;
                    }
                }
                ByteBuffer gz = map.slice(i + start.length, map.limit() - i - start.length);
                try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.InputStream() {
                    @Override
                    public int read() {
                        return gz.hasRemaining() ? gz.get() & 0xff : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (!gz.hasRemaining()) {
                            return -1;
                        }
                        int n = Math.min(len, gz.remaining());
                        gz.get(b, off, n);
                        return n;
                    }
                })) {
                    return java.util.Optional.of(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // marker text without a config after it (e.g. in a string table): keep looking
                }
            }
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** Whether a kernel config enables sched_ext. */
    static boolean configHasSchedExt(String config) {
        return config.lines().anyMatch(l -> l.strip().equals("CONFIG_SCHED_CLASS_EXT=y"));
    }
}
