package dev.freezeframe.snapshots.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import dev.freezeframe.snapshots.model.FieldNode.Role;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A snapshot report as the viewer's typed tree. Sections in reading order: sched_ext state and exit first, the
 * trigger, every BPF map (entries, BTF-typed fields, per-CPU values folded into one row with a value per CPU), the
 * vCPUs, scheduler stats, any section this code does not know (rendered from its JSON: objects as nodes, arrays as
 * indexed nodes, scalars as values, so new report sections appear without more code), the capture timing, and last
 * every part that could not be read, in words. Reads Freezeframe's reports ({@code IntrospectionJson}/{@code ValueJson})
 * and ktstr's rendering, like the archive's field index does, and writes the same field-index paths
 * ({@link FieldRef}) so a row can be plotted from the index.
 */
public final class ReportModel {
    /** Arrays and maps with more children than this are shown in chunks of this many. */
    public static final int CHUNK = 1000;

    private static final Set<String> HEADER = Set.of("schema", "tag", "kind", "elapsed_ms", "step_index",
            "maps_truncated");
    private static final Set<String> PLACED = Set.of("sched_ext", "trigger", "maps", "vcpus", "vcpu_regs", "stats",
            "freeze", "unavailable");
    private static final Set<String> TYPED_KINDS = Set.of("int", "uint", "enum", "bool", "float", "char", "ptr",
            "pointer", "text", "struct", "union", "array", "truncated", "unavailable", "bytes", "unsupported");

    private final List<FieldNode> sections;
    private final List<String> problems;
    private final int cpus;

    private ReportModel(List<FieldNode> sections, List<String> problems, int cpus) {
        this.sections = List.copyOf(sections);
        this.problems = List.copyOf(problems);
        this.cpus = cpus;
    }

    /** The most CPUs any per-CPU value has (0: none), read from the report without making rows (columns cpu0…). */
    public int cpus() {
        return cpus;
    }

    /** The top-level rows. */
    public List<FieldNode> sections() {
        return sections;
    }

    /** Every part of the snapshot that could not be read, as sentences. */
    public List<String> problems() {
        return problems;
    }

    /** A report already parsed as a JSON tree (every map entry in it). */
    public static ReportModel of(JsonNode report) {
        return of(report, Map.of());
    }

    /**
     * Report text read in one pass that only indexes map entries (see {@link ReportReader}): the rows of a big map,
     * and the JSON trees under them, are made when the map is expanded or diffed.
     *
     * @throws IOException when the text is not valid JSON
     */
    public static ReportModel parse(ObjectMapper json, String report) throws IOException {
        ReportReader.Read read = ReportReader.read(json, report);
        return of(read.root(), read.entries());
    }

    private static ReportModel of(JsonNode report, Map<JsonNode, MapEntries> indexed) {
        JsonNode r = report;
        if (r.has("late") && r.path("schema").asText("").equals("dual")) r = r.get("late");
        List<FieldNode> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Builder b = new Builder(problems, indexed);
        if (r.path("sched_ext").isObject()) out.add(b.schedExt(r.get("sched_ext")));
        if (r.path("trigger").isObject()) out.add(b.generic("trigger", "trigger", "", r.get("trigger")));
        JsonNode maps = r.path("maps").isObject() && r.path("maps").has("maps") ? r.path("maps").path("maps")
                : r.path("maps");
        if (maps.isArray()) out.add(b.maps(maps, r.path("maps_truncated").asBoolean(false)
                || r.path("maps").path("truncated").asBoolean(false)));
        JsonNode vcpus = r.has("vcpus") ? r.get("vcpus") : r.path("vcpu_regs");
        if (vcpus.isArray() && !vcpus.isEmpty()) out.add(b.vcpus(vcpus));
        if (r.path("stats").isObject() || r.path("stats").isArray()) {
            out.add(b.generic("scheduler stats", "stats", "", r.get("stats")));
        }
        for (Map.Entry<String, JsonNode> e : r.properties()) {
            if (HEADER.contains(e.getKey()) || PLACED.contains(e.getKey()) || e.getValue().isNull()) continue;
            out.add(b.generic(words(e.getKey()), e.getKey(), "", e.getValue()));
            scanProblems(words(e.getKey()), e.getValue(), 0, problems);
        }
        if (r.path("freeze").isObject()) out.add(b.generic("capture timing", "freeze", "", r.get("freeze")));
        JsonNode unavailable = r.path("unavailable");
        if (unavailable.isObject()) {
            unavailable.properties().forEach(e -> problems.add(words(e.getKey()) + ": " + e.getValue().asText()));
        } else if (unavailable.isTextual()) {
            problems.add(unavailable.asText());
        }
        if (!problems.isEmpty()) out.add(b.problems(problems));
        return new ReportModel(out, problems, b.cpus);
    }

