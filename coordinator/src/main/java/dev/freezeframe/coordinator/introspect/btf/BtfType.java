package dev.freezeframe.coordinator.introspect.btf;

import java.util.List;

/**
 * One decoded BTF type record. Ids are global: in split BTF they continue after the base's. Names are the empty string
 * when the record has none (anonymous structs, pointers, qualifiers). Type references are ids, resolved through
 * {@link Btf#type(int)}; every id a record holds was range-checked when the blob was parsed.
 */
public sealed interface BtfType {
    /** Type id (0 is {@code void}). */
    int id();

    BtfKind kind();

    String name();

    /** Id 0: {@code void}. Never in a blob; what a reference to type 0 means. */
    record Void() implements BtfType {
        public int id() {
            return 0;
        }

        public BtfKind kind() {
            return BtfKind.VOID;
        }

        public String name() {
            return "void";
        }
    }

    /** {@code BTF_KIND_INT}: {@code size} bytes of storage, of which {@code bits} bits from {@code bitOffset} count. */
    record Int(int id, String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        public static final int SIGNED = 1;
        public static final int CHAR = 2;
        public static final int BOOL = 4;

        public BtfKind kind() {
            return BtfKind.INT;
        }

        public boolean signed() {
            return (encoding & SIGNED) != 0;
        }

        public boolean isBool() {
            return (encoding & BOOL) != 0;
        }

        /** {@code BTF_INT_CHAR}, or plain {@code char} (which pahole encodes without the flag). */
        public boolean isChar() {
            return (encoding & CHAR) != 0 || (size == 1 && name.equals("char"));
        }
    }

    /** {@code BTF_KIND_PTR}. */
    record Ptr(int id, int target) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }

        public String name() {
            return "";
        }
    }

    /** {@code BTF_KIND_ARRAY}: {@code nelems} elements of {@code elemType}. */
    record Array(int id, int elemType, int indexType, long nelems) implements BtfType {
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }

        public String name() {
            return "";
        }
    }

    /**
     * A struct or union member as stored: with {@code kind_flag} set, {@code bitfieldSize} is the bitfield width (0 for
     * a normal member); without it, it is always 0 and a bitfield is encoded in the member's INT type instead — use
     * {@link Btf#layout(Composite, Member)} for the effective bits.
     */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {
    }

    /** {@code BTF_KIND_STRUCT} or {@code BTF_KIND_UNION}. */
    record Composite(int id, String name, boolean union, long size, boolean kindFlag, List<Member> members)
            implements BtfType {
        public BtfKind kind() {
            return union ? BtfKind.UNION : BtfKind.STRUCT;
        }
    }

    /** One enumerator; {@code value} holds the 32 or 64 stored bits (sign-extended for signed enums). */
    record Enumerator(String name, long value) {
    }

    /** {@code BTF_KIND_ENUM} or {@code BTF_KIND_ENUM64}; {@code signed} is the kind_flag. */
    record Enum(int id, String name, int size, boolean signed, boolean is64, List<Enumerator> values)
            implements BtfType {
        public BtfKind kind() {
            return is64 ? BtfKind.ENUM64 : BtfKind.ENUM;
        }
    }

    /** {@code BTF_KIND_FWD}: a declared but undefined struct or union. */
    record Fwd(int id, String name, boolean union) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    /** {@code BTF_KIND_TYPEDEF}. */
    record Typedef(int id, String name, int target) implements BtfType {
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    /** CONST, VOLATILE, RESTRICT, or TYPE_TAG (whose {@code name} is the tag, e.g. {@code "rcu"}). */
    record Qualifier(int id, BtfKind kind, String name, int target) implements BtfType {
    }

    /** {@code BTF_KIND_FUNC}: a function named {@code name} of prototype {@code proto}; linkage is the vlen. */
    record Func(int id, String name, int proto, int linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** A parameter of a function prototype; a trailing {@code ("", 0)} means {@code ...}. */
    record Param(String name, int type) {
    }

    /** {@code BTF_KIND_FUNC_PROTO}. */
    record FuncProto(int id, int returnType, List<Param> params) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        public String name() {
            return "";
        }

        public boolean variadic() {
            return !params.isEmpty() && params.getLast().type() == 0 && params.getLast().name().isEmpty();
        }
    }

    /** {@code BTF_KIND_VAR}: a global variable. */
    record Var(int id, String name, int type, int linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /** A variable's place in a data section. */
    record SecVar(int type, long offset, long size) {
    }

    /** {@code BTF_KIND_DATASEC}: e.g. a BPF program's {@code .bss}, the value type of its global-data map. */
    record Datasec(int id, String name, long size, List<SecVar> vars) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    /** {@code BTF_KIND_FLOAT}. */
    record Float(int id, String name, int size) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /**
     * A record of a kind newer than this parser ({@code kindCode} ≥ 20), skipped using the size the blob's layout
     * section gives for that kind. Nothing is known about its meaning.
     */
    record Unknown(int id, int kindCode, String name) implements BtfType {
        public BtfKind kind() {
            return BtfKind.UNKNOWN;
        }
    }

    /** {@code BTF_KIND_DECL_TAG}: {@code componentIdx} is -1 for the type itself, else a member or parameter index. */
    record DeclTag(int id, String name, int target, int componentIdx) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }
}
