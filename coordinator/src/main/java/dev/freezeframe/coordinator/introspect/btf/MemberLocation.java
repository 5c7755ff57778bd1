package dev.freezeframe.coordinator.introspect.btf;

/**
 * Where a member path ({@code "exit_kind"}, {@code "ops.name"}, {@code "cpus[2].nr"}) lands inside its outermost type:
 * the member's type and its offset in bits from the start of the outer object; {@code bitSize} is the bitfield width,
 * 0 for an ordinary member.
 */
public record MemberLocation(String path, int typeId, long bitOffset, int bitSize) {
    public boolean isBitfield() {
        return bitSize != 0;
    }

    /** Byte offset; for a bitfield, the byte holding its first bit. */
    public long byteOffset() {
        return bitOffset >>> 3;
    }
}
