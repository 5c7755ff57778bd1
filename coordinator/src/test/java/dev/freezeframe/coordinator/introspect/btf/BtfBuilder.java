package dev.freezeframe.coordinator.introspect.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes BTF blobs in the kernel's binary format, record by record, for exact test cases: ids are handed out in order
 * (from 1, or after a base for split BTF), strings are deduplicated. Nothing here checks validity — tests also build
 * broken blobs on purpose.
 */
final class BtfBuilder {
    /** A struct/union member: {@code bitfieldSize} is only written when the struct has kind_flag set. */
    record M(String name, int type, long bitOffset, int bitfieldSize) {
    }

    static M m(String name, int type, long bitOffset) {
        return new M(name, type, bitOffset, 0);
    }

    static M bf(String name, int type, long bitOffset, int bits) {
        return new M(name, type, bitOffset, bits);
    }

    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final int startStrOff;
    private int nextId;

    /** Base BTF: ids from 1, strings starting with the empty string. */
    BtfBuilder() {
        this.nextId = 1;
        this.startStrOff = 0;
        strings.write(0);
        stringOffsets.put("", 0);
    }

    /** Split BTF over {@code base}: ids and string offsets continue the base's. */
    BtfBuilder(Btf base) {
        this.nextId = base.typeCount();
        this.startStrOff = base.stringsEnd();
        stringOffsets.put("", 0); // offset 0 is the base's empty string
    }

    int nextId() {
        return nextId;
    }

    int str(String s) {
        Integer known = stringOffsets.get(s);
        if (known != null) {
            return known;
        }
        int off = startStrOff + strings.size();
        strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        strings.write(0);
        stringOffsets.put(s, off);
        return off;
    }

    static int info(BtfKind kind, int vlen, boolean kindFlag) {
        return info(kind.code(), vlen, kindFlag);
    }

    /** The 7.x info word: vlen in bits 0-23, kind in 24-30, kind_flag in 31. */
    static int info(int kindCode, int vlen, boolean kindFlag) {
        return (kindFlag ? 1 << 31 : 0) | ((kindCode & 0x7f) << 24) | (vlen & 0xffffff);
    }

