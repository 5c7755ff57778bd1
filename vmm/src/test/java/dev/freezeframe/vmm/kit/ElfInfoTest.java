package dev.freezeframe.vmm.kit;

import dev.freezeframe.vmm.testing.Prerequisites;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfInfoTest {
    @TempDir
    Path tmp;

    @Test
    void lsIsADynamicX8664ProgramWhoseLibrariesResolve() {
        ElfInfo ls = ElfInfo.read(Path.of("/bin/ls"));
        assertTrue(ls.isX86_64Program());
        assertFalse(ls.isStatic());
        assertTrue(ls.interpreter().orElseThrow().endsWith("ld-linux-x86-64.so.2"), ls.interpreter().toString());
        assertTrue(ls.needed().contains("libc.so.6"), ls.needed().toString());

        Map<String, Path> libs = ls.resolveLibraries(ElfInfo.LIBRARY_DIRS);
        assertTrue(libs.containsKey("libc.so.6"));
        assertTrue(Files.isRegularFile(libs.get("libc.so.6")));
        assertTrue(ElfInfo.read(libs.get("libc.so.6")).isX86_64Program());
        assertTrue(ls.sections().containsKey(".dynamic"));
    }

    @Test
    void staticBusyboxHasNoInterpreter() {
        Path busybox = Path.of("/bin/busybox");
        Prerequisites.require(Files.isRegularFile(busybox), "busybox-static is not installed", "install busybox-static");
        ElfInfo info = ElfInfo.read(busybox);
        Prerequisites.require(info.interpreter().isEmpty(), "/bin/busybox is the dynamic build, not busybox-static",
                "install busybox-static");
        assertTrue(info.isStatic());
        assertTrue(info.isX86_64Program());
    }

    @Test
    void aTextFileIsRefusedAsAScheduler() throws IOException {
        Path script = tmp.resolve("scx_script");
        Files.writeString(script, "#!/bin/sh\necho not a scheduler\n");
        VmmException e = assertThrows(VmmException.class, () -> KitBuilder.checkScheduler(script));
        assertTrue(e.getMessage().contains("is not an ELF binary"), e.getMessage());
        assertThrows(VmmException.class, () -> ElfInfo.read(script));
    }

    @Test
    void aNon_x86ElfIsRefusedAsAScheduler() throws IOException {
        byte[] header = new byte[64];
        header[0] = 0x7f;
        header[1] = 'E';
        header[2] = 'L';
        header[3] = 'F';
        header[4] = 2; // 64-bit
        header[5] = 1; // little endian
        header[16] = 2; // ET_EXEC
        header[18] = (byte) 183; // EM_AARCH64
        Path arm = tmp.resolve("scx_arm");
        Files.write(arm, header);
        VmmException e = assertThrows(VmmException.class, () -> KitBuilder.checkScheduler(arm));
        assertTrue(e.getMessage().contains("not an x86-64 Linux program"), e.getMessage());
        assertEquals(183, ElfInfo.read(arm).machine());
    }

    @Test
    void aMissingSchedulerIsNamed() {
        VmmException e = assertThrows(VmmException.class, () -> KitBuilder.checkScheduler(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"));
    }
}
