package dev.freezeframe.vmm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmmException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a scripted QMP peer on a real unix socket. The peer speaks exactly what QEMU 7.2 sends (greeting,
 * replies with our id, events between replies); the real QEMU is exercised in {@link QemuBackendFirmwareTest}.
 */
class QmpClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7},"
            + " \"package\": \"Debian\"}, \"capabilities\": [\"oob\"]}}";

    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private SocketChannel peer;
    private BufferedReader fromClient;
    private OutputStream toClient;
    private final List<QmpEvent> events = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<JsonNode> requests = new LinkedBlockingQueue<>();

    @BeforeEach
    void listen() throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve("qmp.sock")));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        if (peer != null) {
            peer.close();
        }
    }

    /** Connects a client; the peer sends the greeting and answers qmp_capabilities. */
    private QmpClient connect(Duration timeout) throws Exception {
        return connect(timeout, GREETING);
    }

    /** Connects a client to a peer that greets with {@code greeting}. */
    private QmpClient connect(Duration timeout, String greeting) throws Exception {
        Thread.ofVirtual().start(() -> {
            try {
                peer = server.accept();
                fromClient = new BufferedReader(new InputStreamReader(Channels.newInputStream(peer), StandardCharsets.UTF_8));
                toClient = Channels.newOutputStream(peer);
                send(greeting);
                JsonNode caps = JSON.readTree(fromClient.readLine());
                send("{\"return\": {}, \"id\": " + caps.get("id") + "}");
                for (String line; (line = fromClient.readLine()) != null; ) {
                    requests.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                // the test closed the socket
            }
        });
        return QmpClient.connect(dir.resolve("qmp.sock"), timeout, events::add);
    }

    private synchronized void send(String json) throws IOException {
        toClient.write((json + "\r\n").getBytes(StandardCharsets.UTF_8));
        toClient.flush();
    }

    private JsonNode nextRequest() throws InterruptedException {
        JsonNode r = requests.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request arrived");
        }
        return r;
    }

    @Test
    void theVersionInTheGreetingChoosesHowTheDeviceStateFileIsWrittenAndRead() throws Exception {
        Path state = dir.resolve("devices.state");
        try (QmpClient old = connect(Duration.ofSeconds(10))) {                    // 7.2: no file: URI
            assertTrue(old.atLeast(7, 2));
            assertFalse(old.atLeast(8, 2));
            assertEquals("exec:cat > '" + state.toAbsolutePath() + "'", QemuMigration.saveTo(state, old).get("uri")
                    .asText());
        }
        stop();
        java.nio.file.Files.delete(dir.resolve("qmp.sock"));
        peer = null;
        listen();
        try (QmpClient recent = connect(Duration.ofSeconds(10), GREETING.replace("\"micro\": 22, \"minor\": 2, "
                + "\"major\": 7", "\"micro\": 2, \"minor\": 0, \"major\": 10"))) {
            assertTrue(recent.atLeast(8, 2));
            assertEquals("file:" + state.toAbsolutePath(), QemuMigration.saveTo(state, recent).get("uri").asText());
            assertEquals("file:" + state.toAbsolutePath(), QemuMigration.loadFrom(state, recent).get("uri").asText());
            // a comma would be read as a file: option
            Path comma = dir.resolve("a,b.state");
            assertTrue(QemuMigration.loadFrom(comma, recent).get("uri").asText().startsWith("exec:cat "));
        }
    }

    @Test
    void repliesAreMatchedByIdAndEventsInBetweenGoToTheListener() throws Exception {
        try (QmpClient client = connect(Duration.ofSeconds(10))) {
            Thread.ofVirtual().start(() -> {
                try {
                    JsonNode stop = nextRequest();
                    send("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}");
                    send("{\"return\": {}, \"id\": " + stop.get("id") + "}");
                    JsonNode status = nextRequest();
                    send("{\"return\": {\"status\": \"paused\", \"singlestep\": false, \"running\": false}, \"id\": "
                            + status.get("id") + "}");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            client.stop();
            assertEquals(VmRunState.PAUSED, client.queryStatus());
            assertEquals(1, events.size());
            assertEquals("STOP", events.getFirst().name());
        }
    }

    @Test
    void anErrorReplyBecomesAControlFailureCarryingQemusText() throws Exception {
        try (QmpClient client = connect(Duration.ofSeconds(10))) {
            Thread.ofVirtual().start(() -> {
                try {
                    JsonNode r = nextRequest();
                    send("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"The command nope has not been found\"},"
                            + " \"id\": " + r.get("id") + "}");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            VmmException e = assertThrows(VmmException.class, () -> client.execute("nope"));
            assertEquals(VmmException.Kind.CONTROL_FAILED, e.kind());
            assertTrue(e.getMessage().contains("The command nope has not been found"), e.getMessage());
        }
    }

    @Test
    void aCommandWithoutAnswerTimesOut() throws Exception {
        try (QmpClient client = connect(Duration.ofSeconds(10))) {
            VmmException e = assertThrows(VmmException.class,
                    () -> client.execute("query-status", null, Duration.ofMillis(200)));
            assertEquals(VmmException.Kind.CONTROL_FAILED, e.kind());
            assertTrue(e.getMessage().contains("did not answer 'query-status'"), e.getMessage());
        }
    }

    @Test
    void whenQemuGoesAwayWaitingAndLaterCommandsFailAsVmGone() throws Exception {
        try (QmpClient client = connect(Duration.ofSeconds(10))) {
            Thread.ofVirtual().start(() -> {
                try {
                    nextRequest();
                    peer.close();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertEquals(VmmException.Kind.VM_GONE, assertThrows(VmmException.class, client::queryStatus).kind());
            client.disconnected().get(10, TimeUnit.SECONDS);
            assertEquals(VmmException.Kind.VM_GONE, assertThrows(VmmException.class, client::cont).kind());
        }
    }

    @Test
    void quitCountsTheConnectionClosingAsSuccess() throws Exception {
        try (QmpClient client = connect(Duration.ofSeconds(10))) {
            Thread.ofVirtual().start(() -> {
                try {
                    JsonNode r = nextRequest();
                    assertEquals("quit", r.get("execute").asText());
                    peer.close();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            client.quit();
        }
    }
}
