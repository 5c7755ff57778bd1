package dev.freezeframe.coordinator.introspect.btf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.introspect.btf.Value.ArrayValue;
import dev.freezeframe.coordinator.introspect.btf.Value.BoolValue;
import dev.freezeframe.coordinator.introspect.btf.Value.CharArrayValue;
import dev.freezeframe.coordinator.introspect.btf.Value.EnumValue;
import dev.freezeframe.coordinator.introspect.btf.Value.Field;
import dev.freezeframe.coordinator.introspect.btf.Value.FloatValue;
import dev.freezeframe.coordinator.introspect.btf.Value.IntValue;
import dev.freezeframe.coordinator.introspect.btf.Value.PointerValue;
import dev.freezeframe.coordinator.introspect.btf.Value.StructValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnavailableValue;
import dev.freezeframe.coordinator.introspect.btf.Value.UnionValue;
import java.util.List;

/**
 * The JSON form of a {@link Value} tree, embedded in snapshot reports. Field names are stable; every node is an object
 * with {@code "kind"} and {@code "type"} (the C spelling of the declared type), plus, by kind:
 * <table>
 *   <caption>JSON fields per kind</caption>
 *   <tr><th>kind</th><th>fields</th></tr>
 *   <tr><td>{@code "int"}</td><td>{@code signed} (boolean), {@code bits} (number), {@code value} (exact
 *       integer)</td></tr>
 *   <tr><td>{@code "bool"}</td><td>{@code value} (boolean)</td></tr>
 *   <tr><td>{@code "enum"}</td><td>{@code value} (exact integer), {@code name} (enumerator, or {@code null} when none
 *       matches)</td></tr>
 *   <tr><td>{@code "float"}</td><td>{@code bits} (16, 32, 64 or 80), {@code value} (number, or the string
 *       {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"})</td></tr>
 *   <tr><td>{@code "struct"}, {@code "union"}</td><td>{@code size} (bytes), {@code truncated} (boolean),
 *       {@code fields}: array of {@code {"name", "offset", "value"}} — {@code name} is {@code ""} for an anonymous
 *       member, {@code offset} is the byte offset in the enclosing object; a bitfield adds {@code bitOffset} (bits from
 *       the start of the enclosing object) and {@code bitSize}</td></tr>
 *   <tr><td>{@code "array"}</td><td>{@code length} (declared elements), {@code elements} (array of nodes),
 *       {@code truncated} (boolean: fewer elements than {@code length})</td></tr>
 *   <tr><td>{@code "text"}</td><td>a {@code char} array: {@code length} (declared), {@code text} (up to the first NUL,
 *       non-printables escaped as {@code \n \t \r \\ \xNN}), {@code terminated}, {@code truncated} (booleans)</td></tr>
 *   <tr><td>{@code "pointer"}</td><td>{@code address} (string, {@code "0x"} and 16 lower-case hex digits),
 *       {@code target} (C spelling of the pointee), {@code symbol} (string or {@code null})</td></tr>
 *   <tr><td>{@code "unavailable"}</td><td>{@code reason} (a sentence)</td></tr>
 * </table>
 * Integers are written exactly (u64 values above 2<sup>53</sup> too): readers in JavaScript must parse them as big
 * integers.
 */
public final class ValueJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ValueJson() {
    }

    public static ObjectNode toJson(Value value) {
        ObjectNode o = NODES.objectNode();
        switch (value) {
            case IntValue v -> {
                head(o, "int", v);
                o.put("signed", v.signed());
                o.put("bits", v.bits());
                o.put("value", v.value());
            }
            case BoolValue v -> {
                head(o, "bool", v);
                o.put("value", v.value());
            }
            case EnumValue v -> {
                head(o, "enum", v);
                o.put("value", v.value());
                o.put("name", v.name());
            }
            case FloatValue v -> {
                head(o, "float", v);
                o.put("bits", v.bits());
                if (Double.isFinite(v.value())) {
                    o.put("value", v.value());
                } else {
                    o.put("value", Double.toString(v.value()));
                }
            }
            case StructValue v -> {
                head(o, "struct", v);
                o.put("size", v.size());
                o.set("fields", fields(v.fields()));
                o.put("truncated", v.truncated());
            }
            case UnionValue v -> {
                head(o, "union", v);
                o.put("size", v.size());
                o.set("fields", fields(v.fields()));
                o.put("truncated", v.truncated());
            }
            case ArrayValue v -> {
                head(o, "array", v);
                o.put("length", v.length());
                ArrayNode elements = o.putArray("elements");
                for (Value e : v.elements()) {
                    elements.add(toJson(e));
                }
                o.put("truncated", v.truncated());
            }
            case CharArrayValue v -> {
                head(o, "text", v);
                o.put("length", v.length());
                o.put("text", v.text());
                o.put("terminated", v.terminated());
                o.put("truncated", v.truncated());
            }
            case PointerValue v -> {
                head(o, "pointer", v);
                o.put("address", String.format("0x%016x", v.address()));
                o.put("target", v.target());
                o.put("symbol", v.symbol());
            }
            case UnavailableValue v -> {
                head(o, "unavailable", v);
                o.put("reason", v.reason());
            }
        }
        return o;
    }

    /** Compact JSON text. */
    public static String toJsonString(Value value) {
        try {
            return MAPPER.writeValueAsString(toJson(value));
        } catch (JsonProcessingException e) { // a tree of plain nodes always serializes
            throw new IllegalStateException(e);
        }
    }

    private static void head(ObjectNode o, String kind, Value v) {
        o.put("kind", kind);
        o.put("type", v.type());
    }

    private static ArrayNode fields(List<Field> fields) {
        ArrayNode a = NODES.arrayNode();
        for (Field f : fields) {
            ObjectNode fo = a.addObject();
            fo.put("name", f.name());
            fo.put("offset", f.byteOffset());
            if (f.bitSize() != 0) {
                fo.put("bitOffset", f.bitOffset());
                fo.put("bitSize", f.bitSize());
            }
            fo.set("value", toJson(f.value()));
        }
        return a;
    }
}
