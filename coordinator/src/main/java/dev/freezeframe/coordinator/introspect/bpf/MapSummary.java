package dev.freezeframe.coordinator.introspect.bpf;

import java.util.List;

/** What a map of a kind whose contents are not listed entry by entry looks like. */
public sealed interface MapSummary {

    /**
     * {@code BPF_MAP_TYPE_RINGBUF} / {@code USER_RINGBUF}: data area size ({@code mask + 1}) and the positions;
     * {@code producerPos - consumerPos} bytes are waiting for the consumer.
     */
    record Ringbuf(long dataSize, long consumerPos, long producerPos, long pendingPos) implements MapSummary {
        public long pendingBytes() {
            return producerPos - consumerPos;
        }
    }

    /**
     * {@code BPF_MAP_TYPE_ARENA}: the user range, the kernel mapping's start ({@code kern_vm->addr + GUARD_SZ / 2}),
     * the pages currently mapped in the arena's kernel range (counted by page-table walk; {@code countTruncated} when
     * the walk budget ran out) and, when the kernel keeps it, its own page count.
     */
    record Arena(long userVmStart, long userVmEnd, long kernVmStart, long pagesMapped, boolean countTruncated,
            Long nrPages) implements MapSummary {
    }

    /**
     * {@code BPF_MAP_TYPE_STRUCT_OPS}: the kernel value type ({@code struct bpf_struct_ops_sched_ext_ops}), the ops'
     * {@code name} when it has one, and the callbacks that are set (non-NULL function pointers), in declaration order.
     */
    record StructOps(String valueType, String opsName, List<String> opsSet) implements MapSummary {
        public StructOps {
            opsSet = List.copyOf(opsSet);
        }
    }

    /** {@code BPF_MAP_TYPE_QUEUE} / {@code STACK}: ring indices; {@code size} is {@code max_entries + 1}. */
    record QueueStack(long head, long tail, long size) implements MapSummary {
    }
}
