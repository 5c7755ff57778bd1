package dev.freezeframe.app.ui.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freezeframe.app.AppDirs;
import dev.freezeframe.app.AppException;
import dev.freezeframe.app.cli.CommandLines;
import dev.freezeframe.app.ui.TestArchives;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code freezeframe open} handing requests to a running workbench's {@link DeepLinkServer}, in process. */
class DeepLinkTest {
    @TempDir
    Path dir;

    private Path socket;
    private Path db;
    private final LinkedBlockingQueue<OpenRequest> opened = new LinkedBlockingQueue<>();
    private DeepLinkServer server;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void archive() {
        socket = dir.resolve("rt").resolve("ui.sock");
        db = dir.resolve("archive.db");
        TestArchives.fourRuns(db);
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private void startServer() {
        // the "FX thread" here is the caller's: the opener's queue shows what reached it
        server = DeepLinkServer.start(socket, opened::add, Runnable::run);
    }

    private int open(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        AppDirs dirs = new AppDirs(dir.resolve("data"), dir.resolve("config"), dir.resolve("state"),
                dir.resolve("cache"));
        CommandLine commandLine = CommandLines.create(dirs);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new java.util.ArrayList<>(List.of("open"));
        all.addAll(List.of(args));
        all.addAll(List.of("--socket", socket.toString(), "--db", db.toString()));
        return commandLine.execute(all.toArray(String[]::new));
    }

    @Test
    void aRequestReachesTheOpenerAndTheSocketIsPrivate() throws Exception {
        startServer();
        assertEquals(DeepLinkClient.Outcome.HANDED_OVER,
                DeepLinkClient.send(socket, new OpenRequest(2, Optional.of("error"))));
        assertEquals(new OpenRequest(2, Optional.of("error")), opened.poll(5, TimeUnit.SECONDS));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void theOpenCommandHandsOverAndResolvesLast() throws Exception {
        startServer();
        assertEquals(0, open("2", "--snapshot", "error"));
        assertEquals("opened run 2 in the running workbench", out.toString().strip());
        assertEquals(new OpenRequest(2, Optional.of("error")), opened.poll(5, TimeUnit.SECONDS));

        assertEquals(0, open("last:scheduler_failed"));
        assertEquals(OpenRequest.of(3), opened.poll(5, TimeUnit.SECONDS));
        assertEquals(0, open("last"));
        assertEquals(OpenRequest.of(4), opened.poll(5, TimeUnit.SECONDS));
        assertEquals(0, open("last:interrupted"));
        assertEquals(OpenRequest.of(4), opened.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void anUnknownRunIsAUsageErrorWithASentence() {
        startServer();
        assertEquals(64, open("99"));
        assertTrue(err.toString().contains("There is no run 99 in " + db), err.toString());
        assertEquals(64, open("last:great"));
        assertTrue(err.toString().contains("Unknown verdict 'great'"), err.toString());
        assertEquals(64, open("last:inconclusive"));
        assertTrue(err.toString().contains("No run in " + db + " has the verdict inconclusive."), err.toString());
        assertEquals(64, open("fifty"));
        assertTrue(err.toString().contains("'fifty' is not a run"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
        assertTrue(opened.isEmpty(), "nothing reaches the window");
    }

    @Test
    void aStaleSocketIsReplaced() throws Exception {
        Files.createDirectories(socket.getParent());
        // a window that died leaves its socket file behind
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        assertEquals(DeepLinkClient.Outcome.NO_WINDOW, DeepLinkClient.send(socket, OpenRequest.of(1)));
        startServer();
        assertEquals(DeepLinkClient.Outcome.HANDED_OVER, DeepLinkClient.send(socket, OpenRequest.of(1)));
        assertEquals(OpenRequest.of(1), opened.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aSecondWindowDoesNotTakeTheSocketOfALiveOne() throws Exception {
        startServer();
        AppException e = assertThrows(AppException.class, () -> DeepLinkServer.start(socket, r -> { }, Runnable::run));
        assertTrue(e.getMessage().startsWith("Another Freezeframe window already listens on "), e.getMessage());
        // the first still serves
        assertEquals(DeepLinkClient.Outcome.HANDED_OVER, DeepLinkClient.send(socket, OpenRequest.of(3)));
        assertEquals(OpenRequest.of(3), opened.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void closingRemovesTheSocketAndThenNobodyListens() {
        startServer();
        server.close();
        server = null;
        assertFalse(Files.exists(socket));
        assertEquals(DeepLinkClient.Outcome.NO_WINDOW, DeepLinkClient.send(socket, OpenRequest.of(1)));
    }

    @Test
    void aBadRequestGetsASentenceBack() throws Exception {
        startServer();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("{\"command\":\"open\",\"run\":\"x\"}\n".getBytes(StandardCharsets.UTF_8)));
            String reply = DeepLinkServer.readLine(channel);
            assertEquals("{\"ok\":false,\"error\":\"The open request has no run id (a whole number from 1 up).\"}",
                    reply);
        }
        assertTrue(opened.isEmpty());
    }

    @Test
    void aSilentPeerIsCutOffAndTheServerStillServes() throws Exception {
        startServer();
        try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.connect(UnixDomainSocketAddress.of(socket));
            // the server closes it after its deadline: the read ends (EOF) instead of waiting forever
            java.util.concurrent.Future<String> read = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()
                    .submit(() -> DeepLinkServer.readLine(silent));
            assertEquals("", read.get(DeepLinkServer.PEER_TIMEOUT_MS + 10_000, TimeUnit.MILLISECONDS));
            assertEquals(DeepLinkClient.Outcome.HANDED_OVER, DeepLinkClient.send(socket, OpenRequest.of(2)));
        }
        assertEquals(OpenRequest.of(2), opened.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void requestsAreOneLineOfJson() {
        OpenRequest r = new OpenRequest(55, Optional.of("watch:total_forks"));
        assertEquals("{\"command\":\"open\",\"run\":55,\"snapshot\":\"watch:total_forks\"}", r.toJson());
        assertEquals(r, OpenRequest.fromJson(r.toJson()));
        assertEquals(OpenRequest.of(7), OpenRequest.fromJson("{\"command\":\"open\",\"run\":7}"));
        assertThrows(AppException.class, () -> OpenRequest.fromJson("{\"command\":\"close\",\"run\":7}"));
        assertThrows(AppException.class, () -> OpenRequest.fromJson("not json"));
        assertThrows(AppException.class, () -> OpenRequest.fromJson("{\"command\":\"open\",\"run\":0}"));
    }

    @Test
    void theSocketLivesInTheRuntimeDirectoryElseInTheStateDirectory() {
        AppDirs dirs = new AppDirs(Path.of("/d"), Path.of("/c"), Path.of("/s/freezeframe"), Path.of("/k"));
        assertEquals(Path.of("/run/user/1000/freezeframe/ui.sock"),
                DeepLinkSocket.path(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), dirs));
        assertEquals(Path.of("/s/freezeframe/runtime/ui.sock"), DeepLinkSocket.path(Map.of(), dirs));
        assertEquals(Path.of("/s/freezeframe/runtime/ui.sock"),
                DeepLinkSocket.path(Map.of("XDG_RUNTIME_DIR", "relative"), dirs));
    }
}