    /** Collects "x_unavailable" reasons of a section now (its rows are made later, when expanded). */
    private static void scanProblems(String where, JsonNode v, int depth, List<String> out) {
        if (depth > 6 || !v.isContainerNode()) return;
        if (v.isArray()) {
            for (JsonNode c : v) scanProblems(where, c, depth + 1, out);
            return;
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            String k = e.getKey();
            if (e.getValue().isTextual() && (k.endsWith("_unavailable") || k.equals("unavailable"))) {
                String what = k.equals("unavailable") ? where
                        : where + ": " + words(k.substring(0, k.length() - "_unavailable".length()));
                out.add(what + ": " + e.getValue().asText());
            } else if (!v.has("kind") || !TYPED_KINDS.contains(v.path("kind").asText(""))) {
                scanProblems(where, e.getValue(), depth + 1, out);
            }
        }
    }

    /** The path of the chunk row listing rows {@code from}… of {@code label}. */
    static String chunkPath(String label, int from) {
        return label + "#" + from;
    }

    /** A JSON key in words: {@code dsq_unavailable} → {@code dsq unavailable}, {@code exitKindName} kept. */
    static String words(String key) {
        return key.replace('_', ' ');
    }

    /** Builds nodes; one per report (collects the problems it meets). */
    private static final class Builder {
        private final List<String> problems;
        private final Map<JsonNode, MapEntries> indexed;
        private int cpus;

        Builder(List<String> problems, Map<JsonNode, MapEntries> indexed) {
            this.problems = problems;
            this.indexed = indexed;
        }

        FieldNode schedExt(JsonNode scx) {
            List<String> first = List.of("attached", "opsName", "exitKindName", "exitInfo");
            Set<String> order = new LinkedHashSet<>(first);
            scx.properties().forEach(e -> order.add(e.getKey()));
            String summary = (scx.path("attached").asBoolean(false) ? "attached" : "no scheduler attached")
                    + (scx.path("opsName").isTextual() ? " · " + scx.get("opsName").asText() : "")
                    + (scx.path("exitKindName").isTextual() ? " · " + scx.get("exitKindName").asText() : "");
            if (scx.path("unavailable").isTextual()) problems.add("sched_ext: " + scx.get("unavailable").asText());
            return inner("sched_ext", "sched_ext", "", Role.SECTION, "", summary, () -> {
                List<FieldNode> c = new ArrayList<>();
                for (String k : order) {
                    JsonNode v = scx.get(k);
                    if (v == null || (v.isNull() && !k.equals("exitInfo"))) continue;
                    if (v.isNull()) {
                        c.add(leaf(k, "sched_ext:" + k, "sched_ext", "", text("none (the scheduler has not exited)"),
                                null));
                        continue;
                    }
                    c.add(generic(k, "sched_ext:" + k, "sched_ext", v));
                }
                return c;
            });
        }

        FieldNode problems(List<String> list) {
            return inner("could not be read (" + list.size() + ")", "problems", "", Role.SECTION, "", "", () -> {
                List<FieldNode> c = new ArrayList<>();
                for (int i = 0; i < list.size(); i++) {
                    c.add(new FieldNode(list.get(i), "problems:[" + i + "]", "problems", Role.NOTE, "",
                            new LeafValue(LeafValue.Kind.UNAVAILABLE, list.get(i), null, null, list.get(i), null,
                                    null), "", "", OptionalLong.empty(), null, null, null));
                }
                return c;
            });
        }

