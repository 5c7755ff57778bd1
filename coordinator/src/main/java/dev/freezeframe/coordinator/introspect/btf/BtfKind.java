package dev.freezeframe.coordinator.introspect.btf;

import java.util.Arrays;

/**
 * The {@code BTF_KIND_*} codes of {@code include/uapi/linux/btf.h}, as of the 7.x kernels (ENUM64 = 19 is the last).
 * The code sits in bits 24–30 of {@code btf_type.info} (7.x widened it from 5 bits; {@code BTF_MAX_KIND} is 0x7f).
 * {@link #UNKNOWN} stands for a code newer than this parser whose record size a blob's layout section gave.
 */
public enum BtfKind {
    VOID(0), INT(1), PTR(2), ARRAY(3), STRUCT(4), UNION(5), ENUM(6), FWD(7), TYPEDEF(8), VOLATILE(9), CONST(10),
    RESTRICT(11), FUNC(12), FUNC_PROTO(13), VAR(14), DATASEC(15), FLOAT(16), DECL_TAG(17), TYPE_TAG(18), ENUM64(19),
    /** A kind this parser does not know (see {@link BtfType.Unknown}); never returned by {@link #ofCode(int)}. */
    UNKNOWN(-1);

    private static final BtfKind[] BY_CODE = Arrays.copyOf(values(), ENUM64.code + 1);

    private final int code;

    BtfKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind for a code, or {@code null} for a code this parser does not know (0 is not a kind on the wire). */
    public static BtfKind ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** CONST, VOLATILE, RESTRICT and TYPE_TAG: they change neither size nor layout. */
    public boolean isQualifier() {
        return this == CONST || this == VOLATILE || this == RESTRICT || this == TYPE_TAG;
    }
}
