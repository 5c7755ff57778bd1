package dev.freezeframe.vmm.qemu;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts QEMU so that it dies with the JVM, even when the JVM is killed and no shutdown hook runs: the process gets
 * {@code PR_SET_PDEATHSIG = SIGKILL} through util-linux's {@code setpriv --pdeathsig KILL}, which then executes QEMU in
 * its place (same pid).
 *
 * <p>The kernel sends that signal when the <em>thread</em> that forked the child ends, not the process. So every QEMU
 * is forked from one daemon thread that lives as long as the JVM; a QEMU started from a short-lived caller thread
 * would be killed when that thread returned (checked on the build machines). Without setpriv, QEMU starts unprotected
 * and a JVM crash can leave it running until its guest powers off.
 */
final class QemuProcessLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(QemuProcessLauncher.class);
    private static final ExecutorService FORKER = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("vm-process-launcher").factory());
    private static final Optional<Path> SETPRIV = QemuBackend.findOnPath("setpriv");

    private QemuProcessLauncher() {
    }

    /** Starts {@code args} with stdin from /dev/null and stderr merged into stdout. */
    static Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        SETPRIV.ifPresentOrElse(setpriv -> command.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--")),
                () -> LOG.debug("setpriv not found: QEMU will outlive a crashed JVM"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return FORKER.submit(builder::start).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting QEMU", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