        FieldNode vcpus(JsonNode vcpus) {
            return inner("vCPUs (" + vcpus.size() + ")", "vcpus", "", Role.SECTION, "", "", () -> {
                List<FieldNode> c = new ArrayList<>();
                int i = 0;
                for (JsonNode v : vcpus) {
                    int n = v.path("vcpu").asInt(i);
                    String path = "vcpus:[" + n + "]";
                    String rip = v.path("rip").asText("");
                    String summary = rip.isEmpty() ? "" : "rip " + rip + (v.path("rip_symbol").isTextual()
                            ? " → " + v.get("rip_symbol").asText() : "");
                    c.add(inner("vCPU " + n, path, "vcpus", Role.GROUP, "", summary, () -> {
                        List<FieldNode> regs = new ArrayList<>();
                        for (Map.Entry<String, JsonNode> e : v.properties()) {
                            String k = e.getKey();
                            if (k.equals("vcpu") || k.equals("rip_symbol")) continue;
                            if (k.equals("rip") && v.path("rip_symbol").isTextual()) {
                                regs.add(leaf("rip", path + ".rip", path, "u64",
                                        pointer(e.getValue().asText(), v.get("rip_symbol").asText()), null));
                            } else {
                                regs.add(generic(k, path + "." + k, path, e.getValue()));
                            }
                        }
                        return regs;
                    }));
                    i++;
                }
                return c;
            });
        }

        FieldNode maps(JsonNode maps, boolean truncated) {
            Map<String, Integer> names = new HashMap<>();
            for (JsonNode m : maps) names.merge(m.path("name").asText("?"), 1, Integer::sum);
            Set<String> used = new java.util.HashSet<>();
            List<FieldNode> list = new ArrayList<>();
            for (JsonNode m : maps) {
                String name = m.path("name").asText("?");
                String label = name;
                if (names.get(name) > 1) {
                    // the kernel truncates map names to 15 characters: tell equal names apart by their data section
                    String vt = m.path("valueType").asText("");
                    label = name + " (" + (vt.isEmpty() ? "id " + m.path("id").asText("?") : vt) + ")";
                }
                while (!used.add(label)) label = label + "#" + m.path("id").asText("?");
                list.add(map(m, name, label));
            }
            if (truncated) problems.add("maps: the map list was cut short (too many maps to read in one capture)");
            return inner("maps (" + list.size() + ")", "maps", "", Role.SECTION, "", "", () -> list);
        }

        private FieldNode map(JsonNode m, String name, String label) {
            String kind = shortType(m);
            MapEntries entries = indexed.containsKey(m) ? indexed.get(m) : MapEntries.of(m.path("entries"));
            String unavailable = m.path("unavailable").isTextual() ? m.get("unavailable").asText() : null;
            if (unavailable != null) problems.add(label + ": " + unavailable);
            cpus = Math.max(cpus, m.path("percpu").size());
            cpus = Math.max(cpus, entries.maxPerCpu());
            for (JsonNode e : m.path("percpu_entries")) cpus = Math.max(cpus, e.path("per_cpu").size());
            if (m.path("truncated").asBoolean(false)) {
                problems.add(label + ": only the first " + entries.size() + " entries were read");
            }
            StringBuilder summary = new StringBuilder(kind);
            if (entries.size() > 0 || m.has("maxEntries")) {
                summary.append(", ").append(entries.size()).append(entries.size() == 1 ? " entry" : " entries");
                if (m.path("truncated").asBoolean(false)) summary.append(" (truncated)");
            }
            if (unavailable != null) summary.append(" — unavailable: ").append(unavailable);
            String type = m.path("valueType").asText(m.path("keyType").isTextual() ? "" : "");
            boolean datasecSingle = entries.size() == 1 && m.path("valueType").asText("").startsWith("datasec ");
            OptionalLong mapAddress = address(m.path("address"));
            Supplier<List<FieldNode>> head = () -> { // the rows before the entries
                List<FieldNode> c = new ArrayList<>();
                if (m.path("summary").isObject()) c.add(generic("summary", label + ":summary", label, m.get("summary")));
                if (m.has("value") && !entries.present()) {
                    c.addAll(children(label, label + ":", "", new Index(name, "", "", 0), new JsonNode[] {m.get("value")},
                            OptionalLong.empty()));
                }
                if (m.path("percpu").isArray()) {
                    JsonNode[] slots = new JsonNode[m.get("percpu").size()];
                    for (int i = 0; i < slots.length; i++) slots[i] = m.get("percpu").get(i).path("value");
                    c.add(value("value", label + ":value", label, null, slots, OptionalLong.empty(), null, null));
                }
                return c;
            };
            FieldNode row = inner(label, label, "maps", Role.MAP, type, summary.toString(), () -> {
                List<FieldNode> c = new ArrayList<>(head.get());
                if (datasecSingle) {
                    JsonNode e = entries.get(0);
                    OptionalLong base = address(e.path("valueAddress"));
                    c.addAll(children(label, label + ":", "", new Index(name, "", "", 0), new JsonNode[] {e.path("value")},
                            base));
                } else if (entries.present()) {
                    List<Supplier<FieldNode>> rows = new ArrayList<>(entries.size());
                    for (int i = 0; i < entries.size(); i++) {
                        int at = i;
                        rows.add(() -> entry(name, label, entries.get(at), at));
                    }
                    c.addAll(chunked(label, label, rows));
                }
                c.addAll(ktstrPerCpu(name, label, m.path("percpu_entries")));
                return c;
            }, mapAddress);
            // text-indexed entries listed by key (no ktstr per-CPU rows among them): a diff can pair them as text
            if (entries instanceof MapEntries.Indexed text && !datasecSingle && m.path("percpu_entries").isEmpty()) {
                row.withIndexedMap(new IndexedMap(head, text, (e, at) -> entry(name, label, e, at), label));
            }
            return row;
        }

