package dev.freezeframe.app.ui.link;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.app.AppException;
import java.util.Objects;
import java.util.Optional;

/**
 * "Open this run" — from {@code freezeframe open RUN [--snapshot TAG]}, handed to a running workbench as one line of
 * JSON: {@code {"command":"open","run":55,"snapshot":"error"}}.
 *
 * @param runId       the run (an id of the archive the workbench shows)
 * @param snapshotTag the snapshot to show in it, if any
 */
public record OpenRequest(long runId, Optional<String> snapshotTag) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public OpenRequest {
        Objects.requireNonNull(snapshotTag, "snapshotTag");
        if (runId <= 0) throw new IllegalArgumentException("run ids start at 1: " + runId);
    }

    public static OpenRequest of(long runId) {
        return new OpenRequest(runId, Optional.empty());
    }

    /** The request as one line of JSON (no line break inside). */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("command", "open");
        node.put("run", runId);
        snapshotTag.ifPresent(tag -> node.put("snapshot", tag));
        return node.toString();
    }

    /** Parses a request line; anything else is an {@link AppException} saying what is wrong with it. */
    public static OpenRequest fromJson(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new AppException("The request is not JSON (" + e.getOriginalMessage() + ").", e);
        }
        if (node == null || !node.isObject() || !"open".equals(node.path("command").asText())) {
            throw new AppException("The request is not an open request: expected {\"command\":\"open\",\"run\":N}.");
        }
        JsonNode run = node.get("run");
        if (run == null || !run.canConvertToLong() || !run.isIntegralNumber() || run.asLong() <= 0) {
            throw new AppException("The open request has no run id (a whole number from 1 up).");
        }
        JsonNode tag = node.get("snapshot");
        if (tag != null && !tag.isNull() && !tag.isTextual()) {
            throw new AppException("The open request's snapshot must be a tag (text).");
        }
        return new OpenRequest(run.asLong(), tag == null || tag.isNull() ? Optional.empty() : Optional.of(tag.asText()));
    }
}
