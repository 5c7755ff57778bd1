package dev.freezeframe.snapshots.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code entries} of one BPF map in a report: either already a JSON tree, or spans of the report text that are
 * parsed one entry at a time when asked for, so a 10 000-entry map costs nothing until it is expanded or diffed.
 */
abstract sealed class MapEntries {
    /** Whether the report has an {@code entries} array for the map at all. */
    abstract boolean present();

    abstract int size();

    /**
     * Entry {@code i} as JSON (text-backed entries are parsed on each call: callers keep what they make of it); an
     * entry whose text is not valid JSON comes back as an unavailable value with the parser's reason.
     */
    abstract JsonNode get(int i);

    /** The most per-CPU values any entry has (0: none). */
    abstract int maxPerCpu();

    static MapEntries of(JsonNode entries) {
        return new Tree(entries);
    }

    /** Entries already parsed as part of the report's tree. */
    static final class Tree extends MapEntries {
        private final JsonNode entries;

        Tree(JsonNode entries) {
            this.entries = entries;
        }

        @Override
        boolean present() {
            return entries.isArray();
        }

        @Override
        int size() {
            return entries.isArray() ? entries.size() : 0;
        }

        @Override
        JsonNode get(int i) {
            return entries.path(i);
        }

        @Override
        int maxPerCpu() {
            int n = 0;
            for (JsonNode e : entries) n = Math.max(n, e.path("perCpu").size());
            return n;
        }
    }

    /**
     * Entries known by where each one's JSON object starts and ends in the report text. They are parsed a block at a
     * time (one parser per block rather than per entry: rows are made in order, by a chunk or a diff), the last block
     * kept.
     */
    static final class Indexed extends MapEntries {
        private static final int BLOCK = 256;

        private final ObjectMapper json;
        private final String text;
        private final int[] starts;
        private final int[] ends;
        private final int[] keyStarts;
        private final int[] keyEnds;
        private final int[] addressStarts;
        private final int[] addressEnds;
        private final int maxPerCpu;
        private int block = -1;
        private JsonNode[] parsed;
        private final int[] keyHashes;

        /**
         * {@code keyStarts}/{@code keyEnds}: where each entry's {@code key} value is written (-1: no key);
         * {@code addressStarts}/{@code addressEnds}: the same for its {@code valueAddress}; {@code keyHashes}: a hash
         * of each key's text ({@link ReportReader} makes it while the text is at hand; 0 without a key).
         */
        Indexed(ObjectMapper json, String text, int[] starts, int[] ends, int[] keyStarts, int[] keyEnds,
                int[] addressStarts, int[] addressEnds, int[] keyHashes, int maxPerCpu) {
            this.json = json;
            this.text = text;
            this.starts = starts;
            this.ends = ends;
            this.keyStarts = keyStarts;
            this.keyEnds = keyEnds;
            this.addressStarts = addressStarts;
            this.addressEnds = addressEnds;
            this.keyHashes = keyHashes;
            this.maxPerCpu = maxPerCpu;
        }

        /** Whether every entry has a {@code key} member (entries without one are named by position). */
        boolean allKeyed() {
            for (int k : keyStarts) if (k < 0) return false;
            return true;
        }

        /** A hash of each entry's key text (the characters as written): a diff pairs entries by it. */
        int[] keyHashes() {
            return keyHashes;
        }

        /** Whether entry {@code i}'s key is written exactly as {@code other}'s entry {@code j}'s. */
        boolean sameKeyText(int i, Indexed other, int j) {
            int length = keyEnds[i] - keyStarts[i];
            return length == other.keyEnds[j] - other.keyStarts[j]
                    && text.regionMatches(keyStarts[i], other.text, other.keyStarts[j], length);
        }

        /**
         * Whether entry {@code i} is written exactly as {@code other}'s entry {@code j}, but for their
         * {@code valueAddress}: then a diff finds them equal (an address is no field's value; a hash map's elements
         * move between runs).
         */
        boolean sameText(int i, Indexed other, int j) {
            if (addressStarts[i] < 0 || other.addressStarts[j] < 0) {
                return same(starts[i], ends[i], other, other.starts[j], other.ends[j]);
            }
            return same(starts[i], addressStarts[i], other, other.starts[j], other.addressStarts[j])
                    && same(addressEnds[i], ends[i], other, other.addressEnds[j], other.ends[j]);
        }

        private boolean same(int from, int to, Indexed other, int otherFrom, int otherTo) {
            return to - from == otherTo - otherFrom && text.regionMatches(from, other.text, otherFrom, to - from);
        }

        /**
         * The entries at {@code positions}, in that order, parsed with one parser (a diff parses only the entries whose
         * text differs, scattered over the map); an entry that is not valid JSON becomes an unavailable value.
         */
        JsonNode[] parse(int[] positions) {
            JsonNode[] out = new JsonNode[positions.length];
            if (positions.length == 0) return out;
            int length = 1;
            for (int p : positions) length += ends[p] - starts[p] + 1;
            StringBuilder array = new StringBuilder(length + 1);
            for (int p : positions) array.append(array.isEmpty() ? '[' : ',').append(text, starts[p], ends[p]);
            array.append(']');
            if (readArray(array, out)) return out;
            for (int k = 0; k < out.length; k++) out[k] = parseOne(positions[k]);
            return out;
        }

        /**
         * Parses {@code array} (a JSON array of entries) into {@code out}; false when it is not all valid. It goes to
         * Jackson as UTF-8 bytes: its byte parser reads a diff's entries about 10 % faster than its character one.
         */
        private boolean readArray(CharSequence array, JsonNode[] out) {
            try (JsonParser p = json.createParser(array.toString().getBytes(StandardCharsets.UTF_8))) {
                JsonNode list = json.readTree(p);
                if (list == null || !list.isArray() || list.size() != out.length) return false;
                for (int k = 0; k < out.length; k++) out[k] = list.get(k);
                return true;
            } catch (IOException e) {
                return false; // one bad entry spoils the array: the caller reads them one by one
            }
        }

        @Override
        boolean present() {
            return true;
        }

        @Override
        int size() {
            return starts.length;
        }

        @Override
        synchronized JsonNode get(int i) {
            if (i < 0 || i >= starts.length) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            if (i / BLOCK != block) {
                block = i / BLOCK;
                parsed = parseBlock(block * BLOCK, Math.min(starts.length, (block + 1) * BLOCK));
            }
            return parsed[i - block * BLOCK];
        }

        /** Entries from..to-1 as one JSON array (the text between them is the report's own commas and spaces). */
        private JsonNode[] parseBlock(int from, int to) {
            StringBuilder array = new StringBuilder(ends[to - 1] - starts[from] + 2);
            array.append('[').append(text, starts[from], ends[to - 1]).append(']');
            JsonNode[] out = new JsonNode[to - from];
            if (readArray(array, out)) return out;
            // one bad entry spoils the block: read its entries one by one so the others still show
            for (int k = 0; k < out.length; k++) out[k] = parseOne(from + k);
            return out;
        }

        private JsonNode parseOne(int i) {
            try (JsonParser p = json.createParser(text.substring(starts[i], ends[i]))) {
                return json.readTree(p);
            } catch (IOException e) {
                // the scan found its braces but not valid JSON inside: the row says so instead of a value
                ObjectNode entry = json.createObjectNode();
                entry.putObject("value").put("kind", "unavailable").put("reason", "this entry of the report is not "
                        + "valid JSON (" + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
                        + ")");
                return entry;
            }
        }

        @Override
        int maxPerCpu() {
            return maxPerCpu;
        }
    }
}