        private List<FieldNode> ktstrPerCpu(String name, String label, JsonNode list) {
            List<FieldNode> c = new ArrayList<>();
            for (JsonNode e : list) {
                String key = e.path("key").asText();
                JsonNode[] slots = new JsonNode[e.path("per_cpu").size()];
                for (int i = 0; i < slots.length; i++) slots[i] = e.get("per_cpu").get(i);
                String path = label + ":[" + key + "]";
                c.add(value("[" + key + "]", path, label, new Index(name, "[" + key + "]", "", slots.length), slots,
                        OptionalLong.empty(), null, "[" + key + "]"));
            }
            return c;
        }

        private FieldNode entry(String mapName, String label, JsonNode e, int position) {
            JsonNode key = e.get("key");
            String shownKey = key == null ? String.valueOf(position) : keyText(key);
            String indexKey = "[" + indexKeyLabel(e) + "]";
            String path = label + ":[" + shownKey + "]";
            OptionalLong base = address(e.path("valueAddress"));
            if (e.has("perCpu")) {
                JsonNode[] slots = new JsonNode[e.get("perCpu").size()];
                for (int i = 0; i < slots.length; i++) slots[i] = e.get("perCpu").get(i);
                return value("[" + shownKey + "]", path, label, new Index(mapName, indexKey, "", slots.length), slots,
                        OptionalLong.empty(), null, indexKey, Role.ENTRY);
            }
            return value("[" + shownKey + "]", path, label, new Index(mapName, indexKey, "", 0),
                    new JsonNode[] {e.path("value")}, base, null, indexKey, Role.ENTRY);
        }

        /** Groups rows in chunks of {@link #CHUNK} so a huge map expands in steps; each row is made when shown. */
        private List<FieldNode> chunked(String parentPath, String label, List<Supplier<FieldNode>> rows) {
            if (rows.size() <= CHUNK) return rows.stream().map(Supplier::get).toList();
            List<FieldNode> chunks = new ArrayList<>();
            for (int from = 0; from < rows.size(); from += CHUNK) {
                int to = Math.min(rows.size(), from + CHUNK);
                List<Supplier<FieldNode>> part = rows.subList(from, to);
                chunks.add(new FieldNode("[" + from + " … " + (to - 1) + "]", chunkPath(label, from), parentPath,
                        Role.CHUNK, "", null, (to - from) + " entries", "", OptionalLong.empty(), null, null,
                        () -> part.stream().map(Supplier::get).toList()));
            }
            return chunks;
        }

