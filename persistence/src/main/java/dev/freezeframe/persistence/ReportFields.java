package dev.freezeframe.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flattens the numeric fields of a snapshot report's BPF maps into {@code path -> value}, per map name. Understands
 * Freezeframe's own reports (maps with {@code entries} of {@code key}/{@code value} or {@code key}/{@code perCpu};
 * typed values as written by {@code ValueJson}: structs and unions with {@code fields}, arrays with {@code elements},
 * scalars with {@code value}) and ktstr's rendering (maps with {@code value} / {@code entries} /
 * {@code percpu_entries}; structs with {@code members}), and falls back to plain JSON objects and arrays. Paths read like C: {@code stats.nr_dispatched}, {@code cpu_load[3]},
 * {@code [0x2a].weight} for a hash entry, {@code [0]@cpu1.nr} for a per-CPU slot.
 */
final class ReportFields {
    /** Flattening stops at this many fields per map, so a huge map cannot exhaust memory. */
    static final int MAX_FIELDS_PER_MAP = 200_000;

    private ReportFields() {
    }

    /** map name -> (field path -> number). Reports of schema {@code dual} use their {@code late} half. */
    static Map<String, Map<String, Double>> of(JsonNode report) {
        JsonNode root = report;
        if (root.has("late") && root.path("schema").asText("").equals("dual")) root = root.get("late");
        Map<String, Map<String, Double>> maps = new LinkedHashMap<>();
        for (JsonNode map : root.path("maps")) {
            String name = map.path("name").asText("");
            Map<String, Double> fields = new LinkedHashMap<>();
            if (map.has("value")) flatten(map.get("value"), "", fields);
            for (JsonNode entry : map.path("entries")) {
                String key = "[" + keyLabel(entry) + "]";
                if (entry.has("perCpu")) {
                    int cpu = 0;
                    for (JsonNode slot : entry.path("perCpu")) flatten(slot, key + "@cpu" + cpu++, fields);
                } else {
                    flatten(entry.path("value"), singleEntryArray(map) ? "" : key, fields);
                }
            }
            for (JsonNode entry : map.path("percpu_entries")) {
                String key = "[" + entry.path("key").asText() + "]";
                int cpu = 0;
                for (JsonNode slot : entry.path("per_cpu")) {
                    flatten(slot, key + "@cpu" + cpu, fields);
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

    private static void flatten(JsonNode node, String path, Map<String, Double> out) {
        if (node == null || node.isNull() || out.size() >= MAX_FIELDS_PER_MAP) return;
        if (node.isNumber()) {
            out.put(path.isEmpty() ? "value" : path, node.asDouble());
            return;
        }
        if (node.isBoolean()) {
            out.put(path.isEmpty() ? "value" : path, node.asBoolean() ? 1.0 : 0.0);
            return;
        }
        if (node.isArray()) {
            int i = 0;
            for (JsonNode element : node) flatten(element, path + "[" + i++ + "]", out);
            return;
        }
        if (!node.isObject()) return;
        String kind = node.path("kind").asText(null);
        if (kind != null) {
            switch (kind) {
                case "int", "uint", "float", "enum", "char", "ptr" -> {
                    // exact integers above 2^53 arrive as big numbers; a double is what a plot needs
                    if (node.path("value").isNumber()) out.put(path.isEmpty() ? "value" : path, node.get("value").asDouble());
                    return;
                }
                case "bool" -> {
                    out.put(path.isEmpty() ? "value" : path, node.path("value").asBoolean() ? 1.0 : 0.0);
                    return;
                }
                case "struct", "union" -> {
                    JsonNode members = node.has("fields") ? node.path("fields") : node.path("members");
                    for (JsonNode member : members) {
                        String name = member.path("name").asText("");
                        flatten(member.path("value"), join(path, name.isEmpty() ? "<anon>" : name), out);
                    }
                    return;
                }
                case "array" -> {
                    int i = 0;
                    for (JsonNode element : node.path("elements")) flatten(element, path + "[" + i++ + "]", out);
                    return;
                }
                case "truncated" -> {
                    flatten(node.path("partial"), path, out);
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
            flatten(f.getValue(), join(path, f.getKey()), out);
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
