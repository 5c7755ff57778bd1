package dev.freezeframe.coordinator.introspect.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes small standalone BTF blobs (the kernel's binary format: 24-byte header, type records, strings) for synthetic
 * kernels and BPF objects in tests. Ids are handed out from 1 in order.
 */
public final class BtfWriter {
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private int nextId = 1;

    public BtfWriter() {
        strings.write(0);
        stringOffsets.put("", 0);
    }

    /** A struct member: name, type id, byte offset. */
    public record M(String name, int type, long byteOffset) {
    }

    public static M m(String name, int type, long byteOffset) {
        return new M(name, type, byteOffset);
    }

    private int str(String s) {
        return stringOffsets.computeIfAbsent(s, k -> {
            int off = strings.size();
            strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return off;
        });
    }

    private int record(String name, int kind, int vlen, int sizeOrType, int... extra) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * extra.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(str(name)).putInt((kind << 24) | vlen).putInt(sizeOrType);
        for (int e : extra) {
            b.putInt(e);
        }
        types.writeBytes(b.array());
        return nextId++;
    }

    public int integer(String name, int size, boolean signed) {
        return record(name, 1, 0, size, ((signed ? 1 : 0) << 24) | (size * 8));
    }

    public int pointer(int target) {
        return record("", 2, 0, target);
    }

    public int array(int elem, int index, int nelems) {
        return record("", 3, 0, 0, elem, index, nelems);
    }

    public int struct(String name, int size, M... members) {
        int[] extra = new int[members.length * 3];
        for (int i = 0; i < members.length; i++) {
            extra[3 * i] = str(members[i].name());
            extra[3 * i + 1] = members[i].type();
            extra[3 * i + 2] = (int) (members[i].byteOffset() * 8);
        }
        return record(name, 4, members.length, size, extra);
    }

    /** An enum of 4 bytes: name/value pairs. */
    public int enumeration(String name, Object... pairs) {
        int[] extra = new int[pairs.length];
        for (int i = 0; i < pairs.length; i += 2) {
            extra[i] = str((String) pairs[i]);
            extra[i + 1] = ((Number) pairs[i + 1]).intValue();
        }
        return record(name, 6, pairs.length / 2, 4, extra);
    }

    public int typedef(String name, int target) {
        return record(name, 8, 0, target);
    }

    public int funcProto(int ret) {
        return record("", 13, 0, ret);
    }

    public int variable(String name, int type) {
        return record(name, 14, 0, type, 1);
    }

    /** A data section: triples (var id, offset, size). */
    public int datasec(String name, int size, int[]... vars) {
        int[] extra = new int[vars.length * 3];
        for (int i = 0; i < vars.length; i++) {
            System.arraycopy(vars[i], 0, extra, 3 * i, 3);
        }
        return record(name, 15, vars.length, size, extra);
    }

    public byte[] build() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xEB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        b.put(t).put(s);
        return b.array();
    }
}
