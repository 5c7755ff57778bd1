package dev.freezeframe.app.ui.link;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freezeframe.app.AppException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code freezeframe open} side: hands an {@link OpenRequest} to a running workbench, if there is one. */
public final class DeepLinkClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether a running workbench took the request. */
    public enum Outcome { HANDED_OVER, NO_WINDOW }

    private DeepLinkClient() {
    }

    /**
     * Sends {@code request} to the workbench listening on {@code socket}.
     *
     * @return {@link Outcome#NO_WINDOW} when nobody listens (no socket file, or a stale one)
     * @throws AppException when the window answered with a refusal (its sentence), or broke off
     */
    public static Outcome send(Path socket, OpenRequest request) {
        if (!Files.exists(socket)) return Outcome.NO_WINDOW;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                if (DeepLinkServer.isRefusal(e)) return Outcome.NO_WINDOW;
                throw e;
            }
            ByteBuffer out = ByteBuffer.wrap((request.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) channel.write(out);
            String line = DeepLinkServer.readLine(channel);
            JsonNode reply = line.isBlank() ? null : JSON.readTree(line);
            if (reply == null || !reply.isObject()) {
                throw new AppException("The running workbench did not answer the open request; try again, or close "
                        + "it and run the command once more.");
            }
            if (!reply.path("ok").asBoolean()) {
                throw new AppException("The running workbench refused to open run " + request.runId() + ": "
                        + reply.path("error").asText("no reason given"));
            }
            return Outcome.HANDED_OVER;
        } catch (IOException e) {
            throw new AppException("Cannot reach the running workbench on " + socket + " (" + e.getMessage() + ").",
                    e);
        }
    }

    /** True when something accepts connections on {@code socket}. */
    static boolean listening(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
