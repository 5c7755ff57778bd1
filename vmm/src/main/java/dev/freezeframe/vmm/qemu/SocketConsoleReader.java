package dev.freezeframe.vmm.qemu;

import dev.freezeframe.vmm.ConsoleLog;
import dev.freezeframe.vmm.LineSplitter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads COM1 from QEMU's console socket into a {@link ConsoleLog} until QEMU closes it. */
final class SocketConsoleReader {

    private static final Logger LOG = LoggerFactory.getLogger(SocketConsoleReader.class);

    private final SocketChannel socket;
    private final ConsoleLog log;
    private final Thread thread;

    SocketConsoleReader(SocketChannel socket, ConsoleLog log, String name) {
        this.socket = socket;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("vm-console-" + name).start(this::run);
    }

    private void run() {
        LineSplitter splitter = new LineSplitter(log::append);
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try (socket) {
            while (socket.read(buffer.clear()) >= 0) {
                splitter.feed(buffer.array(), 0, buffer.position());
            }
        } catch (IOException e) {
            LOG.debug("console socket ended", e);
        } finally {
            splitter.finish();
        }
    }

    /** Waits until the reader has delivered the last byte (QEMU has exited and closed the socket). */
    void awaitEnd(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops reading now (QEMU may be hung with the socket open). */
    void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing the console socket", e);
        }
    }
}
