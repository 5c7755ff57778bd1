package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.VmmException;
import dev.freezeframe.vmm.WatchHit;
import dev.freezeframe.vmm.Watchpoint;
import dev.freezeframe.vmm.qemu.gdb.GdbPackets;
import dev.freezeframe.vmm.qemu.gdb.X86Registers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A watchpoint hit whose vCPU registers the gdbstub refuses to give is still delivered, with the reason, instead of
 * being dropped (for watch slot 0 that hit carries the scheduler's error snapshot). QEMU does not refuse 'g' on demand,
 * so the peer is a small gdbstub on a loopback TCP socket that speaks just enough of the remote protocol: attach,
 * target description, two vCPU threads, write watchpoints, interrupt, continue, one watch stop, and {@code E14} for
 * every register read.
 */
class GdbVmControlUnreadableRegistersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long WATCHED = 0xffffffff83a00010L;

    private final RefusingGdbStub stub = new RefusingGdbStub();
    private GdbVmControl control;

    @AfterEach
    void close() throws IOException {
        if (control != null) control.close();
        stub.close();
    }

    @Test
    void aHitWhoseRegistersCannotBeReadIsDeliveredWithTheReason() throws Exception {
        control = GdbVmControl.attach(stub.connect(), null, TIMEOUT, () -> true, "fake");
        BlockingQueue<WatchHit> hits = new LinkedBlockingQueue<>();
        control.setListener(hits::add);
        Watchpoint w = Watchpoint.write(WATCHED, 8);
        control.arm(w);
        stub.awaitRunning();

        stub.value = 0x2;
        stub.stopOnWatch(WATCHED, 2);

        WatchHit hit = hits.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(hit, "the hit is delivered although its registers could not be read");
        try {
            assertEquals(w, hit.watchpoint());
            assertEquals(1, hit.vcpu(), "thread 2 is vCPU 1");
            assertEquals(OptionalLong.of(1), hit.previousValue());
            assertEquals(OptionalLong.of(2), hit.value(), "the watched value is still read");
            assertTrue(hit.registersProblem().contains("could not read the registers"), hit.registersProblem());
            VmmException asked = assertThrows(VmmException.class, hit::registers);
            assertTrue(asked.getMessage().contains(hit.registersProblem()), asked.getMessage());
        } finally {
            hit.close();
        }
        stub.awaitRunning(); // closing the hit resumes the guest
    }

    /** The fake stub: one connection, packets answered in order on its own thread. */
    private static final class RefusingGdbStub implements AutoCloseable {
        private final ServerSocketChannel server;
        private SocketChannel peer;
        private Thread thread;
        private volatile boolean acks = true;
        private volatile long value = 0x1;
        /** Each 'c' the stub took; the test waits on it to know the guest "runs". */
        private final BlockingQueue<String> continues = new LinkedBlockingQueue<>();

        RefusingGdbStub() {
            try {
                server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        SocketChannel connect() throws IOException {
            SocketChannel ours = SocketChannel.open(server.getLocalAddress());
            peer = server.accept();
            thread = Thread.ofPlatform().daemon().name("fake-gdbstub").start(this::serve);
            return ours;
        }

        void awaitRunning() throws InterruptedException {
            assertNotNull(continues.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the guest is continued");
        }

        void stopOnWatch(long address, int thread) throws IOException {
            reply("T05thread:" + String.format("%02x", thread) + ";watch:" + Long.toHexString(address) + ";");
        }

        private void serve() {
            ByteBuffer in = ByteBuffer.allocate(8192);
            StringBuilder pending = new StringBuilder();
            try {
                while (peer.read(in) >= 0) {
                    in.flip();
                    pending.append(StandardCharsets.ISO_8859_1.decode(in));
                    in.clear();
                    while (!pending.isEmpty()) {
                        char c = pending.charAt(0);
                        if (c == 0x03) { // interrupt: the guest stops
                            pending.deleteCharAt(0);
                            reply("T02thread:01;");
                        } else if (c == '$') {
                            int hash = pending.indexOf("#");
                            if (hash < 0 || pending.length() < hash + 3) break;
                            String packet = pending.substring(1, hash);
                            pending.delete(0, hash + 3);
                            if (acks) write("+");
                            answer(packet);
                        } else {
                            pending.deleteCharAt(0); // '+' / '-' from the client
                        }
                    }
                }
            } catch (IOException ended) {
                // the test closed the connection
            }
        }

        private void answer(String packet) throws IOException {
            if (packet.equals("?")) {
                reply("T05thread:01;");
            } else if (packet.startsWith("qSupported")) {
                reply("PacketSize=1000;qXfer:features:read+;QStartNoAckMode+");
            } else if (packet.equals("QStartNoAckMode")) {
                reply("OK");
                acks = false;
            } else if (packet.startsWith("qXfer:features:read:target.xml:")) {
                reply("l" + targetXml());
            } else if (packet.equals("qfThreadInfo")) {
                reply("m01,02");
            } else if (packet.equals("qsThreadInfo")) {
                reply("l");
            } else if (packet.startsWith("Z2,") || packet.startsWith("z2,") || packet.startsWith("Hg")) {
                reply("OK");
            } else if (packet.equals("g") || packet.startsWith("p")) {
                reply("E14"); // the point of this stub: no registers
            } else if (packet.startsWith("m")) {
                reply(String.format("%016x", Long.reverseBytes(value)));
            } else if (packet.equals("c")) {
                continues.add(packet);
            } else {
                reply(""); // unsupported, as a stub says it
            }
        }

        private static String targetXml() {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><target><architecture>i386:x86-64"
                    + "</architecture><feature name=\"org.gnu.gdb.i386.core\">");
            Stream.concat(X86Registers.REQUIRED.stream(), X86Registers.OPTIONAL.stream())
                    .forEach(r -> xml.append("<reg name=\"").append(r).append("\" bitsize=\"64\"/>"));
            return xml.append("</feature></target>").toString();
        }

        private void reply(String payload) throws IOException {
            write(new String(GdbPackets.frame(payload), StandardCharsets.ISO_8859_1));
        }

        private synchronized void write(String text) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
            while (b.hasRemaining()) peer.write(b);
        }

        @Override
        public void close() throws IOException {
            if (peer != null) peer.close();
            server.close();
            if (thread != null) {
                try {
                    thread.join(TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
