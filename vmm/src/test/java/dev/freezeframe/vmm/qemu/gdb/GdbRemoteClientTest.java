package dev.freezeframe.vmm.qemu.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's handling of acknowledgements, damaged packets, silence and hang-ups, against a scripted peer on a real
 * unix socket: QEMU does not misbehave on demand, so these paths need a peer that does. The happy paths run against
 * the real QEMU in the backend tests.
 */
class GdbRemoteClientTest {

    private static final Duration SHORT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private SocketChannel peer;
    private GdbRemoteClient client;

    @BeforeEach
    void connect() throws IOException {
        Path socket = dir.resolve("gdb.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
        SocketChannel ours = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        peer = server.accept();
        client = GdbRemoteClient.over(ours, "test");
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        peer.close();
        server.close();
    }

    private void peerSends(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (b.hasRemaining()) {
            peer.write(b);
        }
    }

    /** Reads exactly {@code n} bytes the client sent. */
    private String peerReceives(int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (peer.read(b) < 0) {
                throw new IOException("client closed");
            }
        }
        return new String(b.array(), StandardCharsets.ISO_8859_1);
    }

    private static String packet(String payload) {
        return new String(GdbPackets.frame(payload), StandardCharsets.ISO_8859_1);
    }

    @Test
    void acknowledgesEveryPacketAndReturnsTheReply() throws Exception {
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
            try {
                assertEquals(packet("Hg1"), peerReceives(packet("Hg1").length()));
                peerSends("+" + packet("OK"));
                assertEquals("+", peerReceives(1));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals("OK", client.request("Hg1", SHORT));
        t.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDamagedReplyIsRefusedWithAMinusAndTheResentOneIsTaken() throws Exception {
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
            try {
                assertEquals(packet("g"), peerReceives(packet("g").length()));
                peerSends("+$0011#00");
                assertEquals("-", peerReceives(1));
                peerSends(packet("0011"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals("0011", client.request("g", SHORT));
        t.get(10, TimeUnit.SECONDS); // surfaces the peer's own assertion failures
    }

    @Test
    void aPacketThePeerRefusesIsSentAgain() throws Exception {
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
            try {
                String first = peerReceives(packet("?").length());
                peerSends("-");
                assertEquals(first, peerReceives(first.length()), "same bytes again");
                peerSends("+" + packet("T05thread:01;"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals("T05thread:01;", client.request("?", SHORT));
        t.get(10, TimeUnit.SECONDS); // surfaces the peer's own assertion failures
    }

    @Test
    void aStaleStopReplyIsNotTakenForTheReplyToACommand() throws Exception {
        // the stub stopped twice (a pause from elsewhere, then our interrupt) and one stop reply was left unread
        peerSends(packet("T02thread:01;"));
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
            try {
                // the ack of the stale reply and the request may come in either order
                String got = peerReceives(1 + packet("Hg1").length());
                assertEquals(packet("Hg1"), got.replaceFirst("\\+", ""), got);
                peerSends("+" + packet("OK"));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals("OK", client.request("Hg1", SHORT));
        t.get(10, TimeUnit.SECONDS);
        // but '?' asks for exactly that
        peerSends("+" + packet("T05thread:01;"));
        assertEquals("T05thread:01;", client.request("?", SHORT));
        // and an exit report means the VM is gone
        peerSends("+" + packet("W00"));
        assertEquals(VmmException.Kind.VM_GONE, assertThrows(VmmException.class, () -> client.request("g", SHORT))
                .kind());
    }

    @Test
    void aPacketWithoutAReplyCountsAsTakenOnlyOnceAcknowledged() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean acked = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
            try {
                assertEquals(packet("c"), peerReceives(packet("c").length()));
                Thread.sleep(100);
                acked.set(true);
                peerSends("+");
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        client.sendAcknowledged("c", SHORT);
        assertTrue(acked.get(), "returned only after the '+'");
        t.get(10, TimeUnit.SECONDS);
        VmmException silent = assertThrows(VmmException.class, () -> client.sendAcknowledged("c",
                Duration.ofMillis(100)));
        assertEquals(VmmException.Kind.CONTROL_FAILED, silent.kind());
    }

    @Test
    void memoryRepliesOfTheWrongLengthOrErrorsAreTypedErrors() throws Exception {
        peerSends("+" + packet("0102"));
        assertArrayEquals(new byte[] {1, 2}, client.readMemory(0x46c, 2, SHORT));
        peerSends("+" + packet("01"));
        assertThrows(GdbProtocolException.class, () -> client.readMemory(0x46c, 2, SHORT));
        peerSends("+" + packet("E14"));
        GdbProtocolException e = assertThrows(GdbProtocolException.class, () -> client.readMemory(0x10, 2, SHORT));
        assertEquals("QEMU's gdbstub could not read 2 bytes at 0x10.", e.getMessage());
        assertEquals("E14", e.packet());
    }

    @Test
    void threadListsAndFeatureAnnexesAreReadInPieces() throws Exception {
        peerSends("+" + packet("m01,02") + "+" + packet("m03") + "+" + packet("l"));
        assertEquals(List.of(1, 2, 3), client.threadIds(SHORT));
        // an annex in two chunks, the second with an escaped '}' (0x7d as "}]")
        peerSends("+" + packet("m<target>") + "+" + "$l}]</target>#" + String.format("%02x",
                GdbPackets.checksum("l}]</target>".getBytes(StandardCharsets.ISO_8859_1), 0, 12)));
        assertEquals("<target>}</target>", client.readFeatureAnnex("target.xml", SHORT));
    }

    @Test
    void anInterruptedCallerStillTakesItsOwnReplyAndKeepsTheInterrupt() throws Exception {
        CompletableFuture<Void> t = CompletableFuture.runAsync(() -> {
            try {
                assertEquals(packet("g"), peerReceives(packet("g").length()));
                Thread.sleep(200);
                peerSends("+" + packet("0011"));
                assertEquals("+", peerReceives(1));
                assertEquals(packet("?"), peerReceives(packet("?").length()));
                peerSends("+" + packet("T05thread:01;"));
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        Thread.currentThread().interrupt();
        try {
            assertEquals("0011", client.request("g", SHORT));
            assertTrue(Thread.interrupted(), "the interrupt is handed back");
        } finally {
            Thread.interrupted();
        }
        assertEquals("T05thread:01;", client.request("?", SHORT), "the conversation is still in step");
        t.get(10, TimeUnit.SECONDS);
    }

    @Test
    void silenceBreaksTheConversationForGood() {
        VmmException e = assertThrows(VmmException.class, () -> client.request("g", Duration.ofMillis(200)));
        assertEquals(VmmException.Kind.CONTROL_FAILED, e.kind());
        assertEquals("QEMU's gdbstub did not answer 'g' within 200 ms; it may be overloaded or hung.", e.getMessage());
        // a late reply must never be taken for the answer to the next request
        VmmException after = assertThrows(VmmException.class, () -> client.request("?", SHORT));
        assertEquals(VmmException.Kind.CONTROL_FAILED, after.kind());
    }

    @Test
    void aHangUpEndsEveryWaitWithVmGone() throws Exception {
        peer.close();
        VmmException e = assertThrows(VmmException.class, () -> client.awaitPacket(SHORT, "a stop"));
        assertEquals(VmmException.Kind.VM_GONE, e.kind());
        assertEquals(VmmException.Kind.VM_GONE, assertThrows(VmmException.class,
                () -> client.awaitPacketForever("a stop")).kind());
    }
}
