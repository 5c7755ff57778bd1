package dev.freezeframe.app.ui.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freezeframe.app.ui.shell.TimeText;
import dev.freezeframe.persistence.SnapshotInfo;
import java.util.Map;
import javafx.scene.control.TreeItem;

/**
 * A snapshot report as a tree of readable lines: what an engineer reads first (sched_ext state and exit reason, the
 * trigger), then vCPUs, maps with their numeric fields, scheduler output and every part that could not be read.
 */
final class SnapshotSummary {
    /** Fields shown per map before "… N more" (the full view is the snapshot viewer's). */
    static final int FIELDS_PER_MAP = 200;

    private SnapshotSummary() {
    }

    static TreeItem<String> tree(SnapshotInfo info, JsonNode r, Map<String, Map<String, Double>> fields) {
        TreeItem<String> root = new TreeItem<>(info.tag());
        TreeItem<String> head = item(root, info.tag() + " · " + info.kind().wireName() + " · "
                + TimeText.relative(info.atNanos()) + info.stepIndex().map(s -> " · step " + s).orElse(""));
        JsonNode freeze = r.path("freeze");
        if (freeze.isObject()) {
            item(head, "guest frozen: " + freeze.path("time_to_stop_us").asLong() + " µs to stop, "
                    + freeze.path("read_us").asLong() + " µs to read");
        }
        head.setExpanded(true);
        JsonNode scx = r.path("sched_ext");
        if (scx.isObject()) {
            TreeItem<String> s = item(root, "sched_ext: " + (scx.path("attached").asBoolean() ? "attached" : "no scheduler")
                    + ", ops " + scx.path("opsName").asText("—") + ", exit kind " + scx.path("exitKindName").asText("—"));
            JsonNode exit = scx.path("exitInfo");
            if (exit.isObject()) {
                item(s, "exit reason: " + exit.path("reason").asText(""));
                if (!exit.path("message").asText("").isEmpty()) item(s, "message: " + exit.path("message").asText());
            }
            s.setExpanded(true);
        }
        if (r.path("trigger").isObject()) {
            TreeItem<String> t = item(root, "trigger");
            r.path("trigger").properties().forEach(e -> item(t, e.getKey() + ": " + text(e.getValue())));
            t.setExpanded(true);
        }
        if (r.path("vcpus").isArray() && !r.path("vcpus").isEmpty()) {
            TreeItem<String> v = item(root, "vCPUs (" + r.path("vcpus").size() + ")");
            for (JsonNode c : r.path("vcpus")) {
                item(v, "vcpu " + c.path("vcpu").asInt() + ": rip " + c.path("rip").asText() + " "
                        + c.path("rip_symbol").asText(""));
            }
            v.setExpanded(true);
        }
        TreeItem<String> maps = item(root, "maps (" + r.path("maps").size() + ")");
        for (JsonNode m : r.path("maps")) {
            String name = m.path("name").asText("?");
            String note = m.path("unavailable").isTextual() ? " — unavailable: " + m.path("unavailable").asText() : "";
            TreeItem<String> map = item(maps, name + "  " + m.path("type").asText() + ", " + m.path("entries").size()
                    + " entries" + (m.path("truncated").asBoolean() ? " (truncated)" : "") + note);
            Map<String, Double> numeric = fields.getOrDefault(name, Map.of());
            int shown = 0;
            for (Map.Entry<String, Double> f : numeric.entrySet()) {
                if (shown++ == FIELDS_PER_MAP) {
                    item(map, "… " + (numeric.size() - FIELDS_PER_MAP) + " more fields");
                    break;
                }
                item(map, f.getKey() + " = " + number(f.getValue()));
            }
        }
        maps.setExpanded(true);
        if (r.path("stats").isObject()) {
            TreeItem<String> st = item(root, "scheduler output");
            for (JsonNode line : r.path("stats").path("lines")) item(st, line.asText());
        }
        JsonNode unavailable = r.path("unavailable");
        if (unavailable.isObject() && !unavailable.isEmpty()) {
            TreeItem<String> u = item(root, "could not be read (" + unavailable.size() + ")");
            unavailable.properties().forEach(e -> item(u, e.getKey() + ": " + e.getValue().asText()));
            u.setExpanded(true);
        }
        return root;
    }

    private static TreeItem<String> item(TreeItem<String> parent, String text) {
        TreeItem<String> i = new TreeItem<>(text);
        parent.getChildren().add(i);
        return i;
    }

    private static String text(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** Integers exactly (no 1.8E19), fractions as they are. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) {
            return String.format(java.util.Locale.ROOT, "%,d", (long) v).replace(',', '\u2009');
        }
        return Double.toString(v);
    }
}
