package dev.freezeframe.coordinator.introspect.bpf;

import dev.freezeframe.coordinator.introspect.btf.Value;
import dev.freezeframe.coordinator.introspect.mem.KernelVirtAddr;
import java.util.List;

/**
 * One entry of a BPF map. {@code key} is null for maps without keys (queue, stack); for per-CPU maps {@code value} is
 * null and {@code perCpu} holds one value per possible CPU (index = CPU number); otherwise {@code perCpu} is empty.
 * Values that could not be read are {@link Value.UnavailableValue}s with the reason. {@code valueAddress} is where the
 * value lives in kernel memory (so a field of it can be watched: this address plus the field's byte offset), or null
 * when it has no one address (per-CPU values, a struct_ops map's copy) or is not known.
 */
public record MapEntry(Value key, Value value, List<Value> perCpu, KernelVirtAddr valueAddress) {
    public MapEntry {
        perCpu = List.copyOf(perCpu);
    }

    public static MapEntry of(Value key, Value value) {
        return new MapEntry(key, value, List.of(), null);
    }

    /** An entry whose value was read at {@code valueAddress}. */
    public static MapEntry at(Value key, Value value, KernelVirtAddr valueAddress) {
        return new MapEntry(key, value, List.of(), valueAddress);
    }

    public static MapEntry perCpu(Value key, List<Value> values) {
        return new MapEntry(key, null, values, null);
    }
}
