package dev.freezeframe.vmm.qemu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.vmm.VmRunState;
import dev.freezeframe.vmm.VmmException;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for QEMU's machine protocol (QMP): JSON objects over a unix socket. One reader thread parses everything QEMU
 * sends and routes it: replies (matched by our {@code id}) complete the waiting command, events go to the event listener.
 * Commands may be sent from any thread.
 */
public final class QmpClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QmpClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final Consumer<QmpEvent> eventListener;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();
    private final Duration defaultTimeout;
    private final Thread reader;
    private volatile boolean quitting;

    private QmpClient(SocketChannel channel, Duration defaultTimeout, Consumer<QmpEvent> eventListener, String name) {
        this.channel = channel;
        this.defaultTimeout = defaultTimeout;
        this.eventListener = eventListener;
        this.reader = Thread.ofPlatform().daemon().name("qmp-reader-" + name).start(this::readLoop);
    }

    /**
     * Wraps a connected socket, waits for QEMU's greeting and leaves negotiation mode ({@code qmp_capabilities}).
     *
     * @param handshakeTimeout how long to wait for the greeting (QEMU sends it once its main loop runs)
     * @param commandTimeout   the default wait for later commands
     * @param eventListener called on the reader thread for every event; must not block
     */
    public static QmpClient handshake(SocketChannel connected, Duration handshakeTimeout, Duration commandTimeout,
                                      Consumer<QmpEvent> eventListener, String name) {
        QmpClient client = new QmpClient(connected, commandTimeout, eventListener, name);
        try {
            await(client.greeting, handshakeTimeout, "greeting");
            client.execute("qmp_capabilities", null, handshakeTimeout);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Connects to a QMP socket path (the server must be listening) and performs the handshake. */
    public static QmpClient connect(Path socket, Duration timeout, Consumer<QmpEvent> eventListener) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new VmmException(VmmException.Kind.CONTROL_FAILED,
                    "Could not connect to QEMU's control socket " + socket + ".", e);
        }
        return handshake(channel, timeout, timeout, eventListener, socket.getFileName().toString());
    }

    /**
     * Whether this QEMU is at least {@code major.minor}, from the version in its greeting (false when the greeting
     * did not say).
     */
    public boolean atLeast(int major, int minor) {
        JsonNode qemu = greeting.getNow(JSON.createObjectNode()).path("QMP").path("version").path("qemu");
        if (!qemu.path("major").isInt()) return false;
        int have = qemu.path("major").asInt();
        return have > major || have == major && qemu.path("minor").asInt() >= minor;
    }

    /** Runs a command without arguments and returns its {@code return} value. */
    public JsonNode execute(String command) {
        return execute(command, null, defaultTimeout);
    }

    /**
     * Runs a command and returns its {@code return} value.
     *
     * @throws VmmException CONTROL_FAILED when QEMU answers with an error or not within {@code timeout}; VM_GONE when
     *                      the connection is closed
     */
    public JsonNode execute(String command, ObjectNode arguments, Duration timeout) {
        long id = nextId.getAndIncrement();
        ObjectNode request = JSON.createObjectNode().put("execute", command).put("id", id);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            if (disconnected.isDone()) {
                throw gone(command, null);
            }
            send(request);
            return await(reply, timeout, command);
        } finally {
            pending.remove(id);
        }
    }

    /** {@code query-status}: whether the vCPUs run. */
    public VmRunState queryStatus() {
        JsonNode status = execute("query-status");
        return switch (status.path("status").asText()) {
            case "running" -> VmRunState.RUNNING;
            case "paused", "debug", "prelaunch", "suspended", "save-vm", "restore-vm" -> VmRunState.PAUSED;
            case "shutdown", "guest-panicked" -> VmRunState.SHUT_DOWN;
            default -> status.path("running").asBoolean() ? VmRunState.RUNNING : VmRunState.OTHER;
        };
    }

    /** {@code stop}: pauses every vCPU. QEMU returns after they have stopped. */
    public void stop() {
        execute("stop");
    }

    /** {@code cont}: resumes the vCPUs. */
    public void cont() {
        execute("cont");
    }

    /** {@code quit}: QEMU exits at once. The connection closing before the reply counts as success. */
    public void quit() {
        quitting = true;
        try {
            execute("quit");
        } catch (VmmException e) {
            if (e.kind() != VmmException.Kind.VM_GONE) {
                throw e;
            }
        }
    }

    /** Completes when QEMU closed the connection or {@link #close()} was called. */
    public CompletableFuture<Void> disconnected() {
        return disconnected.copy();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the QMP socket", e);
        }
        try {
            reader.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(ObjectNode request) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Writes go straight to the channel (not through a stream): the reader thread blocks in read on the same channel.
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        synchronized (channel) {
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw gone(request.path("execute").asText(), e);
            }
        }
    }

    private void readLoop() {
        try (InputStream in = Channels.newInputStream(channel);
             MappingIterator<JsonNode> messages = JSON.readerFor(JsonNode.class).readValues(in)) {
            while (messages.hasNextValue()) {
                route(messages.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            // A closed socket is the normal end; anything else is logged, and either way pending commands fail below.
            if (channel.isOpen() && !quitting) {
                LOG.debug("QMP connection ended", e);
            }
        } finally {
            disconnected.complete(null);
            greeting.completeExceptionally(gone("greeting", null));
            pending.values().forEach(p -> p.completeExceptionally(gone("command", null)));
        }
    }

    private void route(JsonNode message) {
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            JsonNode data = message.has("data") ? message.get("data") : JSON.createObjectNode();
            try {
                eventListener.accept(new QmpEvent(message.get("event").asText(), data));
            } catch (RuntimeException e) {
                LOG.warn("A QMP event listener failed on {}", message, e);
            }
        } else if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.get("id").asLong());
            if (reply == null) {
                LOG.debug("QMP reply for a command nobody waits for any more: {}", message);
            } else if (message.has("error")) {
                JsonNode error = message.get("error");
                reply.completeExceptionally(new VmmException(VmmException.Kind.CONTROL_FAILED,
                        "QEMU refused a control command: " + error.path("desc").asText(error.toString()) + "."));
            } else {
                reply.complete(message.path("return"));
            }
        } else {
            LOG.debug("QMP message without id or event ignored: {}", message);
        }
    }

    private static JsonNode await(CompletableFuture<JsonNode> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new VmmException(VmmException.Kind.CONTROL_FAILED, "QEMU did not answer '" + what + "' within "
                    + timeout.toSeconds() + " s; it may be overloaded or hung.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VmmException vmm) {
                throw new VmmException(vmm.kind(), vmm.getMessage(), e);
            }
            throw new VmmException(VmmException.Kind.CONTROL_FAILED, "The QEMU control command '" + what + "' failed.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmmException(VmmException.Kind.CONTROL_FAILED, "Interrupted while waiting for QEMU.", e);
        }
    }

    private static VmmException gone(String what, Throwable cause) {
        return new VmmException(VmmException.Kind.VM_GONE,
                "QEMU's control connection is closed, so '" + what + "' cannot run; the VM has probably ended.", cause);
    }
}