        /** The children of a typed value (a struct's fields, an array's elements) under {@code path}. */
        private List<FieldNode> children(String parentPath, String pathPrefix, String fieldPath, Index index,
                                         JsonNode[] vals, OptionalLong base) {
            JsonNode v = vals[0];
            String kind = v.path("kind").asText("");
            if (kind.equals("truncated")) {
                return children(parentPath, pathPrefix, fieldPath, index, each(vals, n -> n.path("partial")), base);
            }
            if (kind.equals("struct") || kind.equals("union")) {
                JsonNode members = v.has("fields") ? v.get("fields") : v.path("members");
                List<FieldNode> c = new ArrayList<>(members.size());
                for (int i = 0; i < members.size(); i++) {
                    JsonNode f = members.get(i);
                    String name = f.path("name").asText("");
                    if (name.isEmpty()) name = "<anon>";
                    int at = i;
                    JsonNode[] fv = each(vals, n -> (n.has("fields") ? n.get("fields") : n.path("members")).path(at)
                            .path("value"));
                    String fp = fieldPath.isEmpty() ? name : fieldPath + "." + name;
                    String layout = layout(f, fv[0]);
                    OptionalLong addr = base.isPresent() && f.has("offset")
                            ? OptionalLong.of(base.getAsLong() + f.get("offset").asLong()) : OptionalLong.empty();
                    c.add(value(name, pathPrefix + fp, parentPath, index.then("." + name, name), fv, addr, layout,
                            null));
                }
                return c;
            }
            JsonNode elements = kind.equals("array") ? v.path("elements") : v.isArray() ? v : null;
            if (elements != null) {
                List<Supplier<FieldNode>> rows = new ArrayList<>(elements.size());
                for (int i = 0; i < elements.size(); i++) {
                    int at = i;
                    JsonNode[] ev = each(vals, n -> (n.has("elements") ? n.get("elements") : n).path(at));
                    rows.add(() -> value("[" + at + "]", pathPrefix + fieldPath + "[" + at + "]", parentPath,
                            index.then("[" + at + "]", "[" + at + "]"), ev, OptionalLong.empty(), null, null));
                }
                return chunked(parentPath, pathPrefix + fieldPath, rows);
            }
            if (v.isObject() && !TYPED_KINDS.contains(kind)) {
                List<FieldNode> c = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : v.properties()) {
                    String k = e.getKey();
                    JsonNode[] fv = each(vals, n -> n.path(k));
                    String fp = fieldPath.isEmpty() ? k : fieldPath + "." + k;
                    c.add(value(k, pathPrefix + fp, parentPath, index.then("." + k, k), fv, OptionalLong.empty(), null,
                            null));
                }
                return c;
            }
            return List.of();
        }

        private FieldNode value(String name, String path, String parentPath, Index index, JsonNode[] vals,
                                OptionalLong addr, String layout, String entryKey) {
            return value(name, path, parentPath, index, vals, addr, layout, entryKey, Role.LEAF);
        }

        /** A typed value (one JSON node, or one per CPU): a leaf, or an inner row whose children come on demand. */
        private FieldNode value(String name, String path, String parentPath, Index index, JsonNode[] vals,
                                OptionalLong addr, String layout, String entryKey, Role entryRole) {
            JsonNode v = vals[0];
            String kind = v.path("kind").asText("");
            String type = v.path("type").asText(v.path("type_name").asText(""));
            boolean inner = kind.equals("struct") || kind.equals("union") || kind.equals("array")
                    || kind.equals("truncated") || v.isArray() || (v.isObject() && !TYPED_KINDS.contains(kind));
            if (inner) {
                String fieldPath = path.substring(path.indexOf(':') + 1);
                String prefix = path.substring(0, path.indexOf(':') + 1);
                Role role = entryRole == Role.ENTRY ? Role.ENTRY : Role.GROUP;
                return new FieldNode(name, path, parentPath, role, type, null, innerSummary(v, vals.length), layout,
                        addr, null, entryKey, () -> children(path, prefix, fieldPath, index, vals, addr));
            }
            List<LeafValue> perCpu = null;
            LeafValue lv;
            if (vals.length > 1 || index != null && index.cpus() > 0) {
                perCpu = new ArrayList<>(vals.length);
                for (JsonNode slot : vals) perCpu.add(typedLeaf(slot));
                lv = sum(perCpu);
            } else {
                lv = typedLeaf(v);
            }
            FieldRef ref = index != null && lv.isNumeric() && indexed(v) ? index.ref() : null;
            return new FieldNode(name, path, parentPath, entryRole == Role.ENTRY ? Role.ENTRY : Role.LEAF,
                    type, lv, "", layout == null ? "" : layout, addr, ref, entryKey, null);
        }

