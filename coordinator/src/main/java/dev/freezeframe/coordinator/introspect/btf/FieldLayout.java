package dev.freezeframe.coordinator.introspect.btf;

/**
 * The effective placement of a struct/union member, whichever way it was encoded: {@code bitOffset} from the start of
 * the enclosing struct and, for a bitfield, its width in {@code bitSize} (0 for an ordinary member). With kind_flag=0 a
 * bitfield's width and extra offset come from its INT type's {@code BTF_INT_BITS}/{@code BTF_INT_OFFSET}; with
 * kind_flag=1 both are in the member's {@code offset} word (bit offset in the low 24 bits, size in the high 8).
 */
public record FieldLayout(long bitOffset, int bitSize) {
    public boolean isBitfield() {
        return bitSize != 0;
    }
}
