package dev.freezeframe.snapshots.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads report text without building the JSON of BPF map entries: a character scan finds each map's
 * {@code entries} array and notes where every entry starts and ends (and how many per-CPU values it has); the rest of
 * the report, with those arrays cut out, is parsed as usual. Tokenizing and building a big map's entries was most of
 * the cost of opening a snapshot; they are parsed when their rows are made ({@link MapEntries.Indexed}).
 * Anything unexpected falls back to parsing the whole text, so the result is always what a full parse gives.
 */
final class ReportReader {
    private final String text;
    /* The text as one byte a character, scanned instead of the String: charAt's index and coder checks were most of
       the scan. Characters above U+00FF become '?', which is no JSON punctuation, so every index stays that of the
       text (a surrogate pair would become one '?' and shift them: such a text is parsed whole instead). */
    private final byte[] bytes;
    private final int length;
    private final StringBuilder rest;
    private final List<MapEntries.Indexed> indexed = new ArrayList<>();
    private final ObjectMapper json;
    private int copiedTo;

    private ReportReader(ObjectMapper json, String text) {
        this.json = json;
        this.text = text;
        this.bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        this.length = text.length();
        this.rest = new StringBuilder(Math.min(length, 1 << 16));
    }

    /** The report's tree and, for each map object in it, its indexed entries. */
    record Read(JsonNode root, Map<JsonNode, MapEntries> entries) { }

    static Read read(ObjectMapper json, String report) throws IOException {
        ReportReader r = new ReportReader(json, report);
        boolean sameIndexes = r.bytes.length == r.length;
        Read read = sameIndexes && r.scan() ? r.claim(json.readTree(r.rest.toString())) : null;
        if (read != null) return read;
        JsonNode whole = json.readTree(report);
        if (whole == null) throw new IOException("the report is empty");
        return new Read(whole, Map.of());
    }

    /** Walks the text; each map's entries array is indexed and replaced by its number. False: not a shape we know. */
    private boolean scan() {
        List<String> keys = new ArrayList<>(); // the key (or "#" for an array element) of each open container
        List<Boolean> objects = new ArrayList<>();
        boolean expectKey = false;
        String key = null;
        int i = 0;
        while ((i = ws(i)) < length) {
            char c = at(i);
            if (c == '"') {
                int end = stringEnd(i);
                if (end < 0) return false;
                if (expectKey) key = text.substring(i + 1, end - 1);
                i = end;
            } else if (c == '{' || c == '[') {
                String at = objects.isEmpty() ? "" : objects.getLast() ? key : "#";
                if (c == '[' && "entries".equals(at) && isMapEntries(keys)) {
                    int end = index(i);
                    if (end < 0) return false;
                    rest.append(text, copiedTo, i).append(indexed.size() - 1);
                    copiedTo = end;
                    i = end;
                    continue;
                }
                keys.add(at);
                objects.add(c == '{');
                expectKey = c == '{';
                i++;
            } else if (c == '}' || c == ']') {
                if (objects.isEmpty()) return false;
                keys.removeLast();
                objects.removeLast();
                expectKey = false;
                i++;
            } else if (c == ',') {
                expectKey = !objects.isEmpty() && objects.getLast();
                i++;
            } else if (c == ':') {
                expectKey = false;
                i++;
            } else {
                i = scalarEnd(i);
            }
        }
        rest.append(text, copiedTo, length);
        return true;
    }

    /** maps[*], maps.maps[*], and the same under a dual capture's "late" half. */
    private static boolean isMapEntries(List<String> keys) {
        List<String> k = keys.size() >= 2 && keys.get(1).equals("late") ? keys.subList(1, keys.size()) : keys;
        return k.equals(List.of("", "maps", "#")) || k.equals(List.of("", "maps", "maps", "#"))
                || k.equals(List.of("late", "maps", "#")) || k.equals(List.of("late", "maps", "maps", "#"));
    }