        /** Fields the archive's field index holds (pointers and text are not indexed). */
        private static boolean indexed(JsonNode v) {
            if (v.isNumber() || v.isBoolean()) return true;
            String kind = v.path("kind").asText("");
            return switch (kind) {
                case "int", "uint", "float", "enum", "char", "ptr" -> v.path("value").isNumber();
                case "bool" -> true;
                default -> false;
            };
        }

        private static String innerSummary(JsonNode v, int cpus) {
            String kind = v.path("kind").asText("");
            String perCpu = cpus > 1 ? " · per CPU ×" + cpus : "";
            if (kind.equals("array")) return "[" + v.path("length").asInt(v.path("elements").size()) + "]" + perCpu;
            if (v.isArray()) return "[" + v.size() + "]" + perCpu;
            if (kind.equals("truncated")) return "truncated" + perCpu;
            JsonNode members = v.has("fields") ? v.get("fields") : v.path("members");
            if (members.isArray()) return "{" + members.size() + " fields}" + perCpu;
            return "{" + v.size() + "}" + perCpu;
        }

        /** Any JSON as rows: objects → nodes, arrays → indexed nodes, scalars → values. */
        FieldNode generic(String name, String path, String parentPath, JsonNode v) {
            if (v.isObject() && TYPED_KINDS.contains(v.path("kind").asText(""))
                    && (v.has("type") || v.has("value") || v.has("fields") || v.has("members"))) {
                return value(name, path, parentPath, null, new JsonNode[] {v}, OptionalLong.empty(), null, null);
            }
            Role role = parentPath.isEmpty() ? Role.SECTION : Role.GROUP;
            String prefix = path.contains(":") ? path + "." : path + ":";
            if (v.isObject()) {
                String reason = v.path("unavailable").isTextual() ? v.get("unavailable").asText() : null;
                return inner(name, path, parentPath, role, "", reason == null ? "{" + v.size() + "}"
                        : "unavailable: " + reason, () -> {
                    List<FieldNode> c = new ArrayList<>();
                    for (Map.Entry<String, JsonNode> e : v.properties()) {
                        String k = e.getKey();
                        if (k.endsWith("_unavailable") && e.getValue().isTextual()) {
                            String what = words(k.substring(0, k.length() - "_unavailable".length()));
                            c.add(new FieldNode(what + " — not read", prefix + k, path, Role.NOTE, "",
                                    unavailable(e.getValue().asText()), "", "", OptionalLong.empty(), null, null,
                                    null));
                            continue;
                        }
                        if (k.equals("unavailable") && e.getValue().isNull()) continue;
                        c.add(generic(k, prefix + k, path, e.getValue()));
                    }
                    return c;
                });
            }
            if (v.isArray()) {
                String base = path.contains(":") ? path : path + ":";
                List<Supplier<FieldNode>> rows = new ArrayList<>(v.size());
                for (int i = 0; i < v.size(); i++) {
                    int at = i;
                    rows.add(() -> generic("[" + at + "]", base + "[" + at + "]", path, v.get(at)));
                }
                return inner(name, path, parentPath, role, "", "[" + v.size() + "]", () -> chunked(path, base, rows));
            }
            return leaf(name, path, parentPath, "", scalar(v), null);
        }

        private static FieldNode inner(String name, String path, String parentPath, Role role, String type,
                                       String summary, Supplier<List<FieldNode>> children) {
            return inner(name, path, parentPath, role, type, summary, children, OptionalLong.empty());
        }

        private static FieldNode inner(String name, String path, String parentPath, Role role, String type,
                                       String summary, Supplier<List<FieldNode>> children, OptionalLong address) {
            return new FieldNode(name, path, parentPath, role, type, null, summary, "", address, null, null,
                    children);
        }

