package dev.freezeframe.coordinator.introspect.bpf;

import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import java.util.List;

/**
 * One BPF map as read from guest memory.
 *
 * @param id             the map id ({@code map_idr} index)
 * @param address        the {@code struct bpf_map *}
 * @param name           {@code map->name} ({@code "scx_qmap.bss"}), or null when unreadable
 * @param type           the {@code enum bpf_map_type} enumerator name ({@code "BPF_MAP_TYPE_ARRAY"}), or
 *                       {@code "unknown (N)"}
 * @param typeCode       {@code map->map_type}
 * @param keySize        {@code key_size}
 * @param valueSize      {@code value_size}
 * @param maxEntries     {@code max_entries}
 * @param flags          {@code map_flags}
 * @param btfKeyTypeId   {@code btf_key_type_id} (in the map's BTF; 0: none)
 * @param btfValueTypeId {@code btf_value_type_id}
 * @param keyType        C spelling of the key type, or null without BTF
 * @param valueType      C spelling of the value type ({@code "datasec .bss"} for global data), or null
 * @param entries        the entries read (at most the cap)
 * @param truncated      more entries exist than were read (cap or walk budget)
 * @param summary        for ringbuf, arena, struct_ops and queue/stack maps; null otherwise
 * @param unavailable    why the map (or part of it: its BTF, its entries) could not be read; null when complete
 */
public record MapSnapshot(long id, KernelVirtAddr address, String name, String type, long typeCode, long keySize,
        long valueSize, long maxEntries, long flags, long btfKeyTypeId, long btfValueTypeId, String keyType,
        String valueType, List<MapEntry> entries, boolean truncated, MapSummary summary, String unavailable) {
    public MapSnapshot {
        entries = List.copyOf(entries);
    }
}
