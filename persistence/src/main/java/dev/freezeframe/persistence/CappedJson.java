package dev.freezeframe.persistence;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a foreign JSON file as an object within caps on its bytes and on the JSON values it holds, so a hostile or
 * runaway file is refused with a sentence instead of filling the heap.
 */
final class CappedJson {
    private CappedJson() {
    }

    /** Reads {@code file}, refusing it (with a sentence naming {@code limitName}) past either cap. */
    static JsonNode readObject(Path file, long maxBytes, long maxValues, String limitName) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ArchiveException(file + " is not a regular file; it was not imported.");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new ArchiveException(file + " is " + size + " bytes, more than " + limitName + " of "
                        + maxBytes + " bytes; it was not imported.");
            }
            JsonNode node;
            try (JsonParser parser = new EntryCountingParser(Archive.JSON.getFactory().createParser(file.toFile()),
                    maxValues, file, limitName)) {
                node = Archive.JSON.readTree(parser);
            }
            if (node == null || !node.isObject()) throw new ArchiveException(file + " is not a JSON object; it was "
                    + "not imported.");
            return node;
        } catch (IOException e) {
            throw new ArchiveException(file + " is not valid JSON (" + String.valueOf(e.getMessage()).lines()
                    .findFirst().orElse("") + "); it was not imported.", e);
        }
    }

    /** Counts the JSON values a parse reads and stops it past the cap, so a hostile file cannot fill the heap. */
    private static final class EntryCountingParser extends JsonParserDelegate {
        private final long max;
        private final Path file;
        private final String limitName;
        private long values;

        EntryCountingParser(JsonParser parser, long max, Path file, String limitName) {
            super(parser);
            this.max = max;
            this.file = file;
            this.limitName = limitName;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            if (t != null && t != JsonToken.FIELD_NAME && t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY
                    && ++values > max) {
                throw new ArchiveException(file + " holds more than " + max + " JSON values, " + limitName
                        + " per file; it was not imported.");
            }
            return t;
        }
    }
}
