package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that is killed outright (no shutdown hook runs) must not leave its QEMU behind, and the next backend start
 * removes the runtime directory (and its guest RAM file) it left.
 */
class JvmDeathTest {

    @TempDir
    Path runtimeParent;

    @Test
    void qemuDiesWithItsKilledJvmAndTheLeftoverDirectoryIsReapedLater() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process owner = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), VmOwnerProcess.class.getName(), runtimeParent.toString()))
                .redirectErrorStream(true).start();
        long qemuPid = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream()))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("QEMU ")) {
                    qemuPid = Long.parseLong(line.substring(5).strip());
                    break;
                }
            }
            assertTrue(qemuPid > 0, "the owner JVM started a VM");
            ProcessHandle qemu = ProcessHandle.of(qemuPid).orElseThrow();
            owner.destroyForcibly(); // SIGKILL: no shutdown hook
            owner.waitFor(30, TimeUnit.SECONDS);
            qemu.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(qemu.isAlive(), "QEMU died with the JVM that owned it");
        }
        assertTrue(entries().size() == 1, "the killed JVM left its directory");
        RuntimeDirectory.createUnder(runtimeParent).delete();
        assertTrue(entries().isEmpty(), "the next start removed it");
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> s = Files.list(runtimeParent)) {
            return s.toList();
        }
    }
}