        private static FieldNode leaf(String name, String path, String parentPath, String type, LeafValue v,
                                      FieldRef ref) {
            return new FieldNode(name, path, parentPath, Role.LEAF, type, v, "", "", OptionalLong.empty(), ref, null,
                    null);
        }
    }

    /** Where the index path of a value is being built (per-CPU values keep the part after the CPU apart). */
    private record Index(String map, String prefix, String rest, int cpus) {
        Index then(String joined, String first) {
            if (cpus > 0) return new Index(map, prefix, rest + joined, cpus);
            return new Index(map, prefix.isEmpty() ? first : prefix + joined, rest, cpus);
        }

        FieldRef ref() {
            if (cpus > 0) return new FieldRef(map, prefix, rest, cpus);
            return FieldRef.plain(map, prefix.isEmpty() ? "value" : prefix);
        }
    }

    private static JsonNode[] each(JsonNode[] vals, java.util.function.UnaryOperator<JsonNode> f) {
        JsonNode[] out = new JsonNode[vals.length];
        for (int i = 0; i < vals.length; i++) out[i] = f.apply(vals[i]);
        return out;
    }

    /** A typed leaf as ValueJson (or ktstr) writes it; plain JSON scalars too. */
    static LeafValue typedLeaf(JsonNode v) {
        if (!v.isObject()) return scalar(v);
        String kind = v.path("kind").asText("");
        JsonNode value = v.path("value");
        int bits = v.path("bits").asInt(64);
        return switch (kind) {
            case "int", "uint", "char", "ptr" -> value.isNumber() ? integer(value.bigIntegerValue(), bits)
                    : scalar(value);
            case "enum" -> {
                BigInteger n = value.isNumber() ? value.bigIntegerValue() : BigInteger.ZERO;
                String name = v.path("name").isTextual() ? v.get("name").asText() : null;
                String shown = name == null ? ValueText.integer(n) + " (no enumerator)" : name + " (" + n + ")";
                yield new LeafValue(LeafValue.Kind.ENUM, n.toString(), n, n.doubleValue(), shown,
                        name == null ? ValueText.hex(n, 32) : name + " (" + ValueText.hex(n, 32) + ")", null);
            }
            case "bool" -> bool(value.asBoolean());
            case "float" -> value.isNumber() ? new LeafValue(LeafValue.Kind.FLOAT, value.asText(), null,
                    value.asDouble(), ValueText.number(value.asDouble()), null, null) : text(value.asText());
            case "text" -> {
                String t = v.path("text").asText("");
                String shown = "\"" + t + "\"" + (v.path("truncated").asBoolean(false) ? "…" : "");
                yield new LeafValue(LeafValue.Kind.TEXT, t, null, null, shown, null, null);
            }
            case "pointer" -> pointer(v.path("address").asText("0x0"), v.path("symbol").isTextual()
                    ? v.get("symbol").asText() : null);
            case "unavailable" -> unavailable(v.path("reason").asText("no reason given"));
            default -> {
                String raw = v.has("hex") ? v.get("hex").asText() : v.toString();
                yield new LeafValue(LeafValue.Kind.OTHER, raw, null, null, raw, null, null);
            }
        };
    }

    static LeafValue scalar(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return new LeafValue(LeafValue.Kind.OTHER, "null", null, null, "—", null, null);
        }
        if (v.isIntegralNumber()) return integer(v.bigIntegerValue(), 64);
        if (v.isNumber()) {
            return new LeafValue(LeafValue.Kind.FLOAT, v.asText(), null, v.asDouble(), ValueText.number(v.asDouble()),
                    null, null);
        }
        if (v.isBoolean()) return bool(v.asBoolean());
        return text(v.asText());
    }

    /** Its display and hex texts are made when asked for (most leaves a big diff reads are never shown); only a
     *  negative value's hex, which needs its width, is made here. */
    private static LeafValue integer(BigInteger n, int bits) {
        return new LeafValue(LeafValue.Kind.INT, n.toString(), n, n.doubleValue(), null,
                n.signum() < 0 ? ValueText.hex(n, bits) : null, null);
    }

    private static LeafValue bool(boolean b) {
        return new LeafValue(LeafValue.Kind.BOOL, b ? "1" : "0", b ? BigInteger.ONE : BigInteger.ZERO, b ? 1.0 : 0.0,
                b ? "✓ true" : "✗ false", null, null);
    }

    static LeafValue text(String s) {
        return new LeafValue(LeafValue.Kind.TEXT, s, null, null, s, null, null);
    }

    static LeafValue unavailable(String reason) {
        return new LeafValue(LeafValue.Kind.UNAVAILABLE, "unavailable: " + reason, null, null,
                "unavailable: " + reason, null, null);
    }

    static LeafValue pointer(String address, String symbol) {
        BigInteger n = parseHex(address);
        String shown = address + (symbol == null || symbol.isEmpty() ? "" : " → " + symbol);
        return new LeafValue(LeafValue.Kind.POINTER, address, n, n == null ? null : n.doubleValue(), shown, null, null);
    }

    /** Σ of per-CPU values when all are numeric, else the first CPU's value; keeps every CPU's value. */
    private static LeafValue sum(List<LeafValue> perCpu) {
        BigDecimal total = BigDecimal.ZERO;
        boolean integral = true;
        for (LeafValue v : perCpu) {
            if (!v.isNumeric() || v.kind() == LeafValue.Kind.POINTER) {
                LeafValue first = perCpu.getFirst();
                return new LeafValue(first.kind(), first.exact(), first.integer(), null, first.display(), first.hex(),
                        perCpu);
            }
            if (v.integer() != null) {
                total = total.add(new BigDecimal(v.integer()));
            } else {
                integral = false;
                total = total.add(BigDecimal.valueOf(v.number()));
            }
        }
        String exact = integral ? total.toBigInteger().toString() : total.toPlainString();
        String shown = integral ? ValueText.integer(total.toBigInteger()) : ValueText.number(total.doubleValue());
        return new LeafValue(LeafValue.Kind.INT, exact, integral ? total.toBigInteger() : null, total.doubleValue(),
                shown, integral ? ValueText.hex(total.toBigInteger(), 64) : null, perCpu);
    }

    private static BigInteger parseHex(String s) {
        try {
            return s.startsWith("0x") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static OptionalLong address(JsonNode n) {
        if (!n.isTextual()) return OptionalLong.empty();
        BigInteger v = parseHex(n.asText());
        return v == null ? OptionalLong.empty() : OptionalLong.of(v.longValue());
    }

    /** Byte offset / size, or bit offset / size for a bitfield. */
    private static String layout(JsonNode field, JsonNode value) {
        if (field.has("bitSize")) {
            return "bit " + field.path("bitOffset").asLong() + " / " + field.get("bitSize").asInt() + " bits";
        }
        if (!field.has("offset")) return "";
        long size = sizeOf(value);
        String hex = Long.toHexString(field.get("offset").asLong()); // as %02x, without a Formatter per field
        return "0x" + (hex.length() < 2 ? "0" : "") + hex + (size > 0 ? " / " + size : "");
    }

    /** A value's size in bytes where the report says (0 when it does not). */
    static long sizeOf(JsonNode v) {
        if (v.has("size")) return v.get("size").asLong();
        if (v.has("bits")) return v.get("bits").asInt() / 8;
        String kind = v.path("kind").asText("");
        if (kind.equals("bool")) return 1;
        if (kind.equals("pointer")) return 8;
        if (kind.equals("text")) return v.path("length").asLong();
        return 0;
    }

    private static String shortType(JsonNode m) {
        String t = m.path("type").asText("");
        if (t.startsWith("BPF_MAP_TYPE_")) return t.substring("BPF_MAP_TYPE_".length()).toLowerCase(java.util.Locale.ROOT);
        if (m.has("map_type")) return "map type " + m.get("map_type").asInt();
        return t.isEmpty() ? "map" : t;
    }

    private static String keyText(JsonNode key) {
        if (!key.isObject()) return key.asText();
        LeafValue v = typedLeaf(key);
        if (v.kind() == LeafValue.Kind.INT && v.integer() != null) return v.integer().toString();
        if (key.path("kind").asText("").equals("struct")) {
            StringBuilder b = new StringBuilder("{");
            JsonNode members = key.has("fields") ? key.get("fields") : key.path("members");
            for (JsonNode f : members) {
                if (b.length() > 1) b.append(", ");
                b.append(f.path("name").asText()).append('=').append(typedLeaf(f.path("value")).exact());
            }
            return b.append('}').toString();
        }
        return v.exact();
    }

    /** The key as the archive's field index writes it (must match {@code ReportFields}). */
    private static String indexKeyLabel(JsonNode entry) {
        JsonNode key = entry.get("key");
        if (key != null && key.has("value") && key.get("value").isValueNode()) return key.get("value").asText();
        return entry.path("key_hex").asText("?");
    }
}
