package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.VmmException;
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

class BzImageTest {
    @TempDir
    Path tmp;

    /** A minimal boot sector + setup header: what BzImage.read looks at. */
    private static byte[] header(String version) {
        ByteBuffer b = ByteBuffer.allocate(0x1000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) 1); // setup_sects
        b.putInt(0x202, 0x53726448); // "HdrS"
        b.putShort(0x206, (short) 0x020f); // protocol 2.15
        b.putShort(0x20e, (short) 0x300); // kernel_version at 0x300 + 0x200
        b.putInt(0x248, 0x10); // payload_offset
        b.putInt(0x24c, 0x20); // payload_length
        b.put(0x500, (version + " (builder@example) #1 SMP").getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    @Test
    void readsVersionAndPayloadFromTheSetupHeader() throws IOException {
        Path image = tmp.resolve("bzImage");
        Files.write(image, header("7.3.4+deb13-cloud-amd64"));
        BzImage bz = BzImage.read(image);
        assertEquals("7.3.4+deb13-cloud-amd64", bz.version());
        assertEquals(2 * 512 + 0x10, bz.payloadOffset());
        assertEquals(0x20, bz.payloadLength());
    }

    @Test
    void refusesWhatIsNotABzImage() throws IOException {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "hello\n".repeat(200));
        VmmException e = assertThrows(VmmException.class, () -> BzImage.read(text));
        assertTrue(e.getMessage().contains("is not a Linux kernel image"), e.getMessage());
    }

    @Test
    void configDecidesSchedExt() {
        assertTrue(BzImage.configHasSchedExt("CONFIG_BPF=y\nCONFIG_SCHED_CLASS_EXT=y\n"));
        assertFalse(BzImage.configHasSchedExt("CONFIG_BPF=y\n# CONFIG_SCHED_CLASS_EXT is not set\n"));
    }

    @Test
    void findsAConfigEmbeddedWithIkconfig() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("CONFIG_SCHED_CLASS_EXT=y\n".getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[1000]);
        file.write("IKCFG_ST (not this one)".getBytes(StandardCharsets.US_ASCII)); // a stray marker is skipped
        file.write("IKCFG_ST".getBytes(StandardCharsets.US_ASCII));
        file.write(gz.toByteArray());
        file.write("IKCFG_ED".getBytes(StandardCharsets.US_ASCII));
        file.write(new byte[100]);
        Path vmlinux = tmp.resolve("vmlinux");
        Files.write(vmlinux, file.toByteArray());
        assertEquals(Optional.of("CONFIG_SCHED_CLASS_EXT=y\n"), BzImage.embeddedConfig(vmlinux));
        Files.write(vmlinux, new byte[4096]);
        assertEquals(Optional.empty(), BzImage.embeddedConfig(vmlinux));
    }

    /** With a built kit, its own kernel must parse and its vmlinux must show sched_ext in its BTF. */
    @Test
    void theKitKernelParses() {
        Optional<Kit> kit = KitCache.defaultCache().current();
        Prerequisites.require(kit.isPresent() && Files.isRegularFile(kit.get().vmlinux()),
                "no guest kit in " + KitCache.defaultCache().root(), "build it with `freezeframe kit build`");
        assertEquals(kit.get().kernelVersion(), BzImage.read(kit.get().bzImage()).version());
        assertTrue(BzImage.btfHasSchedExt(ElfInfo.read(kit.get().vmlinux())));
    }
}