    /** Indexes the entries array at {@code i} ('['); returns the index just past its ']', or -1. */
    private int index(int i) {
        int[] starts = new int[64];
        int[] ends = new int[64];
        int[] keyStarts = new int[64];
        int[] keyEnds = new int[64];
        int[] addressStarts = new int[64];
        int[] addressEnds = new int[64];
        int[] keyHashes = new int[64];
        int n = 0;
        int perCpu = 0;
        i = ws(i + 1);
        if (i < length && at(i) == ']') {
            indexed.add(new MapEntries.Indexed(json, text, new int[0], new int[0], new int[0], new int[0], new int[0],
                    new int[0], new int[0], 0));
            return i + 1;
        }
        while (i < length && at(i) == '{') {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
                ends = Arrays.copyOf(ends, n * 2);
                keyStarts = Arrays.copyOf(keyStarts, n * 2);
                keyEnds = Arrays.copyOf(keyEnds, n * 2);
                addressStarts = Arrays.copyOf(addressStarts, n * 2);
                addressEnds = Arrays.copyOf(addressEnds, n * 2);
                keyHashes = Arrays.copyOf(keyHashes, n * 2);
            }
            starts[n] = i;
            keyStarts[n] = -1;
            keyEnds[n] = -1;
            addressStarts[n] = -1;
            addressEnds[n] = -1;
            keyHashes[n] = 0;
            i = ws(i + 1);
            while (i < length && at(i) == '"') { // members: "key": value
                int keyEnd = stringEnd(i);
                if (keyEnd < 0) return -1;
                boolean cpus = keyEnd - i == 8 && named(i, "perCpu");
                boolean key = keyEnd - i == 5 && named(i, "key");
                boolean address = keyEnd - i == 14 && named(i, "valueAddress");
                i = ws(keyEnd);
                if (i >= length || at(i) != ':') return -1;
                i = ws(i + 1);
                if (cpus && i < length && at(i) == '[') {
                    int count = 0;
                    i = ws(i + 1);
                    while (i < length && at(i) != ']') {
                        i = valueEnd(i);
                        if (i < 0) return -1;
                        count++;
                        i = ws(i);
                        if (i < length && at(i) == ',') i = ws(i + 1);
                    }
                    // a missing or extra comma between CPUs is left to the entry's own parse, which reports it
                    perCpu = Math.max(perCpu, count);
                    i++;
                } else {
                    int from = i;
                    i = valueEnd(i);
                    if (i < 0) return -1;
                    if (key) { // where the key's value is written: a diff pairs entries by this text
                        keyStarts[n] = from;
                        keyEnds[n] = i;
                        keyHashes[n] = hash(from, i);
                    } else if (address) { // and a diff compares entries without this (it is no field's value)
                        addressStarts[n] = from;
                        addressEnds[n] = i;
                    }
                }
                i = separator(ws(i), '"', '}');
                if (i < 0) return -1;
            }
            if (i >= length || at(i) != '}') return -1;
            ends[n++] = ++i;
            i = separator(ws(i), '{', ']');
            if (i < 0) return -1;
        }
        if (i >= length || at(i) != ']') return -1; // an entry that is not an object: not ours to guess
        indexed.add(new MapEntries.Indexed(json, text, Arrays.copyOf(starts, n), Arrays.copyOf(ends, n),
                Arrays.copyOf(keyStarts, n), Arrays.copyOf(keyEnds, n), Arrays.copyOf(addressStarts, n),
                Arrays.copyOf(addressEnds, n), Arrays.copyOf(keyHashes, n), perCpu));
        return i + 1;
    }

    /** Gives each map object whose entries were cut out its index; null when the markers are not all where expected. */
    private Read claim(JsonNode root) {
        if (root == null || !root.isObject()) return null;
        JsonNode r = root;
        if (root.has("late")) {
            if (!root.path("schema").asText("").equals("dual")) return null; // "late" is then just a section
            r = root.get("late");
        }
        Map<JsonNode, MapEntries> out = new IdentityHashMap<>();
        JsonNode maps = r.path("maps").isObject() ? r.path("maps").path("maps") : r.path("maps");
        for (JsonNode m : maps) {
            JsonNode e = m.path("entries");
            if (!e.isInt() || e.asInt() < 0 || e.asInt() >= indexed.size()) continue;
            out.put(m, indexed.get(e.asInt()));
            ((ObjectNode) m).remove("entries");
        }
        return out.size() == indexed.size() ? new Read(root, out) : null;
    }

    /**
     * After a member or element at {@code i}: a comma followed by the start of the next one ({@code next}), or the
     * closing {@code close}; returns where that next one or the close is, or -1 for anything else (then the whole text
     * is parsed and the parser says what is wrong).
     */
    private int separator(int i, char next, char close) {
        if (i < length && at(i) == ',') {
            i = ws(i + 1);
            return i < length && at(i) == next ? i : -1;
        }
        return i < length && at(i) == close ? i : -1;
    }

    /** Whether the string at {@code i} (its opening quote) is exactly {@code name}, without escapes. */
    private boolean named(int i, String name) {
        for (int k = 0; k < name.length(); k++) if (at(i + 1 + k) != name.charAt(k)) return false;
        return true;
    }

    /** A 31-polynomial of the characters from {@code from} to {@code to}, four a step (a quarter of the serial chain). */
    private int hash(int from, int to) {
        int h = 1;
        int k = from;
        for (; k + 3 < to; k += 4) {
            h = 923521 * h + 29791 * (bytes[k] & 0xff) + 961 * (bytes[k + 1] & 0xff) + 31 * (bytes[k + 2] & 0xff)
                    + (bytes[k + 3] & 0xff);
        }
        for (; k < to; k++) h = 31 * h + (bytes[k] & 0xff);
        return h ^ (h >>> 16);
    }

    private char at(int i) {
        return (char) (bytes[i] & 0xff);
    }

    private int ws(int i) {
        while (i < length) {
            char c = at(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
            i++;
        }
        return i;
    }

    /**
     * The index just past the string starting at {@code i}, or -1 when it never ends. Most of a report's strings are
     * short names ("kind", "u64"), scanned here a byte at a time; a long one, or one with an escape, goes to
     * {@link #longStringEnd}.
     */
    private int stringEnd(int i) {
        int limit = Math.min(length, i + SHORT_STRING);
        for (int q = i + 1; q < limit; q++) {
            byte c = bytes[q];
            if (c == '"') return q + 1;
            if (c == '\\') break;
        }
        return longStringEnd(i);
    }

    private static final int SHORT_STRING = 32;

    /**
     * Jumps from quote to quote ({@link String#indexOf(int, int)} is vectorized): a quote ends the string unless an
     * odd run of backslashes stands before it.
     */
    private int longStringEnd(int i) {
        int q = i;
        while ((q = text.indexOf('"', q + 1)) >= 0) {
            int slashes = 0;
            while (q - 1 - slashes > i && at(q - 1 - slashes) == '\\') slashes++;
            if (slashes % 2 == 0) return q + 1;
        }
        return -1;
    }

    private int scalarEnd(int i) {
        while (i < length) {
            switch (at(i)) {
                case ',', ':', '{', '}', '[', ']', '"', ' ', '\n', '\r', '\t' -> {
                    return i;
                }
                default -> i++;
            }
        }
        return i;
    }

    /** The index just past the JSON value at {@code i}, or -1. */
    private int valueEnd(int i) {
        if (i >= length) return -1;
        char c = at(i);
        if (c == '"') return stringEnd(i);
        if (c != '{' && c != '[') {
            int end = scalarEnd(i);
            return end == i ? -1 : end;
        }
        int depth = 0;
        for (int j = i; j < length; j++) {
            byte kind = KIND[bytes[j] & 0xff]; // one load and one branch for the bytes that are none of these
            if (kind == 0) continue;
            if (kind == QUOTE) {
                j = stringEnd(j);
                if (j < 0) return -1;
                j--;
            } else if (kind == OPEN) {
                depth++;
            } else if (--depth == 0) {
                return j + 1;
            }
        }
        return -1;
    }

    private static final byte QUOTE = 1;
    private static final byte OPEN = 2;
    private static final byte CLOSE = 3;
    /** What each byte is to {@link #valueEnd}: 0 for all but a quote and the brackets. */
    private static final byte[] KIND = new byte[256];

    static {
        KIND['"'] = QUOTE;
        KIND['{'] = OPEN;
        KIND['['] = OPEN;
        KIND['}'] = CLOSE;
        KIND[']'] = CLOSE;
    }
}
