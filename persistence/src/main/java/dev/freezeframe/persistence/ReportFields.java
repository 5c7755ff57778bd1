package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Flattens the numeric fields of a snapshot report's BPF maps into {@code path -> value}, per map name. Understands
 * Freezeframe's own reports (maps with {@code entries} of {@code key}/{@code value} or {@code key}/{@code perCpu};
 * typed values as written by {@code ValueJson}: structs and unions with {@code fields}, arrays with {@code elements},
 * scalars with {@code value}) and ktstr's rendering (maps with {@code value} / {@code entries} /
 * {@code percpu_entries}; structs with {@code members}), and falls back to plain JSON objects and arrays. Paths read like C: {@code stats.nr_dispatched}, {@code cpu_load[3]},
 * {@code [0x2a].weight} for a hash entry, {@code [0]@cpu1.nr} for a per-CPU slot.
 */
public final class ReportFields {
    /** Flattening stops at this many fields per map, so a huge map cannot exhaust memory. */
    static final int MAX_FIELDS_PER_MAP = 200_000;

    private ReportFields() {
    }

    /** map name -> (field path -> number). Reports of schema {@code dual} use their {@code late} half. */
    static Map<String, Map<String, Double>> of(JsonNode report) {
        return of(report, DOUBLES);
    }

    /**
     * map name -> (field path -> the number exactly as the report writes it), the same fields and paths as the field
     * index holds as doubles: a u64 above 2^53 keeps every digit here ({@code 18446744073709551615}, not
     * {@code 1.8446744073709552E19}). Booleans are {@code 1} / {@code 0}.
     */
    public static Map<String, Map<String, String>> exactTexts(JsonNode report) {
        return of(report, TEXTS);
    }

    /** How a leaf becomes a field value. */
    private record Leaf<V>(Function<JsonNode, V> number, V yes, V no) {
    }

    private static final Leaf<Double> DOUBLES = new Leaf<>(JsonNode::asDouble, 1.0, 0.0);
    private static final Leaf<String> TEXTS = new Leaf<>(JsonNode::asText, "1", "0");

    private static <V> Map<String, Map<String, V>> of(JsonNode report, Leaf<V> leaf) {
        JsonNode root = report;
        if (root.has("late") && root.path("schema").asText("").equals("dual")) root = root.get("late");
        Map<String, Map<String, V>> maps = new LinkedHashMap<>();
        for (JsonNode map : root.path("maps")) {
            String name = map.path("name").asText("");
            Map<String, V> fields = new LinkedHashMap<>();
            if (map.has("value")) flatten(map.get("value"), "", fields, leaf);
            for (JsonNode entry : map.path("entries")) {
                String key = "[" + keyLabel(entry) + "]";
                if (entry.has("perCpu")) {
                    int cpu = 0;
                    for (JsonNode slot : entry.path("perCpu")) flatten(slot, key + "@cpu" + cpu++, fields, leaf);
                } else {
                    flatten(entry.path("value"), singleEntryArray(map) ? "" : key, fields, leaf);
                }
            }
            for (JsonNode entry : map.path("percpu_entries")) {
                String key = "[" + entry.path("key").asText() + "]";
                int cpu = 0;
                for (JsonNode slot : entry.path("per_cpu")) {
                    flatten(slot, key + "@cpu" + cpu, fields, leaf);
                    cpu++;
                }
            }
            maps.merge(name, fields, (a, b) -> {
                a.putAll(b);
                return a;
            });
        }
        return maps;
    }

    /** Global-data maps (.bss, .data, .rodata) hold one value: its fields read best without a "[0]." prefix. */
    private static boolean singleEntryArray(JsonNode map) {
        return map.path("entries").size() == 1 && map.path("valueType").asText("").startsWith("datasec ");
    }

    private static String keyLabel(JsonNode entry) {
        JsonNode key = entry.get("key");
        if (key != null && key.has("value") && key.get("value").isValueNode()) return key.get("value").asText();
        return entry.path("key_hex").asText("?");
    }

    private static <V> void flatten(JsonNode node, String path, Map<String, V> out, Leaf<V> leaf) {
        if (node == null || node.isNull() || out.size() >= MAX_FIELDS_PER_MAP) return;
        if (node.isNumber()) {
            out.put(path.isEmpty() ? "value" : path, leaf.number().apply(node));
            return;
        }
        if (node.isBoolean()) {
            out.put(path.isEmpty() ? "value" : path, node.asBoolean() ? leaf.yes() : leaf.no());
            return;
        }
        if (node.isArray()) {
            int i = 0;
            for (JsonNode element : node) flatten(element, path + "[" + i++ + "]", out, leaf);
            return;
        }
        if (!node.isObject()) return;
        String kind = node.path("kind").asText(null);
        if (kind != null) {
            switch (kind) {
                case "int", "uint", "float", "enum", "char", "ptr" -> {
                    // exact integers above 2^53 arrive as big numbers; a double is what a plot needs
                    if (node.path("value").isNumber()) {
                        out.put(path.isEmpty() ? "value" : path, leaf.number().apply(node.get("value")));
                    }
                    return;
                }
                case "bool" -> {
                    out.put(path.isEmpty() ? "value" : path, node.path("value").asBoolean() ? leaf.yes() : leaf.no());
                    return;
                }
                case "struct", "union" -> {
                    JsonNode members = node.has("fields") ? node.path("fields") : node.path("members");
                    for (JsonNode member : members) {
                        String name = member.path("name").asText("");
                        flatten(member.path("value"), join(path, name.isEmpty() ? "<anon>" : name), out, leaf);
                    }
                    return;
                }
                case "array" -> {
                    int i = 0;
                    for (JsonNode element : node.path("elements")) flatten(element, path + "[" + i++ + "]", out, leaf);
                    return;
                }
                case "truncated" -> {
                    flatten(node.path("partial"), path, out, leaf);
                    return;
                }
                case "bytes", "unsupported", "pointer", "text", "unavailable" -> {
                    return;
                }
                default -> {
                    // not a rendered value after all: treat as a plain object
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            flatten(f.getValue(), join(path, f.getKey()), out, leaf);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
