package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void directoriesOfDeadOwnersAreReapedAndLiveOnesKept() throws Exception {
        RuntimeDirectory mine = RuntimeDirectory.createUnder(parent);
        RuntimeDirectory orphan = RuntimeDirectory.createUnder(parent);
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        Files.writeString(orphan.file(RuntimeDirectory.OWNER_FILE), Long.toString(gone.pid()));
        Files.writeString(orphan.file("guest-ram"), "left by a killed JVM");
        RuntimeDirectory.createUnder(parent).delete(); // any creation reaps
        assertFalse(Files.exists(orphan.path()));
        assertTrue(Files.exists(mine.path()));
        mine.delete();
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
    void aGuestTooLargeForEveryCandidateLocationIsRefusedBeforeQemuCouldDieOfSigbus() {
        VmmException e = assertThrows(VmmException.class, () -> RuntimeDirectory.create(1L << 60));
        assertEquals(VmmException.Kind.HOST_SETUP, e.kind());
        assertTrue(e.getMessage().endsWith("free some space there or give the VM less memory."), e.getMessage());
    }

    @Test
    void picksTheFirstCandidateWithRoom() {
        RuntimeDirectory dir = RuntimeDirectory.create(1 << 20);
        try {
            assertEquals(RuntimeDirectory.candidateParents().getFirst(), dir.path().getParent());
        } finally {
            dir.delete();
        }
    }

    @Test
    void aParentThatCannotHoldItIsAHostSetupProblem() {
        VmmException e = assertThrows(VmmException.class,
                () -> RuntimeDirectory.createUnder(parent.resolve("missing")));
        assertEquals(VmmException.Kind.HOST_SETUP, e.kind());
    }
}
