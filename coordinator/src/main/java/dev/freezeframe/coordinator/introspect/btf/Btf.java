package dev.freezeframe.coordinator.introspect.btf;

import dev.freezeframe.vmm.kit.ElfInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parsed BTF blob (the kernel's {@code Documentation/bpf/btf.rst}): a {@code struct btf_header} (magic
 * {@code 0xeB9F}, version 1, {@code hdr_len} ≥ 24) followed by a type section and a string section. Since 7.x the
 * header may be 32 bytes with a layout section ({@code struct btf_layout {u8 info_sz; u8 elem_sz; u16 flags;}} per
 * kind code): it is read when present, checked against the sizes of the kinds this parser knows, and used to step over
 * records of newer kinds ({@link BtfType.Unknown}). Type records use the 7.x info word: vlen in bits 0–23, kind in
 * bits 24–30, kind_flag in bit 31 (older blobs have zeros in the widened bits, so they read the same).
 *
 * <p>Either a base BTF (vmlinux, ids from 1, strings from offset 0) or split BTF over a base (a module's, or BPF
 * program BTF built on vmlinux), whose type ids continue after the base's last id and whose string offsets continue
 * after the base's string section.
 *
 * <p>The blob may come from untrusted guest memory. Parsing checks every section and record against its bounds, every
 * kind code, every name offset and every type reference, and fails with a {@link BtfException}; lookups bound every
 * chain they follow ({@link #MAX_CHAIN} typedef/qualifier hops, {@link #MAX_NESTING} levels of by-value nesting), so a
 * cyclic type graph ends in a {@link BtfException} too. No unchecked exception escapes a public method.
 *
 * <p>Cost: parsing is one pass over the type section storing each record's offset in an {@code int[]}; records are
 * decoded on first access and cached; the name index is built on the first lookup by name. Instances are immutable and
 * safe to share between threads.
 */
public final class Btf {
    private static final Logger LOG = LoggerFactory.getLogger(Btf.class);

    public static final int MAGIC = 0xEB9F;
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 24;
    /** A 7.x header with {@code layout_off} and {@code layout_len}. */
    public static final int HEADER_SIZE_WITH_LAYOUT = 32;
    /** {@code BTF_MAX_TYPE}: the largest type id the kernel allows. */
    public static final int MAX_TYPE_ID = 0xFFFFF;
    /** Largest blob accepted (vmlinux BTF is ~5 MB; the kernel caps loaded BTF at 16 MB). */
    public static final int MAX_BLOB_SIZE = 64 << 20;
    /** Typedef/qualifier hops followed before a chain is declared cyclic (the kernel's MAX_RESOLVE_DEPTH). */
    public static final int MAX_CHAIN = 32;
    /** Levels of by-value nesting (struct in struct, array of arrays) followed before giving up. */
    public static final int MAX_NESTING = 64;
    /** Members visited by one member lookup, anonymous members included, before giving up. */
    public static final int MAX_MEMBER_VISITS = 1 << 16;
    /** Steps taken to spell one type as C before giving up (a shared parameter graph could blow up). */
    public static final int MAX_SPELLING_STEPS = 4096;
    /** x86-64. BTF does not record the pointer size. */
    public static final int POINTER_SIZE = 8;

    private static final BtfType.Void VOID = new BtfType.Void();
    private static final int[] NO_IDS = new int[0];

    private final Btf base;
    private final byte[] data;
    private final ByteBuffer le;
    private final int strStart;
    private final int strLen;
    private final int firstId;
    private final int startStrOff;
    private final int[] offsets;
    /** Per kind code: {info_sz, elem_sz} from the blob's layout section, or null without one. */
    private final int[][] layouts;
    private final BtfType[] cache;
    private final String[] describeCache;
    /** Memoized alignments of local composites (0: not computed): keeps shared by-value subtrees linear. */
    private final int[] alignCache;
    private volatile Map<String, int[]> nameIndex;

    private Btf(byte[] data, Btf base) throws BtfException {
        this.base = base;
        this.data = data;
        this.le = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.firstId = base == null ? 1 : base.typeCount();
        long baseStrings = base == null ? 0 : (long) base.startStrOff + base.strLen;
        if (baseStrings > Integer.MAX_VALUE) {
            throw new BtfException("the base BTF's strings are too large to continue");
        }
        this.startStrOff = (int) baseStrings;

        if (data.length < HEADER_SIZE) {
            throw new BtfException("BTF blob of " + data.length + " bytes is shorter than its " + HEADER_SIZE
                    + "-byte header");
        }
        if (data.length > MAX_BLOB_SIZE) {
            throw new BtfException("BTF blob of " + data.length + " bytes exceeds the " + MAX_BLOB_SIZE + "-byte cap");
        }
        int magic = Short.toUnsignedInt(le.getShort(0));
        if (magic == Short.toUnsignedInt(Short.reverseBytes((short) MAGIC))) {
            throw new BtfException("big-endian BTF is not supported");
        }
        if (magic != MAGIC) {
            throw new BtfException(String.format("not BTF: magic is 0x%04x, expected 0x%04x", magic, MAGIC));
        }
        int version = Byte.toUnsignedInt(data[2]);
        if (version != VERSION) {
            throw new BtfException("unsupported BTF version " + version);
        }
        long hdrLen = u32(4);
        if (hdrLen < HEADER_SIZE || hdrLen > data.length) {
            throw new BtfException("BTF header length " + hdrLen + " is outside 24.." + data.length);
        }
        long typeOff = u32(8);
        long typeLen = u32(12);
        long strOff = u32(16);
        long strLenL = u32(20);
        long typesStart = hdrLen + typeOff;
        long typesEnd = typesStart + typeLen;
        long strStartL = hdrLen + strOff;
        long strEnd = strStartL + strLenL;
        if (typesEnd > data.length) {
            throw new BtfException("type section " + typesStart + ".." + typesEnd + " runs past the blob's "
                    + data.length + " bytes");
        }
        if (strEnd > data.length) {
            throw new BtfException("string section " + strStartL + ".." + strEnd + " runs past the blob's "
                    + data.length + " bytes");
        }
        if ((typeOff & 3) != 0) {
            throw new BtfException("type section offset " + typeOff + " is not 4-byte aligned");
        }
        if (overlap(typesStart, typesEnd, strStartL, strEnd)) {
            throw new BtfException("type and string sections overlap");
        }
        this.layouts = readLayouts(hdrLen, typesStart, typesEnd, strStartL, strEnd);
        if (base == null && (strLenL == 0 || data[(int) strStartL] != 0)) {
            throw new BtfException("the string section must start with an empty string");
        }
        if (strLenL > 0 && data[(int) (strEnd - 1)] != 0) {
            throw new BtfException("the string section does not end with a NUL");
        }
        if (baseStrings + strLenL > Integer.MAX_VALUE) {
            throw new BtfException("string offsets overflow");
        }
        this.strStart = (int) strStartL;
        this.strLen = (int) strLenL;
        this.offsets = scan((int) typesStart, (int) typesEnd);
        this.cache = new BtfType[offsets.length];
        this.describeCache = new String[offsets.length];
        this.alignCache = new int[offsets.length];
        validate();
    }

    // ---------------------------------------------------------------------------------------------------- creation

    /** Parses a base (or standalone) BTF blob. The bytes are copied. */
    public static Btf parse(byte[] blob) throws BtfException {
        return parse(blob, null);
    }

    /**
     * Parses {@code blob}; with a non-null {@code base} as split BTF whose ids and strings continue the base's. The
     * bytes are copied.
     */
    public static Btf parse(byte[] blob, Btf base) throws BtfException {
        Objects.requireNonNull(blob, "blob");
        if (blob.length > MAX_BLOB_SIZE) {
            throw new BtfException("BTF blob of " + blob.length + " bytes exceeds the " + MAX_BLOB_SIZE + "-byte cap");
        }
        return create(blob.clone(), base);
    }

    /** Parses the remaining bytes of {@code blob} (its position is not moved). */
    public static Btf parse(ByteBuffer blob, Btf base) throws BtfException {
        Objects.requireNonNull(blob, "blob");
        if (blob.remaining() > MAX_BLOB_SIZE) {
            throw new BtfException("BTF blob of " + blob.remaining() + " bytes exceeds the " + MAX_BLOB_SIZE
                    + "-byte cap");
        }
        byte[] copy = new byte[blob.remaining()];
        blob.get(blob.position(), copy);
        return create(copy, base);
    }

    /** Parses the bytes of {@code blob} (e.g. a slice of the frozen guest's memory). */
    public static Btf parse(MemorySegment blob, Btf base) throws BtfException {
        Objects.requireNonNull(blob, "blob");
        if (blob.byteSize() > MAX_BLOB_SIZE) {
            throw new BtfException("BTF blob of " + blob.byteSize() + " bytes exceeds the " + MAX_BLOB_SIZE
                    + "-byte cap");
        }
        try {
            return create(blob.toArray(ValueLayout.JAVA_BYTE), base);
        } catch (IllegalStateException | UnsupportedOperationException e) {
            throw new BtfException("cannot read the BTF blob: " + e.getMessage(), e);
        }
    }

    /** Reads the {@code .BTF} section of an ELF file (the kit's vmlinux) and parses it as base BTF. */
    public static Btf fromElf(Path elf) throws BtfException {
        byte[] section;
        try {
            ElfInfo info = ElfInfo.read(elf);
            if (!info.sections().containsKey(".BTF")) {
                throw new BtfException(elf + " has no .BTF section");
            }
            section = info.sectionBytes(".BTF");
        } catch (RuntimeException e) {
            throw new BtfException("cannot read the .BTF section of " + elf + ": " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        Btf btf = create(section, null);
        LOG.debug("parsed {} bytes of BTF from {} in {} ms: {}", section.length, elf,
                (System.nanoTime() - t0) / 1_000_000, btf);
        return btf;
    }

    private static Btf create(byte[] owned, Btf base) throws BtfException {
        try {
            return new Btf(owned, base);
        } catch (RuntimeException e) { // a bounds check this parser forgot: still the blob's fault
            throw new BtfException("malformed BTF: " + e, e);
        }
    }

    // ------------------------------------------------------------------------------------------------ parsing

    private static boolean overlap(long aStart, long aEnd, long bStart, long bEnd) {
        return aStart < aEnd && bStart < bEnd && aStart < bEnd && bStart < aEnd;
    }

    /** Info and element sizes of the kinds this parser knows, as a layout section states them. */
    private static int[] knownLayout(BtfKind kind) {
        return switch (kind) {
            case INT, VAR, DECL_TAG -> new int[] {4, 0};
            case ARRAY -> new int[] {12, 0};
            case STRUCT, UNION, DATASEC, ENUM64 -> new int[] {0, 12};
            case ENUM, FUNC_PROTO -> new int[] {0, 8};
            default -> new int[] {0, 0};
        };
    }

    private int[][] readLayouts(long hdrLen, long typesStart, long typesEnd, long strStart, long strEnd)
            throws BtfException {
        if (hdrLen < HEADER_SIZE_WITH_LAYOUT) {
            return null;
        }
        long layoutOff = u32(24);
        long layoutLen = u32(28);
        if (layoutLen == 0) {
            return null;
        }
        long start = hdrLen + layoutOff;
        long end = start + layoutLen;
        if ((layoutOff & 3) != 0) {
            throw new BtfException("layout section offset " + layoutOff + " is not 4-byte aligned");
        }
        if (layoutLen % 4 != 0) {
            throw new BtfException("layout section length " + layoutLen + " is not a multiple of 4");
        }
        if (end > data.length) {
            throw new BtfException("layout section " + start + ".." + end + " runs past the blob's " + data.length
                    + " bytes");
        }
        if (overlap(start, end, typesStart, typesEnd) || overlap(start, end, strStart, strEnd)) {
            throw new BtfException("the layout section overlaps the type or string section");
        }
        int n = (int) Math.min(layoutLen / 4, 128);
        int[][] out = new int[n][];
        for (int code = 0; code < n; code++) {
            int at = (int) start + code * 4;
            out[code] = new int[] {Byte.toUnsignedInt(data[at]), Byte.toUnsignedInt(data[at + 1])};
            BtfKind kind = BtfKind.ofCode(code);
            if (kind != null && !Arrays.equals(out[code], knownLayout(kind))) {
                throw new BtfException("the layout section gives kind " + kind + " " + out[code][0] + "+"
                        + out[code][1] + "*vlen bytes, expected " + knownLayout(kind)[0] + "+" + knownLayout(kind)[1]
                        + "*vlen");
            }
        }
        return out;
    }

    static int kindCode(int info) {
        return (info >>> 24) & 0x7f;
    }

    static int vlen(int info) {
        return info & 0xffffff;
    }

    private long u32(int at) {
        return Integer.toUnsignedLong(le.getInt(at));
    }

    private int[] scan(int start, int end) throws BtfException {
        int[] found = new int[Math.max(16, (end - start) / 24)];
        int n = 0;
        int off = start;
        int maxLocal = MAX_TYPE_ID - firstId + 1;
        while (off < end) {
            int id = firstId + n;
            if (end - off < 12) {
                throw new BtfException("type id " + id + " at offset " + off
                        + " is cut off by the end of the type section");
            }
            if (n >= maxLocal) {
                throw new BtfException("more than " + MAX_TYPE_ID + " types");
            }
            int info = le.getInt(off + 4);
            int code = kindCode(info);
            BtfKind kind = BtfKind.ofCode(code);
            long size;
            if (kind != null) {
                size = 12L + extraSize(kind, vlen(info));
            } else if (code != 0 && layouts != null && code < layouts.length) {
                size = 12L + layouts[code][0] + (long) layouts[code][1] * vlen(info);
            } else {
                throw new BtfException("type id " + id + " at offset " + off + " has unknown kind " + code
                        + (layouts == null ? "" : " that the layout section does not describe"));
            }
            if (size > end - off) {
                throw new BtfException("type id " + id + " (" + kind + ") runs past the end of the type section");
            }
            if (n == found.length) {
                found = Arrays.copyOf(found, n * 2);
            }
            found[n++] = off;
            off += (int) size;
        }
        return Arrays.copyOf(found, n);
    }

    private static long extraSize(BtfKind kind, int vlen) {
        return switch (kind) {
            case INT, VAR, DECL_TAG -> 4;
            case ARRAY -> 12;
            case STRUCT, UNION, DATASEC, ENUM64 -> 12L * vlen;
            case ENUM, FUNC_PROTO -> 8L * vlen;
            default -> 0;
        };
    }

    /** Checks every name offset, type reference and size field, so that decoding later cannot go out of bounds. */
    private void validate() throws BtfException {
        for (int i = 0; i < offsets.length; i++) {
            int off = offsets[i];
            int id = firstId + i;
            int info = le.getInt(off + 4);
            BtfKind kind = BtfKind.ofCode(kindCode(info));
            int vlen = vlen(info);
            checkName(id, le.getInt(off));
            if (kind == null) {
                continue; // a newer kind stepped over with the layout section: nothing more to check
            }
            long sizeOrType = u32(off + 8);
            switch (kind) {
                case INT -> {
                    int enc = le.getInt(off + 12);
                    int bits = enc & 0xff;
                    int bitOff = (enc >>> 16) & 0xff;
                    if (sizeOrType != 1 && sizeOrType != 2 && sizeOrType != 4 && sizeOrType != 8 && sizeOrType != 16) {
                        throw new BtfException("type id " + id + " (INT) has size " + sizeOrType);
                    }
                    if (bits > 128 || bitOff + bits > sizeOrType * 8) {
                        throw new BtfException("type id " + id + " (INT) has " + bits + " bits at offset " + bitOff
                                + " in " + sizeOrType + " bytes");
                    }
                }
                case ENUM, ENUM64 -> {
                    if (sizeOrType != 1 && sizeOrType != 2 && sizeOrType != 4 && sizeOrType != 8) {
                        throw new BtfException("type id " + id + " (" + kind + ") has size " + sizeOrType);
                    }
                    int rec = kind == BtfKind.ENUM ? 8 : 12;
                    for (int v = 0; v < vlen; v++) {
                        checkName(id, le.getInt(off + 12 + v * rec));
                    }
                }
                case FLOAT -> {
                    if (sizeOrType != 2 && sizeOrType != 4 && sizeOrType != 8 && sizeOrType != 12 && sizeOrType != 16) {
                        throw new BtfException("type id " + id + " (FLOAT) has size " + sizeOrType);
                    }
                }
                case PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, TYPE_TAG, FUNC, VAR, DECL_TAG ->
                        checkRef(id, kind, sizeOrType);
                case ARRAY -> {
                    checkRef(id, kind, u32(off + 12));
                    checkRef(id, kind, u32(off + 16));
                }
                case STRUCT, UNION -> {
                    for (int m = 0; m < vlen; m++) {
                        int mo = off + 12 + m * 12;
                        checkName(id, le.getInt(mo));
                        checkRef(id, kind, u32(mo + 4));
                    }
                }
                case FUNC_PROTO -> {
                    checkRef(id, kind, sizeOrType);
                    for (int p = 0; p < vlen; p++) {
                        checkName(id, le.getInt(off + 12 + p * 8));
                        checkRef(id, kind, u32(off + 12 + p * 8 + 4));
                    }
                }
                case DATASEC -> {
                    for (int v = 0; v < vlen; v++) {
                        checkRef(id, kind, u32(off + 12 + v * 12));
                    }
                }
                default -> { }
            }
        }
    }

    private void checkName(int id, int nameOff) throws BtfException {
        long off = Integer.toUnsignedLong(nameOff);
        if (off != 0 && off >= (long) startStrOff + strLen) {
            throw new BtfException("type id " + id + " has a name offset " + off + " outside the strings (0.."
                    + ((long) startStrOff + strLen) + ")");
        }
    }

    private void checkRef(int id, BtfKind kind, long ref) throws BtfException {
        if (ref >= typeCount()) {
            throw new BtfException("type id " + id + " (" + kind + ") refers to type " + ref + ", but the last id is "
                    + (typeCount() - 1));
        }
    }

    // ------------------------------------------------------------------------------------------------- basics

    /** The base this BTF is split from, if any. */
    public Optional<Btf> base() {
        return Optional.ofNullable(base);
    }

    /** The first type id defined by this blob (1 for base BTF). */
    public int firstId() {
        return firstId;
    }

    /** One past the last valid type id (counting {@code void} and the base's types), like libbpf's type_cnt. */
    public int typeCount() {
        return firstId + offsets.length;
    }

    /** One past this BTF's last string offset: where the strings of split BTF built on it start. */
    public int stringsEnd() {
        return startStrOff + strLen;
    }

    /** Types defined by this blob itself. */
    public int localTypeCount() {
        return offsets.length;
    }

    /** The string at {@code offset} in this BTF's (or, below its start, the base's) string section. */
    public String string(int offset) throws BtfException {
        long off = Integer.toUnsignedLong(offset);
        if (off < startStrOff) {
            return base.string(offset);
        }
        long local = off - startStrOff;
        if (local >= strLen) {
            if (local == 0) {
                return "";
            }
            throw new BtfException("string offset " + off + " is outside the string section");
        }
        int start = strStart + (int) local;
        int end = start;
        int limit = strStart + strLen;
        while (end < limit && data[end] != 0) {
            end++;
        }
        return new String(data, start, end - start, StandardCharsets.UTF_8);
    }

    /** The type with this id; id 0 is {@code void}. */
    public BtfType type(int id) throws BtfException {
        if (id == 0) {
            return VOID;
        }
        if (id < firstId) {
            if (base == null || id < 0) {
                throw new BtfException("type id " + id + " is out of range");
            }
            return base.type(id);
        }
        int local = id - firstId;
        if (local >= offsets.length) {
            throw new BtfException("type id " + id + " is out of range (the last id is " + (typeCount() - 1) + ")");
        }
        BtfType t = cache[local];
        if (t == null) {
            try {
                t = decode(id, offsets[local]);
            } catch (RuntimeException e) {
                throw new BtfException("type id " + id + " cannot be decoded: " + e, e);
            }
            cache[local] = t; // records are immutable: a racing duplicate decode is harmless
        }
        return t;
    }

    private BtfType decode(int id, int off) throws BtfException {
        String name = string(le.getInt(off));
        int info = le.getInt(off + 4);
        BtfKind kind = BtfKind.ofCode(kindCode(info));
        if (kind == null) {
            return new BtfType.Unknown(id, kindCode(info), name);
        }
        boolean kflag = info < 0;
        int vlen = vlen(info);
        long sizeOrType = u32(off + 8);
        int ref = (int) sizeOrType; // validated as < typeCount where it is a reference
        return switch (kind) {
            case INT -> {
                int enc = le.getInt(off + 12);
                yield new BtfType.Int(id, name, (int) sizeOrType, (enc >>> 24) & 0x0f, (enc >>> 16) & 0xff, enc & 0xff);
            }
            case PTR -> new BtfType.Ptr(id, ref);
            case ARRAY -> new BtfType.Array(id, le.getInt(off + 12), le.getInt(off + 16), u32(off + 20));
            case STRUCT, UNION -> {
                List<BtfType.Member> members = new ArrayList<>(vlen);
                for (int m = 0; m < vlen; m++) {
                    int mo = off + 12 + m * 12;
                    long raw = u32(mo + 8);
                    members.add(kflag
                            ? new BtfType.Member(string(le.getInt(mo)), le.getInt(mo + 4), raw & 0xffffff,
                                    (int) (raw >>> 24))
                            : new BtfType.Member(string(le.getInt(mo)), le.getInt(mo + 4), raw, 0));
                }
                yield new BtfType.Composite(id, name, kind == BtfKind.UNION, sizeOrType, kflag, List.copyOf(members));
            }
            case ENUM -> {
                List<BtfType.Enumerator> values = new ArrayList<>(vlen);
                for (int v = 0; v < vlen; v++) {
                    int eo = off + 12 + v * 8;
                    int val = le.getInt(eo + 4);
                    values.add(new BtfType.Enumerator(string(le.getInt(eo)),
                            kflag ? val : Integer.toUnsignedLong(val)));
                }
                yield new BtfType.Enum(id, name, (int) sizeOrType, kflag, false, List.copyOf(values));
            }
            case ENUM64 -> {
                List<BtfType.Enumerator> values = new ArrayList<>(vlen);
                for (int v = 0; v < vlen; v++) {
                    int eo = off + 12 + v * 12;
                    long val = u32(eo + 4) | (u32(eo + 8) << 32);
                    values.add(new BtfType.Enumerator(string(le.getInt(eo)), val));
                }
                yield new BtfType.Enum(id, name, (int) sizeOrType, kflag, true, List.copyOf(values));
            }
            case FWD -> new BtfType.Fwd(id, name, kflag);
            case TYPEDEF -> new BtfType.Typedef(id, name, ref);
            case VOLATILE, CONST, RESTRICT, TYPE_TAG -> new BtfType.Qualifier(id, kind, name, ref);
            case FUNC -> new BtfType.Func(id, name, ref, vlen);
            case FUNC_PROTO -> {
                List<BtfType.Param> params = new ArrayList<>(vlen);
                for (int p = 0; p < vlen; p++) {
                    int po = off + 12 + p * 8;
                    params.add(new BtfType.Param(string(le.getInt(po)), le.getInt(po + 4)));
                }
                yield new BtfType.FuncProto(id, ref, List.copyOf(params));
            }
            case VAR -> new BtfType.Var(id, name, ref, le.getInt(off + 12));
            case DATASEC -> {
                List<BtfType.SecVar> vars = new ArrayList<>(vlen);
                for (int v = 0; v < vlen; v++) {
                    int vo = off + 12 + v * 12;
                    vars.add(new BtfType.SecVar(le.getInt(vo), u32(vo + 4), u32(vo + 8)));
                }
                yield new BtfType.Datasec(id, name, sizeOrType, List.copyOf(vars));
            }
            case FLOAT -> new BtfType.Float(id, name, (int) sizeOrType);
            case DECL_TAG -> new BtfType.DeclTag(id, name, ref, le.getInt(off + 12));
            case VOID, UNKNOWN -> VOID; // ofCode never returns these
        };
    }

    // ------------------------------------------------------------------------------------------- names

    private Map<String, int[]> names() {
        Map<String, int[]> index = nameIndex;
        if (index == null) {
            synchronized (this) {
                index = nameIndex;
                if (index == null) {
                    index = buildNameIndex();
                    nameIndex = index;
                }
            }
        }
        return index;
    }

    private Map<String, int[]> buildNameIndex() {
        Map<String, int[]> index = new HashMap<>(offsets.length);
        for (int i = 0; i < offsets.length; i++) {
            int nameOff = le.getInt(offsets[i]);
            if (nameOff == 0) {
                continue;
            }
            String name;
            try {
                name = string(nameOff);
            } catch (BtfException e) {
                continue; // cannot happen after validate(); an unnamed type is simply not indexed
            }
            if (name.isEmpty()) {
                continue;
            }
            int id = firstId + i;
            index.merge(name, new int[] {id}, (a, b) -> {
                int[] c = Arrays.copyOf(a, a.length + 1);
                c[a.length] = b[0];
                return c;
            });
        }
        return index;
    }

    /** Ids of every type with this name (the base's first), in id order. */
    public int[] idsNamed(String name) {
        int[] own = names().getOrDefault(name, NO_IDS);
        if (base == null) {
            return own;
        }
        int[] inBase = base.idsNamed(name);
        if (inBase.length == 0) {
            return own;
        }
        int[] all = Arrays.copyOf(inBase, inBase.length + own.length);
        System.arraycopy(own, 0, all, inBase.length, own.length);
        return all;
    }

    /** Every type with this name (the base's first), in id order. */
    public List<BtfType> findAll(String name) {
        List<BtfType> found = new ArrayList<>();
        for (int id : idsNamed(name)) {
            try {
                found.add(type(id));
            } catch (BtfException e) {
                // validated ids always decode; skip rather than fail a search
            }
        }
        return found;
    }

    /** The lowest-id type with this name and kind. */
    public Optional<BtfType> find(String name, BtfKind kind) {
        for (int id : idsNamed(name)) {
            try {
                BtfType t = type(id);
                if (t.kind() == kind) {
                    return Optional.of(t);
                }
            } catch (BtfException e) {
                // skip
            }
        }
        return Optional.empty();
    }

    /**
     * Finds a type by its C spelling: {@code "struct scx_sched"}, {@code "union bpf_attr"},
     * {@code "enum scx_exit_kind"} (ENUM or ENUM64), or a bare name ({@code "u64"}, {@code "int"}: typedefs, ints and
     * floats first, then struct, union and enum).
     */
    public Optional<BtfType> findType(String cName) {
        String s = cName.strip();
        if (s.startsWith("struct ")) {
            return find(s.substring(7).strip(), BtfKind.STRUCT);
        }
        if (s.startsWith("union ")) {
            return find(s.substring(6).strip(), BtfKind.UNION);
        }
        if (s.startsWith("enum ")) {
            String n = s.substring(5).strip();
            return find(n, BtfKind.ENUM).or(() -> find(n, BtfKind.ENUM64));
        }
        List<BtfType> all = findAll(s);
        for (BtfKind k : List.of(BtfKind.TYPEDEF, BtfKind.INT, BtfKind.FLOAT, BtfKind.STRUCT, BtfKind.UNION,
                BtfKind.ENUM, BtfKind.ENUM64)) {
            for (BtfType t : all) {
                if (t.kind() == k) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    /** Like {@link #findType(String)}, failing with a sentence when the type is not there. */
    public BtfType requireType(String cName) throws BtfException {
        return findType(cName).orElseThrow(() -> new BtfException("no type '" + cName + "' in this BTF"));
    }

    // ------------------------------------------------------------------------------------- resolution, layout

    /** Follows typedefs and qualifiers (const, volatile, restrict, type tags) to the type that has the layout. */
    public BtfType resolve(int id) throws BtfException {
        int cur = id;
        for (int hops = 0; hops <= MAX_CHAIN; hops++) {
            BtfType t = type(cur);
            switch (t) {
                case BtfType.Typedef td -> cur = td.target();
                case BtfType.Qualifier q -> cur = q.target();
                default -> {
                    return t;
                }
            }
        }
        throw new BtfException("the typedef/qualifier chain from type id " + id + " is longer than " + MAX_CHAIN
                + " (a cycle?)");
    }

    /** Follows qualifiers only (not typedefs): {@code const char} → {@code char}, but {@code u8} stays {@code u8}. */
    public BtfType skipQualifiers(int id) throws BtfException {
        int cur = id;
        for (int hops = 0; hops <= MAX_CHAIN; hops++) {
            BtfType t = type(cur);
            if (t instanceof BtfType.Qualifier q) {
                cur = q.target();
            } else {
                return t;
            }
        }
        throw new BtfException("the qualifier chain from type id " + id + " is longer than " + MAX_CHAIN);
    }

    /** Size in bytes of a value of this type. Fails for void, functions and forward declarations. */
    public long sizeOf(int id) throws BtfException {
        return sizeOf(id, 0);
    }

    private long sizeOf(int id, int depth) throws BtfException {
        if (depth > MAX_NESTING) {
            throw new BtfException("type id " + id + " nests deeper than " + MAX_NESTING + " (a cycle?)");
        }
        BtfType t = resolve(id);
        return switch (t) {
            case BtfType.Int i -> i.size();
            case BtfType.Float f -> f.size();
            case BtfType.Enum e -> e.size();
            case BtfType.Composite c -> c.size();
            case BtfType.Datasec d -> d.size();
            case BtfType.Ptr p -> POINTER_SIZE;
            case BtfType.Var v -> sizeOf(v.type(), depth + 1);
            case BtfType.Array a -> {
                long elem = sizeOf(a.elemType(), depth + 1);
                try {
                    yield Math.multiplyExact(elem, a.nelems());
                } catch (ArithmeticException e) {
                    throw new BtfException("array type id " + a.id() + " has an impossible size");
                }
            }
            case BtfType.Fwd f -> throw new BtfException((f.union() ? "union " : "struct ") + f.name()
                    + " is only declared (forward), its size is unknown");
            default -> throw new BtfException(describe(t.id()) + " (" + t.kind() + ") has no size");
        };
    }

    /**
     * Alignment in bytes: scalars their size (up to 16), pointers 8, arrays their element's, structs and unions the
     * largest of their members' — or 1 when a member sits at an offset its alignment does not allow (packed).
     */
    public int alignOf(int id) throws BtfException {
        return alignOf(id, 0);
    }

    private int alignOf(int id, int depth) throws BtfException {
        if (depth > MAX_NESTING) {
            throw new BtfException("type id " + id + " nests deeper than " + MAX_NESTING + " (a cycle?)");
        }
        BtfType t = resolve(id);
        return switch (t) {
            case BtfType.Int i -> scalarAlign(i.size());
            case BtfType.Float f -> scalarAlign(f.size());
            case BtfType.Enum e -> scalarAlign(e.size());
            case BtfType.Ptr p -> POINTER_SIZE;
            case BtfType.Var v -> alignOf(v.type(), depth + 1);
            case BtfType.Array a -> alignOf(a.elemType(), depth + 1);
            case BtfType.Composite c -> {
                if (c.id() < firstId) {
                    yield base.alignOf(c.id());
                }
                int cached = alignCache[c.id() - firstId];
                if (cached != 0) {
                    yield cached;
                }
                int align = compositeAlign(c, depth);
                alignCache[c.id() - firstId] = align;
                yield align;
            }
            case BtfType.Datasec d -> 1;
            default -> throw new BtfException(describe(t.id()) + " (" + t.kind() + ") has no alignment");
        };
    }

    private int compositeAlign(BtfType.Composite c, int depth) throws BtfException {
        int max = 1;
        for (BtfType.Member m : c.members()) {
            int a = alignOf(m.type(), depth + 1);
            FieldLayout fl = layout(c, m);
            if (!fl.isBitfield() && (fl.bitOffset() % (8L * a)) != 0) {
                return 1; // packed
            }
            max = Math.max(max, a);
        }
        return c.size() % max == 0 ? max : 1;
    }

    private static int scalarAlign(int size) {
        return Integer.bitCount(size) == 1 ? Math.min(size, 16) : 4;
    }

    /** Effective bit offset and bitfield width of {@code m}, for either kind_flag encoding ({@link FieldLayout}). */
    public FieldLayout layout(BtfType.Composite c, BtfType.Member m) throws BtfException {
        if (c.kindFlag()) {
            return new FieldLayout(m.bitOffset(), m.bitfieldSize());
        }
        BtfType t = resolve(m.type());
        if (t instanceof BtfType.Int i && (i.bits() != i.size() * 8 || i.bitOffset() != 0)) {
            return new FieldLayout(m.bitOffset() + i.bitOffset(), i.bits());
        }
        return new FieldLayout(m.bitOffset(), 0);
    }

    /**
     * Locates a member path inside a struct/union type: names separated by dots, each optionally followed by array
     * indices — {@code "exit_kind"}, {@code "ops.name"}, {@code "cpus[3].nr"}. Members of anonymous structs and unions
     * are found as in C. Typedefs and qualifiers are followed along the way; pointers are not.
     */
    public MemberLocation member(int typeId, String path) throws BtfException {
        Objects.requireNonNull(path, "path");
        try {
            return locate(typeId, path);
        } catch (ArithmeticException e) {
            throw new BtfException("member path '" + path + "' overflows");
        }
    }

    private MemberLocation locate(int typeId, String path) throws BtfException {
        int cur = typeId;
        long bitOff = 0;
        int bitSize = 0;
        int i = 0;
        int n = path.length();
        if (n == 0) {
            throw new BtfException("empty member path");
        }
        while (i < n) {
            char ch = path.charAt(i);
            if (ch == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new BtfException("unclosed '[' in member path '" + path + "'");
                }
                long index;
                try {
                    index = Long.parseLong(path.substring(i + 1, close).strip());
                } catch (NumberFormatException e) {
                    throw new BtfException("bad array index in member path '" + path + "'");
                }
                if (!(resolve(cur) instanceof BtfType.Array a)) {
                    throw new BtfException("'" + path.substring(0, i) + "' is " + describe(cur) + ", not an array");
                }
                if (index < 0 || (a.nelems() > 0 && index >= a.nelems())) {
                    throw new BtfException("index " + index + " is outside " + describe(cur));
                }
                long elemSize = sizeOf(a.elemType());
                try {
                    bitOff = Math.addExact(bitOff, Math.multiplyExact(Math.multiplyExact(index, elemSize), 8L));
                } catch (ArithmeticException e) {
                    throw new BtfException("member path '" + path + "' overflows");
                }
                cur = a.elemType();
                bitSize = 0;
                i = close + 1;
            } else {
                if (ch == '.') {
                    if (i == 0 || i + 1 >= n) {
                        throw new BtfException("bad member path '" + path + "'");
                    }
                    i++;
                }
                int end = i;
                while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                String name = path.substring(i, end).strip();
                if (name.isEmpty()) {
                    throw new BtfException("bad member path '" + path + "'");
                }
                if (bitSize != 0) {
                    throw new BtfException("'" + path.substring(0, i) + "' is a bitfield, it has no members");
                }
                BtfType outer = resolve(cur);
                if (!(outer instanceof BtfType.Composite c)) {
                    throw new BtfException("'" + (i == 0 ? describe(typeId) : path.substring(0, i - 1)) + "' is "
                            + describe(cur) + ", not a struct or union: no member '" + name + "'");
                }
                long[] where = new long[2];
                int found = findMember(c, name, 0, 0, where, new int[] {MAX_MEMBER_VISITS});
                if (found < 0) {
                    throw new BtfException(describe(c.id()) + " has no member '" + name + "'");
                }
                bitOff = Math.addExact(bitOff, where[0]);
                bitSize = (int) where[1];
                cur = found;
                i = end;
            }
        }
        return new MemberLocation(path, cur, bitOff, bitSize);
    }

    /** Searches {@code c} (and its anonymous members) for {@code name}; returns the member's type id or -1. */
    private int findMember(BtfType.Composite c, String name, long baseBits, int depth, long[] where, int[] budget)
            throws BtfException {
        if (depth > MAX_NESTING) {
            throw new BtfException("anonymous members of " + describe(c.id()) + " nest deeper than " + MAX_NESTING);
        }
        budget[0] -= c.members().size();
        if (budget[0] < 0) {
            throw new BtfException("looking for member '" + name + "' visited more than " + MAX_MEMBER_VISITS
                    + " members (anonymous members shared too often)");
        }
        for (BtfType.Member m : c.members()) {
            if (m.name().equals(name)) {
                FieldLayout fl = layout(c, m);
                where[0] = baseBits + fl.bitOffset();
                where[1] = fl.bitSize();
                return m.type();
            }
        }
        for (BtfType.Member m : c.members()) {
            if (m.name().isEmpty() && resolve(m.type()) instanceof BtfType.Composite inner) {
                int found = findMember(inner, name, baseBits + m.bitOffset(), depth + 1, where, budget);
                if (found >= 0) {
                    return found;
                }
            }
        }
        return -1;
    }

    /** Shorthand: the byte offset of a non-bitfield member path in a type named in C ({@code "struct scx_sched"}). */
    public long offsetOf(String cTypeName, String path) throws BtfException {
        MemberLocation loc = member(requireType(cTypeName).id(), path);
        if (loc.isBitfield() || (loc.bitOffset() & 7) != 0) {
            throw new BtfException(cTypeName + "." + path + " is a bitfield, it has no byte offset");
        }
        return loc.byteOffset();
    }

    // --------------------------------------------------------------------------------------------- C text

    /**
     * The type as C would spell it in a cast, for the UI: {@code struct task_struct *}, {@code u64[4]},
     * {@code const char *}, {@code void (*)(struct task_struct *p, u64 enq_flags)}. Anonymous structs read
     * {@code struct (anonymous)}; type tags are left out. Never fails: a broken type reads {@code <bad type N: why>}.
     */
    public String describe(int id) {
        if (id >= firstId && id < typeCount()) {
            String cached = describeCache[id - firstId];
            if (cached != null) {
                return cached;
            }
        } else if (id > 0 && id < firstId && base != null) {
            return base.describe(id);
        }
        String text;
        try {
            text = declaration(id, "", 0, new int[] {MAX_SPELLING_STEPS});
        } catch (BtfException | RuntimeException e) {
            text = "<bad type " + id + ": " + e.getMessage() + ">";
        }
        if (id >= firstId && id < typeCount()) {
            describeCache[id - firstId] = text;
        }
        return text;
    }

    private String declaration(int id, String declarator, int depth, int[] steps) throws BtfException {
        if (depth > MAX_NESTING) {
            throw new BtfException("type id " + id + " is nested too deeply to spell (a cycle?)");
        }
        if (--steps[0] < 0) {
            throw new BtfException("type id " + id + " takes more than " + MAX_SPELLING_STEPS + " steps to spell");
        }
        BtfType t = type(id);
        switch (t) {
            case BtfType.Ptr p -> {
                String d = "*" + declarator;
                BtfType target = skipTags(p.target());
                if (target instanceof BtfType.Array || target instanceof BtfType.FuncProto) {
                    d = "(" + d + ")";
                }
                return declaration(p.target(), d, depth + 1, steps);
            }
            case BtfType.Array a -> {
                return declaration(a.elemType(), declarator + "[" + (a.nelems() == 0 ? "" : a.nelems()) + "]",
                        depth + 1, steps);
            }
            case BtfType.FuncProto fp -> {
                StringBuilder params = new StringBuilder();
                for (BtfType.Param p : fp.params()) {
                    if (!params.isEmpty()) {
                        params.append(", ");
                    }
                    if (p.type() == 0 && p.name().isEmpty()) {
                        params.append("...");
                    } else {
                        params.append(declaration(p.type(), p.name(), depth + 1, steps));
                    }
                }
                return declaration(fp.returnType(), declarator + "(" + (params.isEmpty() ? "void" : params) + ")",
                        depth + 1, steps);
            }
            case BtfType.Qualifier q when q.kind() == BtfKind.TYPE_TAG -> {
                return declaration(q.target(), declarator, depth + 1, steps);
            }
            case BtfType.Qualifier q -> {
                String kw = q.kind().name().toLowerCase(java.util.Locale.ROOT);
                if (skipQualifiers(q.target()) instanceof BtfType.Ptr) {
                    return declaration(q.target(), kw + (declarator.isEmpty() ? "" : " " + declarator), depth + 1,
                            steps);
                }
                return kw + " " + declaration(q.target(), declarator, depth + 1, steps);
            }
            case BtfType.Func f -> {
                return declaration(f.proto(), f.name() + declarator, depth + 1, steps);
            }
            case BtfType.Var v -> {
                return declaration(v.type(), v.name() + declarator, depth + 1, steps);
            }
            default -> {
                String base = baseName(t);
                if (declarator.isEmpty()) {
                    return base;
                }
                return base + (declarator.startsWith("[") ? "" : " ") + declarator;
            }
        }
    }

    private BtfType skipTags(int id) throws BtfException {
        int cur = id;
        for (int hops = 0; hops <= MAX_CHAIN; hops++) {
            BtfType t = type(cur);
            if (t instanceof BtfType.Qualifier q && q.kind() == BtfKind.TYPE_TAG) {
                cur = q.target();
            } else {
                return t;
            }
        }
        throw new BtfException("the type tag chain from type id " + id + " is longer than " + MAX_CHAIN);
    }

    private static String baseName(BtfType t) {
        return switch (t) {
            case BtfType.Void v -> "void";
            case BtfType.Composite c -> (c.union() ? "union " : "struct ") + orAnonymous(c.name());
            case BtfType.Enum e -> "enum " + orAnonymous(e.name());
            case BtfType.Fwd f -> (f.union() ? "union " : "struct ") + orAnonymous(f.name());
            case BtfType.Datasec d -> "datasec " + d.name();
            case BtfType.DeclTag d -> "decl_tag " + d.name();
            case BtfType.Unknown u -> "<kind " + u.kindCode() + ">" + (u.name().isEmpty() ? "" : " " + u.name());
            default -> t.name().isEmpty() ? "(anonymous " + t.kind() + ")" : t.name();
        };
    }

    private static String orAnonymous(String name) {
        return name.isEmpty() ? "(anonymous)" : name;
    }

    @Override
    public String toString() {
        return "BTF with " + offsets.length + " types (ids " + firstId + ".." + (typeCount() - 1) + "), " + strLen
                + " string bytes" + (base == null ? "" : ", split over a base of " + (firstId - 1) + " types");
    }
}
