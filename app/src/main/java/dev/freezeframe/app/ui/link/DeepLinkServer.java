package dev.freezeframe.app.ui.link;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.app.AppException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens in the workbench for {@code freezeframe open} on a Unix-domain socket (see {@link DeepLinkSocket}): each
 * connection sends one line of JSON ({@link OpenRequest}) and gets one line back, {@code {"ok":true}} or
 * {@code {"ok":false,"error":"…"}}; a valid request goes to the {@link RunOpener} on the FX thread. Peers of another
 * user are refused (the directory's permissions already keep them out; SO_PEERCRED checks again).
 */
public final class DeepLinkServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeepLinkServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_LINE = 64 * 1024;
    static final long PEER_TIMEOUT_MS = 5000;

    private final Path socket;
    private final ServerSocketChannel server;
    private final UserPrincipal owner;
    private final RunOpener opener;
    private final Consumer<Runnable> fxThread;
    private final Thread acceptor;

    private DeepLinkServer(Path socket, ServerSocketChannel server, UserPrincipal owner, RunOpener opener,
                           Consumer<Runnable> fxThread) {
        this.socket = socket;
        this.server = server;
        this.owner = owner;
        this.opener = opener;
        this.fxThread = fxThread;
        this.acceptor = Thread.ofPlatform().name("deep-link-server").daemon(true).unstarted(this::acceptLoop);
    }

    /**
     * Listens on {@code socket}, replacing a stale socket file that nobody listens on.
     *
     * @throws AppException when another workbench already listens there, or the socket cannot be made
     */
    public static DeepLinkServer start(Path socket, RunOpener opener, Consumer<Runnable> fxThread) {
        UserPrincipal owner = DeepLinkSocket.privateDirectory(socket);
        if (Files.exists(socket)) {
            if (DeepLinkClient.listening(socket)) {
                throw new AppException("Another Freezeframe window already listens on " + socket
                        + "; `freezeframe open` goes to that one.");
            }
            try {
                Files.delete(socket);
                LOG.info("replaced the stale socket {}", socket);
            } catch (IOException e) {
                throw new AppException("Cannot remove the stale socket " + socket + " (" + e.getMessage() + ").", e);
            }
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, DeepLinkSocket.SOCKET);
        } catch (IOException e) {
            closeQuietly(server);
            throw new AppException("Cannot listen on " + socket + " for `freezeframe open` (" + e.getMessage()
                    + ").", e);
        }
        DeepLinkServer s = new DeepLinkServer(socket, server, owner, opener, fxThread);
        s.acceptor.start();
        LOG.info("listening for open requests on {}", socket);
        return s;
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel peer;
            try {
                peer = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("accepting an open request failed", e);
                continue;
            }
            // one virtual thread per peer, so a client that never sends its line holds up nobody
            Thread.ofVirtual().name("deep-link-peer").start(() -> serve(peer));
        }
    }

    private void serve(SocketChannel peer) {
        // a peer that never sends its line is cut off, so its thread and socket do not linger
        Thread deadline = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(PEER_TIMEOUT_MS);
                peer.close();
            } catch (InterruptedException | IOException ignored) {
                // served in time, or already closed
            }
        });
        try (peer) {
            String refusal = checkPeer(peer);
            if (refusal != null) {
                reply(peer, false, refusal);
                return;
            }
            String line = readLine(peer);
            if (line.isBlank()) return; // a probe (another window checking whether this one listens)
            OpenRequest request;
            try {
                request = OpenRequest.fromJson(line);
            } catch (AppException e) {
                reply(peer, false, e.getMessage());
                return;
            }
            fxThread.accept(() -> opener.open(request));
            reply(peer, true, null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("serving an open request failed", e);
        } finally {
            deadline.interrupt();
        }
    }

    /** Null when the peer is this user; else why it is refused. */
    private String checkPeer(SocketChannel peer) {
        try {
            UnixDomainPrincipal who = peer.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!who.user().equals(owner)) {
                LOG.warn("refused an open request from user {}", who.user().getName());
                return "Only " + owner.getName() + " can open runs in this window.";
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no peer credentials on this platform: the 0700 directory is the guard
            LOG.debug("no peer credentials", e);
        }
        return null;
    }

    static String readLine(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_LINE);
        while (buffer.hasRemaining()) {
            int before = buffer.position();
            if (channel.read(buffer) < 0) break;
            for (int i = before; i < buffer.position(); i++) {
                if (buffer.get(i) == '\n') return new String(buffer.array(), 0, i, StandardCharsets.UTF_8);
            }
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static void reply(SocketChannel peer, boolean ok, String error) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("ok", ok);
        if (error != null) node.put("error", error);
        ByteBuffer out = ByteBuffer.wrap((node + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) peer.write(out);
    }

    /** Stops listening and removes the socket file. */
    @Override
    public void close() {
        closeQuietly(server);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove {}", socket, e);
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the socket", e);
        }
    }

    static boolean isRefusal(IOException e) {
        return e instanceof ConnectException || e instanceof SocketException
                && String.valueOf(e.getMessage()).contains("Connection refused");
    }
}
