package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpioTest {
    @TempDir
    Path tmp;

    private static byte[] sample() throws IOException {
        return Cpio.build(cpio -> {
            cpio.charDevice("dev/console", 0600, 5, 1);
            cpio.file("/usr/bin/hello", 0755, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
            cpio.symlink("bin/sh", "/bin/busybox");
            cpio.file("odd", 0644, new byte[] {1, 2, 3, 4, 5});
        });
    }

    @Test
    void roundTripsEntriesAndAddsParentDirectoriesFirst() throws IOException {
        List<Cpio.Entry> entries = Cpio.read(sample());
        List<String> names = entries.stream().map(Cpio.Entry::name).toList();
        assertEquals(List.of("dev", "dev/console", "usr", "usr/bin", "usr/bin/hello", "bin", "bin/sh", "odd"), names);

        Cpio.Entry console = entries.get(1);
        assertTrue(console.isCharDevice());
        assertEquals(5, console.rdevMajor());
        assertEquals(1, console.rdevMinor());
        assertEquals(0600, console.mode() & 07777);
        assertTrue(entries.get(0).isDirectory());
        assertTrue(entries.get(6).isSymlink());
        assertEquals("/bin/busybox", new String(entries.get(6).data(), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, entries.get(7).data());
        assertEquals(0755, entries.get(4).mode() & 07777);
    }

    @Test
    void isReproducible() throws IOException {
        assertArrayEquals(sample(), sample());
    }

    @Test
    void debianCpioReadsTheArchiveIncludingTheDeviceNode() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/cpio")) || Files.isExecutable(Path.of("/bin/cpio")),
                "cpio is not installed", "install cpio");
        Path archive = tmp.resolve("a.cpio");
        Files.write(archive, sample());
        Process p = new ProcessBuilder("cpio", "-itv", "--quiet").redirectInput(archive.toFile())
                .redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), listing);
        assertEquals(0, p.exitValue(), listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("crw-------") && l.contains("5,") && l.endsWith("dev/console")),
                listing);
        assertTrue(listing.lines().anyMatch(l -> l.startsWith("lrwxrwxrwx") && l.contains("bin/sh -> /bin/busybox")),
                listing);
        assertTrue(listing.contains("usr/bin/hello"), listing);
    }

    @Test
    void perRunArchiveIsAppendedOnAnAlignedOffsetBehindTheCompressedBase() throws IOException {
        Path busybox = tmp.resolve("busybox");
        Path agent = tmp.resolve("agent");
        Path sched = tmp.resolve("scx_demo");
        Files.writeString(busybox, "busybox");
        Files.writeString(agent, "agent");
        Files.writeString(sched, "scheduler");
        Path base = tmp.resolve("base.cpio.gz");
        Initramfs.writeBase(new Initramfs.BaseContent(busybox, List.of("bin/busybox", "bin/sh", "usr/bin/awk"), agent,
                Map.of("usr/bin/scx_demo", sched), Map.of("boot/config-7.3", busybox)), base);
        assertEquals(0, Files.size(base) % Initramfs.ALIGN);

        byte[] baseCpio;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(base)))) {
            baseCpio = in.readAllBytes();
        }
        List<String> baseNames = Cpio.read(baseCpio).stream().map(Cpio.Entry::name).toList();
        assertTrue(baseNames.containsAll(List.of("dev/console", "init", "bin/busybox", "bin/sh", "usr/bin/scx_demo")),
                baseNames.toString());

        byte[] perRun = Initramfs.perRunArchive(List.of("sched-check 3 /usr/bin/scx_demo"), Map.of());
        Path initrd = tmp.resolve("initrd");
        Initramfs.concat(base, perRun, initrd);
        byte[] all = Files.readAllBytes(initrd);
        int offset = (int) Files.size(base);
        byte[] tail = java.util.Arrays.copyOfRange(all, offset, all.length);
        List<Cpio.Entry> run = Cpio.read(tail);
        Cpio.Entry commands = run.stream().filter(e -> e.name().equals("run.d/commands")).findFirst().orElseThrow();
        assertEquals("sched-check 3 /usr/bin/scx_demo\n", new String(commands.data(), StandardCharsets.UTF_8));
    }
}
