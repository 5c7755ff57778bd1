package dev.freezeframe.coordinator.introspect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freezeframe.coordinator.introspect.bpf.BpfMapReader.BpfMaps;
import dev.freezeframe.coordinator.introspect.bpf.MapEntry;
import dev.freezeframe.coordinator.introspect.bpf.MapSnapshot;
import dev.freezeframe.coordinator.introspect.bpf.MapSummary;
import dev.freezeframe.coordinator.introspect.btf.Value;
import dev.freezeframe.coordinator.introspect.btf.ValueJson;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import dev.freezeframe.coordinator.introspect.scx.ScxState;

/**
 * The JSON form of what the introspection walkers read, for snapshot reports. Addresses are strings {@code "0x"} + 16
 * hex digits; typed values are {@link ValueJson} nodes; a field that could not be read is {@code null} and the object's
 * {@code "unavailable"} says why ({@code null} when everything was read).
 *
 * <pre>
 * maps:  {"maps": [MAP...], "truncated": bool, "unavailable": str|null}
 * MAP:   {"id", "address", "name", "type" ("BPF_MAP_TYPE_ARRAY"), "typeCode", "keySize", "valueSize",
 *         "maxEntries", "flags", "btfKeyTypeId", "btfValueTypeId", "keyType" (C spelling|null),
 *         "valueType" ("datasec .bss"|...|null), "entries": [ENTRY...], "truncated": bool,
 *         "summary": SUMMARY|null, "unavailable": str|null}
 * ENTRY: {"key": VALUE|absent for queue/stack/arena, "value": VALUE, "valueAddress": addr (absent when it has no
 *        one address)} or {"key": VALUE, "perCpu": [VALUE per CPU]}; a field of a value lives at valueAddress plus
 *        the field's byte offset (what "watch this field" arms a watchpoint on)
 *        (an arena's one entry is its __arena globals, valueType "datasec .addr_space.1")
 * SUMMARY (by "kind"):
 *   "ringbuf":    dataSize, consumerPos, producerPos, pendingPos, pendingBytes
 *   "arena":      userVmStart, userVmEnd, kernVmStart (addresses), pagesMapped, countTruncated, nrPages|null
 *   "struct_ops": valueType, opsName|null, opsSet: [callback names that are non-NULL]
 *   "queue_stack": head, tail, size
 * scx:   {"root": addr|null, "attached": bool, "opsName", "exitKind", "exitKindName", "exitKindAddress",
 *         "exitInfoAddress",
 *         "exitInfo": {"kind", "kindName", "exitCode", "reason", "message"}|null, "unavailable"}
 * </pre>
 */
public final class IntrospectionJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private IntrospectionJson() {
    }

    public static ObjectNode toJson(BpfMaps maps) {
        ObjectNode o = NODES.objectNode();
        ArrayNode list = o.putArray("maps");
        maps.maps().forEach(m -> list.add(toJson(m)));
        o.put("truncated", maps.truncated());
        o.put("unavailable", maps.unavailable());
        return o;
    }

    public static ObjectNode toJson(MapSnapshot m) {
        ObjectNode o = NODES.objectNode();
        o.put("id", m.id());
        o.put("address", addr(m.address()));
        o.put("name", m.name());
        o.put("type", m.type());
        o.put("typeCode", m.typeCode());
        o.put("keySize", m.keySize());
        o.put("valueSize", m.valueSize());
        o.put("maxEntries", m.maxEntries());
        o.put("flags", m.flags());
        o.put("btfKeyTypeId", m.btfKeyTypeId());
        o.put("btfValueTypeId", m.btfValueTypeId());
        o.put("keyType", m.keyType());
        o.put("valueType", m.valueType());
        ArrayNode entries = o.putArray("entries");
        for (MapEntry e : m.entries()) {
            ObjectNode en = entries.addObject();
            if (e.key() != null) {
                en.set("key", ValueJson.toJson(e.key()));
            }
            if (e.value() != null) {
                en.set("value", ValueJson.toJson(e.value()));
                if (e.valueAddress() != null) {
                    en.put("valueAddress", addr(e.valueAddress()));
                }
            } else {
                ArrayNode cpus = en.putArray("perCpu");
                for (Value v : e.perCpu()) {
                    cpus.add(ValueJson.toJson(v));
                }
            }
        }
        o.put("truncated", m.truncated());
        if (m.summary() == null) {
            o.putNull("summary");
        } else {
            o.set("summary", summary(m.summary()));
        }
        o.put("unavailable", m.unavailable());
        return o;
    }

    private static ObjectNode summary(MapSummary s) {
        ObjectNode o = NODES.objectNode();
        switch (s) {
            case MapSummary.Ringbuf r -> {
                o.put("kind", "ringbuf");
                o.put("dataSize", r.dataSize());
                o.put("consumerPos", r.consumerPos());
                o.put("producerPos", r.producerPos());
                o.put("pendingPos", r.pendingPos());
                o.put("pendingBytes", r.pendingBytes());
            }
            case MapSummary.Arena a -> {
                o.put("kind", "arena");
                o.put("userVmStart", addr(KernelVirtAddr.of(a.userVmStart())));
                o.put("userVmEnd", addr(KernelVirtAddr.of(a.userVmEnd())));
                o.put("kernVmStart", addr(KernelVirtAddr.of(a.kernVmStart())));
                o.put("pagesMapped", a.pagesMapped());
                o.put("countTruncated", a.countTruncated());
                if (a.nrPages() == null) {
                    o.putNull("nrPages");
                } else {
                    o.put("nrPages", a.nrPages());
                }
            }
            case MapSummary.StructOps so -> {
                o.put("kind", "struct_ops");
                o.put("valueType", so.valueType());
                o.put("opsName", so.opsName());
                ArrayNode set = o.putArray("opsSet");
                so.opsSet().forEach(set::add);
            }
            case MapSummary.QueueStack q -> {
                o.put("kind", "queue_stack");
                o.put("head", q.head());
                o.put("tail", q.tail());
                o.put("size", q.size());
            }
        }
        return o;
    }

    public static ObjectNode toJson(ScxState s) {
        ObjectNode o = NODES.objectNode();
        o.put("root", s.root() == null ? null : addr(s.root()));
        o.put("attached", s.attached());
        o.put("opsName", s.opsName());
        o.put("exitKind", s.exitKind());
        o.put("exitKindName", s.exitKindName());
        o.put("exitKindAddress", s.exitKindAddr() == null ? null : addr(s.exitKindAddr()));
        o.put("exitInfoAddress", s.exitInfoAddr() == null ? null : addr(s.exitInfoAddr()));
        if (s.exitInfo() == null) {
            o.putNull("exitInfo");
        } else {
            ObjectNode e = o.putObject("exitInfo");
            e.put("kind", s.exitInfo().kind());
            e.put("kindName", s.exitInfo().kindName());
            e.put("exitCode", s.exitInfo().exitCode());
            e.put("reason", s.exitInfo().reason());
            e.put("message", s.exitInfo().message());
        }
        o.put("unavailable", s.unavailable());
        return o;
    }

    private static String addr(KernelVirtAddr a) {
        return a == null ? null : a.toString();
    }
}
