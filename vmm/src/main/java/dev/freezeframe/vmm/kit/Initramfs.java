package dev.freezeframe.vmm.kit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The guest's initramfs: a cached, gzip-compressed base (busybox, device nodes, the agent as {@code /init}, the
 * schedulers) plus a small per-run archive appended behind it. The kernel unpacks concatenated archives in order,
 * later files replacing earlier ones, so a run never rebuilds the base.
 */
public final class Initramfs {
    /** The per-run archive starts on this boundary; the kernel looks for a cpio header only at 4-byte offsets. */
    static final int ALIGN = 512;
    /** Where the agent looks for its command list. */
    public static final String COMMANDS = GuestContract.COMMANDS_PATH;

    private Initramfs() {
    }

    /**
     * Everything that goes into the base archive.
     *
     * @param guestFiles programs: guest path → host file (mode 0755)
     * @param dataFiles  other files: guest path → host file (mode 0644), e.g. {@code /boot/config-<release>}, which
     *                   libbpf reads to resolve a scheduler's {@code __kconfig} externs (scx_central has some)
     */
    record BaseContent(Path busybox, List<String> busyboxApplets, Path agent, Map<String, Path> guestFiles,
                       Map<String, Path> dataFiles) {
    }

    static void writeBase(BaseContent content, Path out) throws IOException {
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(tmp));
             CountingStream counting = new CountingStream(file)) {
            try (GZIPOutputStream gzip = new GZIPOutputStream(new NonClosing(counting), 1 << 16);
                 Cpio.Writer cpio = new Cpio.Writer(gzip)) {
                for (String dir : List.of("bin", "sbin", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "run",
                        "root", "etc", "run.d", "lib", "lib64")) {
                    cpio.directory(dir, dir.equals("tmp") ? 01777 : 0755);
                }
                // The kernel opens /dev/console for init's stdio before devtmpfs is mounted.
                cpio.charDevice("dev/console", 0600, 5, 1);
                cpio.charDevice("dev/null", 0666, 1, 3);
                cpio.file("bin/busybox", 0755, Files.readAllBytes(content.busybox()));
                for (String applet : content.busyboxApplets()) {
                    if (!applet.equals("bin/busybox") && !applet.equals("init") && !applet.equals("linuxrc")) {
                        cpio.symlink(applet, "/bin/busybox");
                    }
                }
                cpio.file("init", 0755, Files.readAllBytes(content.agent()));
                for (Map.Entry<String, Path> e : content.guestFiles().entrySet()) {
                    cpio.file(e.getKey(), 0755, Files.readAllBytes(e.getValue()));
                }
                for (Map.Entry<String, Path> e : content.dataFiles().entrySet()) {
                    cpio.file(e.getKey(), 0644, Files.readAllBytes(e.getValue()));
                }
            }
            // zero padding so whatever is appended starts aligned; the kernel skips zeros between archives
            long pad = (ALIGN - counting.count % ALIGN) % ALIGN;
            counting.write(new byte[(int) pad]);
        }
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes a per-run archive: the agent's command list and any extra files (scenario, user binaries).
     *
     * @param commands   lines for {@link #COMMANDS}
     * @param extraFiles guest path → host file
     */
    public static byte[] perRunArchive(List<String> commands, Map<String, Path> extraFiles) throws IOException {
        return Cpio.build(cpio -> {
            cpio.file(COMMANDS, 0644, (String.join("\n", commands) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (Map.Entry<String, Path> e : extraFiles.entrySet()) {
                cpio.file(e.getKey(), 0755, Files.readAllBytes(e.getValue()));
            }
        });
    }

    /** Writes {@code base} followed by {@code perRun} to {@code out}: the initrd to boot. */
    public static void concat(Path base, byte[] perRun, Path out) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out))) {
            long size = Files.copy(base, o);
            // bases written by writeBase are already aligned; this covers any other base
            o.write(new byte[(int) ((ALIGN - size % ALIGN) % ALIGN)]);
            o.write(perRun);
        }
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Lets the gzip stream finish without closing the file under it. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
