package dev.freezeframe.vmm.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own kernel is refused before it boots when it cannot run Freezeframe's schedulers, with a sentence. */
class ForeignKernelTest {
    private static final String RELEASE = "7.3.4+deb13-amd64";

    @TempDir
    Path tmp;

    /** A bzImage whose gzip payload is {@code elf}: setup header, version string, payload fields. */
    private Path bzImage(Path elf) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(elf));
        }
        byte[] payload = gz.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(0x1000 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) 1); // setup_sects: protected-mode code at 0x400
        b.putInt(0x202, 0x53726448); // "HdrS"
        b.putShort(0x206, (short) 0x020f);
        b.putShort(0x20e, (short) 0x300); // version string at 0x500
        b.putInt(0x248, 0x1000 - 0x400); // payload at 0x1000
        b.putInt(0x24c, payload.length);
        b.put(0x500, (RELEASE + " (builder@example) #1 SMP").getBytes(StandardCharsets.US_ASCII));
        b.put(0x1000, payload);
        Path image = tmp.resolve("bzImage-" + elf.getFileName());
        Files.write(image, b.array());
        return image;
    }

    /** /bin/true with a .BTF section holding {@code btf}. */
    private Path elfWithBtf(String name, byte[] btf) throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/objcopy")), "objcopy is not installed",
                "install binutils");
        Path section = tmp.resolve(name + ".btf");
        Files.write(section, btf);
        Path out = tmp.resolve(name);
        Process p = new ProcessBuilder("objcopy", "--add-section", ".BTF=" + section, "/bin/true", out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), log);
        assertEquals(0, p.exitValue(), log);
        return out;
    }

    private VmmException refused(Path image) {
        return assertThrows(VmmException.class, () -> ForeignKernel.check(image, tmp.resolve("work")));
    }

    @Test
    void aFileThatIsNotABzImageIsNotALinuxKernelImage() {
        assertTrue(refused(Path.of("/etc/passwd")).getMessage().contains("is not a Linux kernel image"));
    }

    @Test
    void aKernelWithoutBtfIsRefused() throws Exception {
        String message = refused(bzImage(Path.of("/bin/true"))).getMessage();
        assertTrue(message.contains("(" + RELEASE + ") has no type information (BTF)")
                && message.contains("CONFIG_DEBUG_INFO_BTF=y"), message);
    }

    @Test
    void aKernelWithoutSchedExtIsRefused() throws Exception {
        Path elf = elfWithBtf("no-scx", "\0task_struct\0rq\0".getBytes(StandardCharsets.US_ASCII));
        String message = refused(bzImage(elf)).getMessage();
        assertTrue(message.contains("built without sched_ext (CONFIG_SCHED_CLASS_EXT=y)"), message);
    }

    @Test
    void aKernelWithBtfAndSchedExtPassesAndTheScratchVmlinuxIsGone() throws Exception {
        Path elf = elfWithBtf("scx", "\0task_struct\0sched_ext_ops\0".getBytes(StandardCharsets.US_ASCII));
        ForeignKernel kernel = ForeignKernel.check(bzImage(elf), tmp.resolve("work"));
        assertEquals(new ForeignKernel(RELEASE, Optional.empty()), kernel);
        assertTrue(Files.notExists(tmp.resolve("work/foreign-vmlinux")));
    }

    @Test
    void kitSchedulersRunOnlyOnTheKitsKernelVersion() {
        Kit kit = Kit.lazy(tmp, "7.3.4+deb13-cloud-amd64");
        new ForeignKernel("7.3.4+deb13-amd64", Optional.empty()).requireKitSchedulersMatch(kit, "scx_qmap");
        new ForeignKernel("7.3.9-custom", Optional.empty()).requireKitSchedulersMatch(kit, "scx_qmap");
        VmmException e = assertThrows(VmmException.class, () -> new ForeignKernel("6.12.48+deb13-amd64",
                Optional.empty()).requireKitSchedulersMatch(kit, "scx_qmap"));
        assertTrue(e.getMessage().startsWith("The kit's scx_qmap was built for Linux 7.3 (7.3.4+deb13-cloud-amd64),"
                + " and this kernel is 6.12.48+deb13-amd64"), e.getMessage());
    }
}