    /** Appends a raw record: the three header words and any extra words. */
    int raw(int nameOff, int info, int sizeOrType, int... extra) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * extra.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(nameOff).putInt(info).putInt(sizeOrType);
        for (int e : extra) {
            b.putInt(e);
        }
        types.writeBytes(b.array());
        return nextId++;
    }

    int addInt(String name, int size, int encoding, int bitOffset, int bits) {
        return raw(str(name), info(BtfKind.INT, 0, false), size, (encoding << 24) | (bitOffset << 16) | bits);
    }

    int addInt(String name, int size, boolean signed) {
        return addInt(name, size, signed ? BtfType.Int.SIGNED : 0, 0, size * 8);
    }

    int addPtr(int target) {
        return raw(0, info(BtfKind.PTR, 0, false), target);
    }

    int addArray(int elem, int index, long nelems) {
        return raw(0, info(BtfKind.ARRAY, 0, false), 0, elem, index, (int) nelems);
    }

    int addStruct(String name, int size, boolean kindFlag, M... members) {
        return composite(BtfKind.STRUCT, name, size, kindFlag, members);
    }

    int addUnion(String name, int size, boolean kindFlag, M... members) {
        return composite(BtfKind.UNION, name, size, kindFlag, members);
    }

    private int composite(BtfKind kind, String name, int size, boolean kindFlag, M... members) {
        int[] extra = new int[members.length * 3];
        for (int i = 0; i < members.length; i++) {
            M mem = members[i];
            extra[i * 3] = str(mem.name());
            extra[i * 3 + 1] = mem.type();
            extra[i * 3 + 2] = kindFlag ? (int) ((mem.bitfieldSize() << 24) | (mem.bitOffset() & 0xffffff))
                    : (int) mem.bitOffset();
        }
        return raw(str(name), info(kind, members.length, kindFlag), size, extra);
    }

    /** {@code pairs}: name, value, name, value... */
    int addEnum(String name, int size, boolean signed, Object... pairs) {
        int[] extra = new int[pairs.length];
        for (int i = 0; i < pairs.length; i += 2) {
            extra[i] = str((String) pairs[i]);
            extra[i + 1] = ((Number) pairs[i + 1]).intValue();
        }
        return raw(str(name), info(BtfKind.ENUM, pairs.length / 2, signed), size, extra);
    }

    int addEnum64(String name, int size, boolean signed, Object... pairs) {
        int[] extra = new int[pairs.length / 2 * 3];
        for (int i = 0, j = 0; i < pairs.length; i += 2, j += 3) {
            long v = ((Number) pairs[i + 1]).longValue();
            extra[j] = str((String) pairs[i]);
            extra[j + 1] = (int) v;
            extra[j + 2] = (int) (v >>> 32);
        }
        return raw(str(name), info(BtfKind.ENUM64, pairs.length / 2, signed), size, extra);
    }

    int addFwd(String name, boolean union) {
        return raw(str(name), info(BtfKind.FWD, 0, union), 0);
    }

    int addTypedef(String name, int target) {
        return raw(str(name), info(BtfKind.TYPEDEF, 0, false), target);
    }

    int addQualifier(BtfKind kind, int target) {
        return raw(0, info(kind, 0, false), target);
    }

    int addTypeTag(String tag, int target) {
        return raw(str(tag), info(BtfKind.TYPE_TAG, 0, false), target);
    }

    int addFunc(String name, int proto, int linkage) {
        return raw(str(name), info(BtfKind.FUNC, linkage, false), proto);
    }

    /** {@code params}: name, type, name, type... ; a trailing ("", 0) means {@code ...}. */
    int addFuncProto(int ret, Object... params) {
        int[] extra = new int[params.length];
        for (int i = 0; i < params.length; i += 2) {
            extra[i] = str((String) params[i]);
            extra[i + 1] = (Integer) params[i + 1];
        }
        return raw(0, info(BtfKind.FUNC_PROTO, params.length / 2, false), ret, extra);
    }

    int addVar(String name, int type, int linkage) {
        return raw(str(name), info(BtfKind.VAR, 0, false), type, linkage);
    }

    /** {@code vars}: {type, offset, size} triples. */
    int addDatasec(String name, int size, int[]... vars) {
        List<Integer> extra = new ArrayList<>();
        for (int[] v : vars) {
            extra.add(v[0]);
            extra.add(v[1]);
            extra.add(v[2]);
        }
        return raw(str(name), info(BtfKind.DATASEC, vars.length, false), size,
                extra.stream().mapToInt(Integer::intValue).toArray());
    }

    int addFloat(String name, int size) {
        return raw(str(name), info(BtfKind.FLOAT, 0, false), size);
    }

    int addDeclTag(String name, int target, int componentIdx) {
        return raw(str(name), info(BtfKind.DECL_TAG, 0, false), target, componentIdx);
    }

    /** Header, type section, string section. */
    byte[] build() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) Btf.MAGIC).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        b.put(t).put(s);
        return b.array();
    }

    /**
     * A 7.x blob: 32-byte header, type and string sections, then a layout section with an entry for every kind code
     * up to the highest of {@code extra} (code → {info_sz, elem_sz}); known kinds get their real sizes.
     */
    byte[] buildWithLayout(Map<Integer, int[]> extra) {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        int highest = extra.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        int codes = Math.max(BtfKind.ENUM64.code(), highest) + 1;
        ByteBuffer layout = ByteBuffer.allocate(codes * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int code = 0; code < codes; code++) {
            int[] sizes = extra.getOrDefault(code, knownLayout(code));
            layout.put((byte) sizes[0]).put((byte) sizes[1]).putShort((short) 0);
        }
        int strOff = t.length;
        int layoutOff = (t.length + s.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(32 + layoutOff + codes * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) Btf.MAGIC).put((byte) 1).put((byte) 0).putInt(32);
        b.putInt(0).putInt(t.length).putInt(strOff).putInt(s.length).putInt(layoutOff).putInt(codes * 4);
        b.put(t).put(s);
        b.position(32 + layoutOff);
        b.put(layout.array());
        return b.array();
    }

    static int[] knownLayout(int code) {
        return switch (code) {
            case 1, 14, 17 -> new int[] {4, 0};
            case 3 -> new int[] {12, 0};
            case 4, 5, 15, 19 -> new int[] {0, 12};
            case 6, 13 -> new int[] {0, 8};
            default -> new int[] {0, 0};
        };
    }

    Btf parse() throws BtfException {
        return Btf.parse(build());
    }

    /** Offsets (in the blob) of every type record of a well-formed blob, for targeted mutations. */
    static int[] recordOffsets(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int hdr = b.getInt(4);
        int start = hdr + b.getInt(8);
        int end = start + b.getInt(12);
        int layoutStart = hdr >= 32 && b.getInt(28) > 0 ? hdr + b.getInt(24) : -1;
        int layoutCodes = layoutStart < 0 ? 0 : b.getInt(28) / 4;
        List<Integer> out = new ArrayList<>();
        for (int off = start; off < end; ) {
            out.add(off);
            int info = b.getInt(off + 4);
            int vlen = info & 0xffffff;
            int code = (info >>> 24) & 0x7f;
            int[] sizes = code <= BtfKind.ENUM64.code() || code >= layoutCodes ? knownLayout(code)
                    : new int[] {Byte.toUnsignedInt(b.get(layoutStart + 4 * code)),
                            Byte.toUnsignedInt(b.get(layoutStart + 4 * code + 1))};
            off += 12 + sizes[0] + sizes[1] * vlen;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
