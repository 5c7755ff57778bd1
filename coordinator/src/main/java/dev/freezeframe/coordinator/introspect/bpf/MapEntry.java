package dev.freezeframe.coordinator.introspect.bpf;

import dev.freezeframe.coordinator.introspect.btf.Value;
import java.util.List;

/**
 * One entry of a BPF map. {@code key} is null for maps without keys (queue, stack); for per-CPU maps {@code value} is
 * null and {@code perCpu} holds one value per possible CPU (index = CPU number); otherwise {@code perCpu} is empty.
 * Values that could not be read are {@link Value.UnavailableValue}s with the reason.
 */
public record MapEntry(Value key, Value value, List<Value> perCpu) {
    public MapEntry {
        perCpu = List.copyOf(perCpu);
    }

    public static MapEntry of(Value key, Value value) {
        return new MapEntry(key, value, List.of());
    }

    public static MapEntry perCpu(Value key, List<Value> values) {
        return new MapEntry(key, null, values);
    }
}
