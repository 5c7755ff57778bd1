package dev.freezeframe.vmm.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what QEMU itself prints (its errors and warnings, not the guest's console), logs it, and keeps the last lines so
 * a failed start or a crash can be explained to the user.
 */
final class VmmOutputTail {

    private static final Logger LOG = LoggerFactory.getLogger(VmmOutputTail.class);
    private static final int KEEP = 20;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final Thread reader;

    VmmOutputTail(InputStream output, String name) {
        reader = Thread.ofPlatform().daemon().name("qemu-output-" + name).start(() -> drain(output));
    }

    private void drain(InputStream output) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                // With wait=on QEMU announces each socket it waits on; that is our own doing, not news.
                if (line.contains("QEMU waiting for connection")) {
                    continue;
                }
                LOG.info("qemu: {}", line);
                synchronized (lines) {
                    if (lines.size() == KEEP) {
                        lines.removeFirst();
                    }
                    lines.addLast(line);
                }
            }
        } catch (IOException e) {
            LOG.debug("QEMU output ended", e);
        }
    }

    /** Waits briefly for the stream to end (after the process exited). */
    void awaitEnd() {
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the end of the stream, then returns the kept lines. */
    String awaitText() {
        awaitEnd();
        return text();
    }

    String text() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
