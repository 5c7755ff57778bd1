package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.freezeframe.vmm.VmmException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDirectoryTest {

    @TempDir
    Path parent;

    @Test
    void isPrivateAndRemovedWithItsContent() throws Exception {
        RuntimeDirectory dir = RuntimeDirectory.createUnder(parent);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.path())));
        Files.writeString(dir.file("guest-ram"), "x");
        Files.createDirectory(dir.file("sub"));
        Files.writeString(dir.file("sub").resolve("f"), "y");
        dir.delete();
        assertFalse(Files.exists(dir.path()));
        dir.delete(); // idempotent
    }

    @Test
    void refusesSocketPathsLongerThanUnixSocketsAllow() throws Exception {
        Path deep = Files.createDirectories(parent.resolve("d".repeat(100)));
        RuntimeDirectory dir = RuntimeDirectory.createUnder(deep);
        VmmException e = assertThrows(VmmException.class, () -> dir.socket("qmp.sock"));
        assertEquals(VmmException.Kind.HOST_SETUP, e.kind());
        dir.delete();
    }

    @Test
    void aParentThatCannotHoldItIsAHostSetupProblem() {
        VmmException e = assertThrows(VmmException.class,
                () -> RuntimeDirectory.createUnder(parent.resolve("missing")));
        assertEquals(VmmException.Kind.HOST_SETUP, e.kind());
    }
}
