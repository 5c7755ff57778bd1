package dev.freezeframe.coordinator.introspect.btf;

import java.math.BigInteger;
import java.util.List;

/**
 * A typed value rendered from bytes by {@link ValueRenderer}. Every node carries {@link #type()}, the C spelling of its
 * declared type ({@code "u64"}, {@code "struct scx_sched"}, {@code "char[128]"}). A part that cannot be rendered is an
 * {@link UnavailableValue} with the reason; rendering itself never fails. {@link ValueJson} gives the JSON form.
 */
public sealed interface Value {
    String type();

    /** An integer of {@code bits} bits (a bitfield's width, or the full type). {@code value} is exact. */
    record IntValue(String type, boolean signed, int bits, BigInteger value) implements Value {
    }

    /** A {@code _Bool} (INT with {@code BTF_INT_BOOL}): true for any non-zero storage. */
    record BoolValue(String type, boolean value) implements Value {
    }

    /** An enum; {@code name} is the matching enumerator, or {@code null} when no enumerator has this value. */
    record EnumValue(String type, BigInteger value, String name) implements Value {
    }

    /** A float, double, half or x87 long double (converted to the nearest double). */
    record FloatValue(String type, int bits, double value) implements Value {
    }

    /**
     * One member of a struct or union (or variable of a data section): {@code name} is empty for an anonymous member;
     * {@code bitOffset} counts from the start of the enclosing object; {@code bitSize} is the bitfield width, 0 for an
     * ordinary member.
     */
    record Field(String name, long bitOffset, int bitSize, Value value) {
        public long byteOffset() {
            return bitOffset >>> 3;
        }
    }

    /**
     * A struct (or a BPF data section such as {@code .bss}) with its members in declaration order; {@code truncated}
     * when the renderer's node budget ran out before the last member.
     */
    record StructValue(String type, long size, List<Field> fields, boolean truncated) implements Value {
    }

    /** A union, each member rendered over the same bytes. */
    record UnionValue(String type, long size, List<Field> fields, boolean truncated) implements Value {
    }

    /**
     * An array of {@code length} declared elements of which {@code elements} are rendered; {@code truncated} when fewer
     * than {@code length} (the cap, the node budget, or the bytes ran out).
     */
    record ArrayValue(String type, long length, List<Value> elements, boolean truncated) implements Value {
    }

    /**
     * A {@code char} array as text, up to its first NUL, with non-printable bytes escaped ({@code \n}, {@code \t},
     * {@code \r}, {@code \\}, {@code \xNN} — bytes ≥ 0x80 too). {@code terminated}: a NUL was found; {@code truncated}:
     * neither a NUL nor the array's end was reached (text cap or bytes ran out).
     */
    record CharArrayValue(String type, long length, String text, boolean terminated, boolean truncated)
            implements Value {
    }

    /**
     * A pointer: its {@code address}, the C spelling of what it points to ({@code target}) and, when the
     * {@link SymbolResolver} knows the address, the symbol ({@code null} otherwise).
     */
    record PointerValue(String type, String target, long address, String symbol) implements Value {
    }

    /** A part that could not be rendered, and why (bytes missing, bad type, cycle, depth or budget exhausted). */
    record UnavailableValue(String type, String reason) implements Value {
    }
}
